package dev.rankcluster.bench.load;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection over a blocking socket: the load generator's client. A request is
 * written in one piece and its answer read straight from the socket, a few microseconds of CPU each, so
 * that the generator's own cost stays small beside the server's (the JDK HttpClient spent more CPU per
 * request than the server it measured). Not thread-safe: one caller at a time, see {@link HttpConnections}.
 */
final class HttpConnection implements AutoCloseable {

    private static final int TIMEOUT_MS = 30_000;

    /** An answer: its status, its body, and whether the server closes the connection after it. */
    record Response(int status, byte[] body, boolean closes) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final StringBuilder line = new StringBuilder(128);

    HttpConnection(InetSocketAddress address) throws IOException {
        socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends a whole request, as {@link #request} makes it, and reads its answer. */
    Response exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String statusLine = readLine();
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(statusLine, 9, 12, 10);
        int length = -1;
        boolean chunked = false;
        boolean closes = statusLine.startsWith("HTTP/1.0");
        for (String header = readLine(); !header.isEmpty(); header = readLine()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, Math.max(colon, 0));
            String value = header.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                closes = value.equalsIgnoreCase("close");
            }
        }
        byte[] body = chunked ? readChunks() : length > 0 ? readExactly(length) : new byte[0];
        return new Response(status, body, closes);
    }

    /** The bytes of a request with a body (or none: {@code body} null), headers given as name, value pairs. */
    static byte[] request(String method, String host, String path, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(host).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        int bodyLength = body == null ? 0 : body.length;
        if (body != null || !method.equals("GET")) {
            head.append("Content-Length: ").append(bodyLength).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        byte[] whole = new byte[headBytes.length + bodyLength];
        System.arraycopy(headBytes, 0, whole, 0, headBytes.length);
        if (body != null) {
            System.arraycopy(body, 0, whole, headBytes.length, bodyLength);
        }
        return whole;
    }

    private byte[] readChunks() throws IOException {
        byte[] body = new byte[0];
        for (int size = Integer.parseInt(chunkSize(readLine()), 16); size > 0; size = Integer.parseInt(chunkSize(readLine()), 16)) {
            byte[] chunk = readExactly(size);
            byte[] joined = new byte[body.length + size];
            System.arraycopy(body, 0, joined, 0, body.length);
            System.arraycopy(chunk, 0, joined, body.length, size);
            body = joined;
            readLine();
        }
        while (!readLine().isEmpty()) {
            // trailers: none expected, read past them
        }
        return body;
    }

    private static String chunkSize(String line) {
        int extension = line.indexOf(';');
        return (extension < 0 ? line : line.substring(0, extension)).strip();
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("the connection closed in the middle of a body");
        }
        return bytes;
    }

    /** A line without its CRLF; the headers are ASCII. */
    private String readLine() throws IOException {
        line.setLength(0);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the connection closed before the answer was complete");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with it
        }
    }
}
