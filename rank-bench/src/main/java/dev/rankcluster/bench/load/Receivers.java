package dev.rankcluster.bench.load;

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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Simulated members' endpoints: one listening port per member on loopback, all served by one selector
 * thread. A delivery is read in full and answered {@code 204}, as a real client answers a delivery it
 * executed. One thread and no allocation per request keep the receivers' CPU small beside the server's,
 * whose cost per delivery is what is measured (the JDK HttpServer spent as much as the server).
 */
final class Receivers implements AutoCloseable {

    private static final byte[] NO_CONTENT = "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_REQUEST = 64 * 1024;

    private final Selector selector;
    private final Queue<ServerSocketChannel> opened = new ConcurrentLinkedQueue<>();
    private final List<ServerSocketChannel> listening = new ArrayList<>();
    private final LongAdder received = new LongAdder();
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

    long received() {
        return received.sum();
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
            connection.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(MAX_REQUEST));
        }
    }

    private void read(SelectionKey key) {
        SocketChannel connection = (SocketChannel) key.channel();
        ByteBuffer buffer = (ByteBuffer) key.attachment();
        try {
            if (connection.read(buffer) < 0 || !buffer.hasRemaining()) {
                close(key);
                return;
            }
            answerComplete(connection, buffer);
        } catch (IOException e) {
            close(key);
        }
    }

    /** Answers every complete request in the buffer and keeps the rest of an incomplete one. */
    private void answerComplete(SocketChannel connection, ByteBuffer buffer) throws IOException {
        buffer.flip();
        int length;
        while ((length = completeRequestLength(buffer)) > 0) {
            buffer.position(buffer.position() + length);
            received.increment();
            ByteBuffer answer = ByteBuffer.wrap(NO_CONTENT);
            while (answer.hasRemaining()) {
                connection.write(answer);
            }
        }
        buffer.compact();
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
