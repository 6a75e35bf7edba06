package dev.rankcluster.client.command;

import dev.rankcluster.client.system.ProblemException;
import dev.rankcluster.model.Delivery;
import dev.rankcluster.model.ExecutedCommand;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.RankHeaders;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where the rank server delivers commands. The body is read raw, because the signature covers its exact
 * bytes, and every check runs before the command is executed.
 */
@RestController
@RequestMapping("/api/v1/commands")
@Tag(name = "commands", description = "Receive commands from the rank server; list those executed")
class DeliveryController {

    static final DataSize MAX_BODY = DataSize.ofKilobytes(16);

    private final DeliveryReceiver receiver;
    private final ExecutedCommands executed;

    DeliveryController(DeliveryReceiver receiver, ExecutedCommands executed) {
        this.receiver = receiver;
        this.executed = executed;
    }

    /**
     * Executes a delivery only when it is signed for this registration, addressed to it, not past its deadline
     * and from a higher rank; each command id once. Every refusal executes nothing.
     */
    @Operation(summary = "Execute a command delivered by the rank server, at most once per commandId",
            description = "Only a delivery signed for this client's current registration runs: X-Rank-Signature is "
                    + "sha256=<hex HMAC-SHA256(deliveryKey, X-Rank-Timestamp + \".\" + the body)>, where deliveryKey = "
                    + "HMAC-SHA256(this client's lease token, \"rank-cluster/delivery-key\"), the timestamp within 30 s; "
                    + "it must name this client as receiverId and arrive before expiresAt.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = Delivery.class))))
    @ApiResponse(responseCode = "204", description = "executed, or executed before (same commandId)")
    @ApiResponse(responseCode = "400", description = "malformed delivery or missing fields")
    @ApiResponse(responseCode = "401", description = "invalid-signature: not signed for this client's current "
            + "registration, or a stale timestamp")
    @ApiResponse(responseCode = "403", description = "rank-violation: the sender does not outrank this client; "
            + "misaddressed: the delivery names another receiverId")
    @ApiResponse(responseCode = "410", description = "delivery-expired: it arrived after expiresAt and was not executed")
    @ApiResponse(responseCode = "413", description = "a body over 16 KiB")
    @ApiResponse(responseCode = "415", description = "a body that is not application/json")
    @ApiResponse(responseCode = "503", description = "this client cannot remember more command ids: not executed")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> receive(@Parameter(description = "epoch millis at which the server signed the delivery")
                                 @RequestHeader(name = RankHeaders.TIMESTAMP, required = false) String timestamp,
                                 @Parameter(description = "sha256=<hex HMAC>")
                                 @RequestHeader(name = RankHeaders.SIGNATURE, required = false) String signature,
                                 HttpServletRequest request) throws IOException {
        receiver.receive(timestamp, signature, readBody(request));
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "The last 100 commands executed, newest first")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    List<ExecutedCommand> executed() {
        return executed.newestFirst();
    }

    /** Reads at most {@link #MAX_BODY} bytes, counting as they arrive, so a chunked body cannot get around it. */
    private static byte[] readBody(HttpServletRequest request) throws IOException {
        long limit = MAX_BODY.toBytes();
        if (request.getContentLengthLong() > limit) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) limit + 1);
            if (body.length > limit) {
                throw tooLarge();
            }
            return body;
        }
    }

    private static ProblemException tooLarge() {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                "a delivery is at most %d bytes".formatted(MAX_BODY.toBytes()));
    }
}
