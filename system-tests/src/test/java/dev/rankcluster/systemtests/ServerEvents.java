package dev.rankcluster.systemtests;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

import dev.rankcluster.model.CommandEvent;
import dev.rankcluster.model.RankingEvent;
import dev.rankcluster.model.SessionEvent;

/**
 * Records the server's event stream ({@code GET /api/v1/events}) as a watcher sees it: every ranking change
 * with its reason, every command's report, and every member session that opens or closes. Parses server-sent
 * events line by line as they arrive.
 */
final class ServerEvents implements AutoCloseable, Flow.Subscriber<String> {

    private final JsonHttp http;
    private final List<RankingEvent> rankings = new CopyOnWriteArrayList<>();
    private final List<CommandEvent> commands = new CopyOnWriteArrayList<>();
    private final List<SessionEvent> sessions = new CopyOnWriteArrayList<>();
    private final List<String> malformed = new CopyOnWriteArrayList<>();
    private final StringBuilder data = new StringBuilder();
    private String eventName = "message";
    private volatile Flow.Subscription subscription;

    private ServerEvents(JsonHttp http) {
        this.http = http;
    }

    static ServerEvents subscribe(JsonHttp http, URI uri) {
        var events = new ServerEvents(http);
        var request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build();
        http.client().sendAsync(request, BodyHandlers.fromLineSubscriber(events));
        return events;
    }

    List<RankingEvent> rankings() {
        failOnMalformedEvents();
        return List.copyOf(rankings);
    }

    /** The ranking changes after {@code epoch}, in order. */
    List<RankingEvent> rankingsAfter(long epoch) {
        return rankings().stream().filter(event -> event.epoch() > epoch).toList();
    }

    /** The reports of every fan-out, in order. */
    List<CommandEvent> commands() {
        failOnMalformedEvents();
        return List.copyOf(commands);
    }

    /** The reports of every fan-out of {@code command}, in order. */
    List<CommandEvent> commands(String command) {
        failOnMalformedEvents();
        return commands.stream().filter(event -> command.equals(event.command())).toList();
    }

    /** Every member session that opened or closed, in order. */
    List<SessionEvent> sessions() {
        failOnMalformedEvents();
        return List.copyOf(sessions);
    }

    private void failOnMalformedEvents() {
        if (!malformed.isEmpty()) {
            throw new AssertionError("the event stream broke the contract: " + malformed);
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        if (line.isEmpty()) {
            dispatch();
        } else if (!line.startsWith(":")) {
            int colon = line.indexOf(':');
            var field = colon < 0 ? line : line.substring(0, colon);
            var value = colon < 0 ? "" : line.substring(colon + 1);
            value = value.startsWith(" ") ? value.substring(1) : value;
            switch (field) {
                case "event" -> eventName = value;
                case "data" -> data.append(data.isEmpty() ? "" : "\n").append(value);
                default -> {
                    // id and retry: the recorder keeps the epoch from the data itself
                }
            }
        }
    }

    private void dispatch() {
        if (!data.isEmpty()) {
            try {
                switch (eventName) {
                    case "ranking" -> rankings.add(http.mapper().readValue(data.toString(), RankingEvent.class));
                    case "command" -> commands.add(http.mapper().readValue(data.toString(), CommandEvent.class));
                    case "session" -> sessions.add(http.mapper().readValue(data.toString(), SessionEvent.class));
                    default -> malformed.add("unknown event '%s': %s".formatted(eventName, data));
                }
            } catch (RuntimeException e) {
                malformed.add("unreadable '%s' event %s: %s".formatted(eventName, data, e.getMessage()));
            }
        }
        data.setLength(0);
        eventName = "message";
    }

    @Override
    public void onError(Throwable throwable) {
        // The stream ends when the server stops; what was recorded stays readable.
    }

    @Override
    public void onComplete() {
        // As onError.
    }

    @Override
    public void close() {
        var current = subscription;
        if (current != null) {
            current.cancel();
        }
    }
}
