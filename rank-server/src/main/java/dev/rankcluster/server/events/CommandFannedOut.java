package dev.rankcluster.server.events;

import dev.rankcluster.model.CommandEvent;
import java.time.Duration;

/**
 * Published once a command reached (or failed to reach) all its targets.
 *
 * @param deliveredOnSessions of the command's delivered deliveries, those that went on members' sessions
 * @param failedOnSessions    of its failed deliveries, those that went on members' sessions
 */
public record CommandFannedOut(CommandEvent command, Duration duration, int deliveredOnSessions,
                               int failedOnSessions) {
}
