package dev.rankcluster.model;

import java.util.List;

/** Data of a {@code command} server-sent event: a command's report plus what was sent and by whom. */
public record CommandEvent(String commandId, int senderRank, long epoch, int targets, int delivered,
                           List<FailedDelivery> failed, String command, String senderAddress) {

    public CommandEvent {
        failed = List.copyOf(failed);
    }

    public static CommandEvent of(CommandReport report, String command, String senderAddress) {
        return new CommandEvent(report.commandId(), report.senderRank(), report.epoch(), report.targets(),
                report.delivered(), report.failed(), command, senderAddress);
    }
}
