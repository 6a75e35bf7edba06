package dev.rankcluster.server.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A tiny real HTTP member on loopback that records the deliveries it gets and answers as told. */
public final class Receiver implements AutoCloseable {

    /** What the receiver does with a delivery before answering; returns the status to answer. */
    @FunctionalInterface
    public interface Behaviour {
        int handle(Received delivery) throws Exception;
    }

    public record Received(String body, Map<String, List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour = delivery -> 204;

    public Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api/v1/commands", this::handle);
        server.start();
    }

    public Receiver answering(Behaviour behaviour) {
        this.behaviour = behaviour;
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Received> received() {
        return received;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Received delivery = new Received(new String(exchange.getRequestBody().readAllBytes()),
                    Map.copyOf(exchange.getRequestHeaders()));
            received.add(delivery);
            int status;
            try {
                status = behaviour.handle(delivery);
            } catch (Exception e) {
                status = 500;
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
