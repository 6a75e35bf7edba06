package dev.rankcluster.server.command;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive HTTP/1.1 connection to a member, used by one delivery at a time. A delivery is a small
 * request written in one piece and its answer is a status with, at most, a small body: reading that
 * straight from a blocking socket (on a virtual thread) costs a fraction of a general-purpose client's
 * asynchronous pipeline, which was most of the server's CPU per delivery.
 */
final class MemberConnection implements AutoCloseable {

    /** The most of an answer's body read to keep the connection; a larger one closes it instead. */
    private static final int MAX_KEPT_BODY = 64 * 1024;
    private static final int MAX_LINE = 8 * 1024;

    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;
    private final StringBuilder line = new StringBuilder(64);
    private boolean reusable;
    private long idleSince;

    /** Connects within the time left until {@code deadlineNanos}. */
    MemberConnection(InetSocketAddress address, long deadlineNanos) throws IOException {
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, millisLeft(deadlineNanos));
            in = new BufferedInputStream(socket.getInputStream(), 1024);
            out = socket.getOutputStream();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /**
     * Sends a request and answers the status of its answer; the answer must come before {@code deadlineNanos}.
     *
     * @throws SocketTimeoutException when it does not
     * @throws EOFException           when the member closed the connection before answering
     */
    int exchange(byte[] request, long deadlineNanos) throws IOException {
        reusable = false;
        out.write(request);
        out.flush();
        String statusLine = readLine(deadlineNanos);
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 answer");
        }
        int status = parseStatus(statusLine);
        long length = status == 204 || status == 304 ? 0 : -1;
        boolean chunked = false;
        boolean keepAlive = statusLine.startsWith("HTTP/1.1");
        for (String header = readLine(deadlineNanos); !header.isEmpty(); header = readLine(deadlineNanos)) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header in the answer");
            }
            String name = header.substring(0, colon).strip();
            String value = header.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = parseLength(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                keepAlive = !value.equalsIgnoreCase("close");
            }
        }
        reusable = keepAlive && (chunked ? skipChunks(deadlineNanos) : length >= 0 && skip(length, deadlineNanos));
        return status;
    }

    /** Whether the last answer was read to its end and the member keeps the connection open. */
    boolean isReusable() {
        return reusable && !socket.isClosed();
    }

    void markIdle(long nowNanos) {
        idleSince = nowNanos;
    }

    long idleSince() {
        return idleSince;
    }

    private boolean skipChunks(long deadlineNanos) throws IOException {
        long total = 0;
        for (long size = chunkSize(readLine(deadlineNanos)); size > 0; size = chunkSize(readLine(deadlineNanos))) {
            total += size;
            if (total > MAX_KEPT_BODY || !skip(size, deadlineNanos)) {
                return false;
            }
            readLine(deadlineNanos);
        }
        while (!readLine(deadlineNanos).isEmpty()) {
            // trailers: nothing in them matters here
        }
        return true;
    }

    private boolean skip(long length, long deadlineNanos) throws IOException {
        if (length > MAX_KEPT_BODY) {
            return false;
        }
        for (long left = length; left > 0; ) {
            socket.setSoTimeout(millisLeft(deadlineNanos));
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the member closed the connection in the middle of an answer");
                }
                skipped = 1;
            }
            left -= skipped;
        }
        return true;
    }

    private String readLine(long deadlineNanos) throws IOException {
        socket.setSoTimeout(millisLeft(deadlineNanos));
        line.setLength(0);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the member closed the connection before answering");
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("a line of the answer is too long");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static int parseStatus(String statusLine) throws IOException {
        try {
            return Integer.parseInt(statusLine, 9, 12, 10);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status", e);
        }
    }

    private static long parseLength(String value) throws IOException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IOException("not a Content-Length", e);
        }
    }

    private static long chunkSize(String line) throws IOException {
        int extension = line.indexOf(';');
        try {
            return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).strip(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("not a chunk size", e);
        }
    }

    /** Socket timeouts are in whole milliseconds, and 0 would mean none: at least 1. */
    private static int millisLeft(long deadlineNanos) throws SocketTimeoutException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("the delivery's time is up");
        }
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a connection that failed: nothing more to do
        }
    }
}
