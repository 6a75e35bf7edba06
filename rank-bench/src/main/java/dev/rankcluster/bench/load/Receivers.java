package dev.rankcluster.bench.load;

import dev.rankcluster.model.DeliverySignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Simulated members' endpoints: one listening port per member on loopback, all served by one selector
 * thread. A delivery is read in full and its signature checked with that member's delivery key, as a real client
 * does; it is answered {@code 204}, as a real client answers a delivery it executed, or {@code 401}. One thread
 * keeps the receivers' CPU small beside the server's, whose cost per delivery is what is measured (the JDK
 * HttpServer spent as much as the server); checking signatures costs them a few µs per delivery.
 */
final class Receivers implements AutoCloseable {

    private static final byte[] NO_CONTENT = "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNAUTHORIZED = "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_REQUEST = 64 * 1024;

    private final Selector selector;
    private final Queue<ServerSocketChannel> opened = new ConcurrentLinkedQueue<>();
    private final List<ServerSocketChannel> listening = new ArrayList<>();
    private final LongAdder received = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final Map<Integer, DeliverySignature> signatures = new ConcurrentHashMap<>();
    private final Thread loop;
    private volatile boolean closed;

    Receivers() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        loop = Thread.ofPlatform().daemon().name("receivers").start(this::serve);
    }

    /** Opens one more endpoint and answers its port. */
    int open() {
        try {
            ServerSocketChannel channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            channel.configureBlocking(false);
            opened.add(channel);
            selector.wakeup();
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a receiver on loopback", e);
        }
    }

    /** From now on, deliveries to {@code port} must be signed for the member registered with {@code leaseToken}. */
    void signedFor(int port, String leaseToken) {
        signatures.put(port, DeliverySignature.forLeaseToken(leaseToken));
    }

    long received() {
        return received.sum();
    }

    long refused() {
        return refused.sum();
    }

    /** The thread that serves every receiver, whose CPU a measurement may leave out. */
    long threadId() {
        return loop.threadId();
    }

    private void serve() {
        try {
            while (!closed) {
                selector.select();
                for (ServerSocketChannel channel = opened.poll(); channel != null; channel = opened.poll()) {
                    channel.register(selector, SelectionKey.OP_ACCEPT);
                    listening.add(channel);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isAcceptable()) {
                        accept((ServerSocketChannel) key.channel());
                    } else if (key.isValid() && key.isReadable()) {
                        read(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (!closed) {
                throw new UncheckedIOException("the receivers' loop failed", e);
            }
        }
    }

    private void accept(ServerSocketChannel listener) throws IOException {
        for (SocketChannel connection = listener.accept(); connection != null; connection = listener.accept()) {
            connection.configureBlocking(false);
            connection.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            connection.register(selector, SelectionKey.OP_READ, new Connection(port, ByteBuffer.allocate(MAX_REQUEST)));
        }
    }

    private void read(SelectionKey key) {
        SocketChannel connection = (SocketChannel) key.channel();
        Connection state = (Connection) key.attachment();
        ByteBuffer buffer = state.buffer();
        try {
            if (connection.read(buffer) < 0 || !buffer.hasRemaining()) {
                close(key);
                return;
            }
            answerComplete(connection, buffer, signatures.get(state.port()));
        } catch (IOException e) {
            close(key);
        }
    }

    /** Answers every complete request in the buffer and keeps the rest of an incomplete one. */
    private void answerComplete(SocketChannel connection, ByteBuffer buffer, DeliverySignature signature)
            throws IOException {
        buffer.flip();
        int length;
        while ((length = completeRequestLength(buffer)) > 0) {
            boolean signed = isSigned(buffer, length, signature);
            buffer.position(buffer.position() + length);
            received.increment();
            if (!signed) {
                refused.increment();
            }
            ByteBuffer answer = ByteBuffer.wrap(signed ? NO_CONTENT : UNAUTHORIZED);
            while (answer.hasRemaining()) {
                connection.write(answer);
            }
        }
        buffer.compact();
    }

    /**
     * Whether the request at the buffer's position carries this member's signature of its body; an endpoint of no
     * member (the loopback ceiling's) takes every request.
     */
    private static boolean isSigned(ByteBuffer buffer, int length, DeliverySignature signature) {
        if (signature == null) {
            return true;
        }
        String request = StandardCharsets.ISO_8859_1.decode(buffer.slice(buffer.position(), length)).toString();
        int headEnd = request.indexOf("\r\n\r\n");
        String timestamp = header(request, headEnd, "x-rank-timestamp");
        String claimed = header(request, headEnd, "x-rank-signature");
        if (headEnd < 0 || timestamp == null || claimed == null) {
            return false;
        }
        byte[] body = request.substring(headEnd + 4).getBytes(StandardCharsets.ISO_8859_1);
        try {
            return signature.matches(Long.parseLong(timestamp), body, claimed);
        } catch (NumberFormatException notMillis) {
            return false;
        }
    }

    private static String header(String request, int headEnd, String name) {
        for (int line = request.indexOf("\r\n") + 2; line > 1 && line < headEnd; line = request.indexOf("\r\n", line) + 2) {
            int colon = request.indexOf(':', line);
            if (colon > 0 && request.substring(line, colon).strip().equalsIgnoreCase(name)) {
                return request.substring(colon + 1, request.indexOf("\r\n", line)).strip();
            }
        }
        return null;
    }

    /** The length of the request at the buffer's position, head and body, or 0 while it is incomplete. */
    private static int completeRequestLength(ByteBuffer buffer) {
        int start = buffer.position();
        int end = buffer.limit();
        int contentLength = 0;
        int lineStart = start;
        for (int i = start; i + 1 < end; i++) {
            if (buffer.get(i) != '\r' || buffer.get(i + 1) != '\n') {
                continue;
            }
            if (i == lineStart) {
                int total = i + 2 - start + contentLength;
                return end - start >= total ? total : 0;
            }
            contentLength = Math.max(contentLength, contentLength(buffer, lineStart, i));
            lineStart = i + 2;
            i++;
        }
        return 0;
    }

    private static int contentLength(ByteBuffer buffer, int from, int to) {
        String name = "content-length:";
        if (to - from <= name.length()) {
            return 0;
        }
        for (int j = 0; j < name.length(); j++) {
            if (Character.toLowerCase(buffer.get(from + j)) != name.charAt(j)) {
                return 0;
            }
        }
        int value = 0;
        for (int j = from + name.length(); j < to; j++) {
            byte digit = buffer.get(j);
            if (digit >= '0' && digit <= '9') {
                value = value * 10 + digit - '0';
            }
        }
        return value;
    }

    private record Connection(int port, ByteBuffer buffer) {
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // the member hung up: nothing left to close
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            loop.join(5_000);
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            for (ServerSocketChannel channel : listening) {
                channel.close();
            }
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
