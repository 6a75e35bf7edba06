package dev.rankcluster.server.command;

import dev.rankcluster.model.CommandReport;
import dev.rankcluster.model.CommandRequest;
import dev.rankcluster.model.RankHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CommandController {

    private final CommandFanout fanout;

    CommandController(CommandFanout fanout) {
        this.fanout = fanout;
    }

    @PostMapping(path = "/api/v1/commands", consumes = MediaType.APPLICATION_JSON_VALUE)
    CommandReport send(@RequestHeader(name = RankHeaders.LEASE_TOKEN, required = false) String leaseToken,
                       @RequestBody CommandRequest request) {
        return fanout.send(leaseToken, request);
    }
}
