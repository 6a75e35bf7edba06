package dev.rankcluster.server.dashboard;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in for a client's delivery endpoint on a loopback port: it accepts every delivery with 204. */
final class CommandReceiver implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger deliveries = new AtomicInteger();

    private CommandReceiver(HttpServer server) {
        this.server = server;
    }

    static CommandReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            CommandReceiver receiver = new CommandReceiver(server);
            server.createContext("/api/v1/commands", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    receiver.deliveries.incrementAndGet();
                    exchange.sendResponseHeaders(204, -1);
                }
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    int deliveries() {
        return deliveries.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
