package dev.rankcluster.server.events;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /api/v1/events}: the ranking on every change and every command's report, as server-sent events. */
@RestController
@Tag(name = "events", description = "Watch the ranking and the commands as they happen")
class EventStreamController {

    private final EventBroadcaster broadcaster;

    EventStreamController(EventBroadcaster broadcaster) {
        this.broadcaster = broadcaster;
    }

    @Operation(summary = "Server-sent events: the ranking first, then every change and every command",
            description = "A ranking event (its id is the epoch) carries the whole ranking and the change's reason: "
                    + "snapshot, joined, left, expired, unreachable or removed. A command event carries a command's "
                    + "report. Reconnecting with Last-Event-ID replays the changes missed, while the server still "
                    + "holds them, else starts with a fresh snapshot.")
    @ApiResponse(responseCode = "200", description = "the stream", content = @Content(
            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@Parameter(description = "the epoch of the last ranking event received")
                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        return broadcaster.subscribe(lastEventId);
    }
}
