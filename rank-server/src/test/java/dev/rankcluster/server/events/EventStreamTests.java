package dev.rankcluster.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.server.support.RankServerTestBase;
import dev.rankcluster.server.support.SseClient;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "rank.server.admin-token=" + RankServerTestBase.ADMIN_TOKEN)
class EventStreamTests extends RankServerTestBase {

    void leave(JsonNode member) {
        http.delete("/api/v1/members/" + member.path("id").asString(), "X-Lease-Token", member.path("leaseToken").asString());
    }

    @Test
    void subscribe_new_firstGetsTheCurrentSnapshot() throws Exception {
        register(9301);
        register(9302);
        long epoch = epoch();

        try (SseClient events = new SseClient(port, null)) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.contentType()).startsWith("text/event-stream");
            SseClient.Event first = events.next();

            assertThat(first.name()).isEqualTo("ranking");
            assertThat(first.id()).isEqualTo(Long.toString(epoch));
            JsonNode data = first.json();
            assertThat(data.path("epoch").asLong()).isEqualTo(epoch);
            assertThat(data.path("reason").asString()).isEqualTo("snapshot");
            assertThat(data.path("address").isNull()).isTrue();
            assertThat(data.path("members")).extracting(member -> member.path("address").asString())
                    .containsExactly("127.0.0.1:9301", "127.0.0.1:9302");
            assertThat(data.path("members").get(1).path("rank").asInt()).isEqualTo(1);
        }
    }

    @Test
    void change_afterSubscribing_oneRankingEventPerEpochWithReason() throws Exception {
        try (SseClient events = new SseClient(port, null)) {
            long start = events.next().json().path("epoch").asLong();

            register(9301);
            JsonNode second = register(9302);
            register(9303);
            leave(second);

            List<JsonNode> changes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                SseClient.Event event = events.next();
                assertThat(event.id()).isEqualTo(Long.toString(start + 1 + i));
                changes.add(event.json());
            }
            assertThat(changes).extracting(change -> change.path("reason").asString())
                    .containsExactly("joined", "joined", "joined", "left");
            JsonNode left = changes.get(3);
            assertThat(left.path("address").asString()).isEqualTo("127.0.0.1:9302");
            assertThat(left.path("members")).extracting(member -> member.path("address").asString())
                    .containsExactly("127.0.0.1:9301", "127.0.0.1:9303");
            assertThat(left.toString()).doesNotContain("leaseToken");
        }
    }

    @Test
    void reconnect_withLastEventIdInHistory_replaysEveryMissedChangeInOrder() throws Exception {
        long seen;
        try (SseClient events = new SseClient(port, null)) {
            seen = Long.parseLong(events.next().id());
        }
        JsonNode a = register(9301);
        register(9302);
        leave(a);

        try (SseClient events = new SseClient(port, Long.toString(seen))) {
            List<SseClient.Event> replayed = List.of(events.next(), events.next(), events.next());

            assertThat(replayed).extracting(SseClient.Event::id)
                    .containsExactly(Long.toString(seen + 1), Long.toString(seen + 2), Long.toString(seen + 3));
            assertThat(replayed).extracting(event -> event.json().path("reason").asString())
                    .containsExactly("joined", "joined", "left");
            assertThat(events.poll(Duration.ofMillis(300))).as("no snapshot after a full replay").isNull();
        }
    }

    @Test
    void reconnect_withLastEventIdAheadOfServer_freshSnapshot() throws Exception {
        register(9301);
        long epoch = epoch();

        try (SseClient events = new SseClient(port, Long.toString(epoch + 1000))) {
            SseClient.Event first = events.next();

            assertThat(first.json().path("reason").asString()).isEqualTo("snapshot");
            assertThat(first.id()).isEqualTo(Long.toString(epoch));
        }
    }

    @Test
    void reconnect_withLastEventIdNotAnEpoch_freshSnapshot() throws Exception {
        try (SseClient events = new SseClient(port, "yesterday")) {
            assertThat(events.next().json().path("reason").asString()).isEqualTo("snapshot");
        }
    }

    @Test
    void command_sent_commandEventWithReport() throws Exception {
        register(9301);
        JsonNode last = register(9302);

        try (SseClient events = new SseClient(port, null)) {
            events.next();
            http.postJson("/api/v1/commands", "{\"senderId\": \"%s\", \"command\": \"status\"}"
                    .formatted(last.path("id").asString()), "X-Lease-Token", last.path("leaseToken").asString());

            SseClient.Event event = events.next();

            assertThat(event.name()).isEqualTo("command");
            JsonNode data = event.json();
            assertThat(data.path("command").asString()).isEqualTo("status");
            assertThat(data.path("senderAddress").asString()).isEqualTo("127.0.0.1:9302");
            assertThat(data.path("senderRank").asInt()).isEqualTo(1);
            assertThat(data.path("targets").asInt()).isZero();
            assertThat(data.path("commandId").asString()).isNotBlank();
            assertThat(data.has("failed")).isTrue();
        }
    }

    @Test
    void subscriberThatNeverReads_doesNotHoldUpChanges() throws Exception {
        for (int i = 0; i < 50; i++) {
            register(9400 + i);
        }
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(1024);
            stalled.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // Each change is a ~5 KB event, far more than the stalled socket buffers: were sending part of a
            // change, these requests would hang and time out.
            for (int round = 0; round < 100; round++) {
                leave(register(9500));
            }

            long epoch = epoch();
            try (SseClient events = new SseClient(port, null)) {
                assertThat(events.next().id()).isEqualTo(Long.toString(epoch));
            }
        }
    }
}
