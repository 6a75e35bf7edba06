package dev.rankcluster.server.events;

import dev.rankcluster.model.CommandEvent;
import java.time.Duration;

/** Published once a command reached (or failed to reach) all its targets. */
public record CommandFannedOut(CommandEvent command, Duration duration) {
}
