package dev.rankcluster.server.command;

import dev.rankcluster.model.CommandReport;
import dev.rankcluster.model.CommandRequest;
import dev.rankcluster.model.RankHeaders;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "commands", description = "Send a command to the lower ranks")
class CommandController {

    private final CommandFanout fanout;

    CommandController(CommandFanout fanout) {
        this.fanout = fanout;
    }

    @Operation(summary = "Send a command to every member ranked below the sender, or to one (targetId)",
            description = "The deliveries run concurrently, each bounded by the delivery timeout; the answer "
                    + "reports how many were delivered and why the others failed.")
    @ApiResponse(responseCode = "200", description = "the fan-out's report")
    @ApiResponse(responseCode = "400", description = "malformed body, or a command that is not 1 to 256 printable characters")
    @ApiResponse(responseCode = "401", description = "no X-Lease-Token")
    @ApiResponse(responseCode = "403", description = "forbidden: not the sender's lease token; "
            + "rank-violation: the target does not rank below the sender")
    @ApiResponse(responseCode = "404", description = "no such sender or target")
    @ApiResponse(responseCode = "429", description = "rate-limited: too many commands from this member (Retry-After)")
    @PostMapping(path = "/api/v1/commands", consumes = MediaType.APPLICATION_JSON_VALUE)
    CommandReport send(@Parameter(description = "the sender's lease token")
                       @RequestHeader(name = RankHeaders.LEASE_TOKEN, required = false) String leaseToken,
                       @RequestBody CommandRequest request) {
        return fanout.send(leaseToken, request);
    }
}
