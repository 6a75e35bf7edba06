package dev.rankcluster.model;

import java.util.List;

/** Outcome of a command's fan-out, as answered to its sender. */
public record CommandReport(String commandId, int senderRank, long epoch, int targets, int delivered,
                            List<FailedDelivery> failed) {

    public CommandReport {
        failed = List.copyOf(failed);
    }
}
