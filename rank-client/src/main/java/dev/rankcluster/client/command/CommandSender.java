package dev.rankcluster.client.command;

import dev.rankcluster.client.registration.RankServerClient;
import dev.rankcluster.client.registration.RankServerException;
import dev.rankcluster.client.registration.RegistrationState;
import dev.rankcluster.client.system.RankClientProperties;
import dev.rankcluster.model.CommandReport;
import dev.rankcluster.model.CommandRequest;
import dev.rankcluster.model.Registration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sends a random command from {@code rank.client.commands} at a random interval in
 * [{@code send-interval-min}, {@code send-interval-max}], while this client is registered. Stops before the
 * registration lifecycle (a higher phase), so that nothing is sent once unregistering has begun.
 */
@Component
class CommandSender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommandSender.class);

    private final RankServerClient server;
    private final RegistrationState registration;
    private final List<String> commands;
    private final Duration intervalMin;
    private final Duration intervalMax;
    private final boolean enabled;
    private final RandomGenerator random = RandomGenerator.getDefault();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("rank-command-sender").daemon().factory());
    private volatile boolean running;

    CommandSender(RankServerClient server, RegistrationState registration, RankClientProperties properties) {
        this.server = server;
        this.registration = registration;
        this.commands = properties.commands();
        this.intervalMin = properties.sendIntervalMin();
        this.intervalMax = properties.sendIntervalMax();
        this.enabled = properties.sendEnabled();
    }

    @Override
    public void start() {
        running = true;
        if (!enabled) {
            log.info("Sending commands is disabled (rank.client.send-enabled=false)");
            return;
        }
        scheduleNext();
    }

    @Override
    public void stop() {
        running = false;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first: a higher phase than the registration lifecycle. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    Duration nextInterval() {
        long spread = intervalMax.toMillis() - intervalMin.toMillis();
        return intervalMin.plusMillis(random.nextLong(spread + 1));
    }

    String nextCommand() {
        return commands.get(random.nextInt(commands.size()));
    }

    private void scheduleNext() {
        try {
            scheduler.schedule(this::sendAndReschedule, nextInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            log.debug("Not scheduling the next command: shutting down");
        }
    }

    private void sendAndReschedule() {
        try {
            registration.current().ifPresent(this::sendRandomCommand);
        } finally {
            if (running) {
                scheduleNext();
            }
        }
    }

    private static String clients(int count) {
        return count == 1 ? "1 client" : count + " clients";
    }

    private void sendRandomCommand(Registration sender) {
        String command = nextCommand();
        try {
            CommandReport report = server.send(CommandRequest.toAllBelow(sender.id(), command), sender.leaseToken());
            // The lowest rank has nobody to send to: no line every few seconds saying so.
            if (report.targets() > 0) {
                log.info("Sent '{}' to {}: {} delivered, {} failed", command, clients(report.targets()),
                        report.delivered(), report.failed().size());
            }
        } catch (RankServerException e) {
            log.warn("Sending '{}' failed ({}); trying again later", command, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Sending '{}' failed unexpectedly; trying again later", command, e);
        }
    }
}
