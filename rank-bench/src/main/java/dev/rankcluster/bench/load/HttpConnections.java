package dev.rankcluster.bench.load;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Keep-alive connections to one server, shared by any number of threads: each exchange borrows an idle
 * connection (or opens one) and gives it back when the answer has been read.
 */
final class HttpConnections implements AutoCloseable {

    private final InetSocketAddress address;
    private final String host;
    private final ConcurrentLinkedDeque<HttpConnection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    HttpConnections(String host, int port) {
        this.address = new InetSocketAddress(host, port);
        this.host = host + ":" + port;
    }

    String host() {
        return host;
    }

    /**
     * Sends a request and reads its answer. A kept-alive connection the server closed while it was idle
     * fails before any answer: the request is then sent once more on a new connection.
     */
    HttpConnection.Response exchange(byte[] request) throws IOException {
        HttpConnection reused = idle.pollFirst();
        if (reused != null) {
            try {
                return keepOrClose(reused, reused.exchange(request));
            } catch (EOFException | java.net.SocketException closedWhileIdle) {
                reused.close();
            }
        }
        HttpConnection fresh = new HttpConnection(address);
        try {
            return keepOrClose(fresh, fresh.exchange(request));
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    private HttpConnection.Response keepOrClose(HttpConnection connection, HttpConnection.Response response) {
        if (response.closes() || closed) {
            connection.close();
        } else {
            idle.offerFirst(connection);
        }
        return response;
    }

    @Override
    public void close() {
        closed = true;
        for (HttpConnection connection = idle.poll(); connection != null; connection = idle.poll()) {
            connection.close();
        }
    }
}
