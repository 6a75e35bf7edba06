package dev.rankcluster.server.command;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Idle keep-alive connections to members, by address. A connection is kept only while it is young enough
 * that the member has not yet closed it on its side (Tomcat's keep-alive timeout is 60 s by default), and
 * the connections of a member nobody delivered to for that long are closed: members that left leave nothing
 * behind.
 */
final class MemberConnections implements AutoCloseable {

    static final Duration MAX_IDLE = Duration.ofSeconds(20);

    /** More than this many idle connections to one member are closed: concurrent deliveries to it are rare. */
    private static final int MAX_IDLE_PER_MEMBER = 8;

    private final Cache<String, Deque<MemberConnection>> idle = Caffeine.newBuilder()
            .expireAfterAccess(MAX_IDLE)
            .scheduler(Scheduler.systemScheduler())
            .<String, Deque<MemberConnection>>removalListener((address, connections, cause) -> {
                if (connections != null && cause != RemovalCause.REPLACED) {
                    connections.forEach(MemberConnection::close);
                }
            })
            .build();

    /** An idle connection to the address, or null when there is none young enough. */
    MemberConnection borrow(String address) {
        Deque<MemberConnection> connections = idle.getIfPresent(address);
        if (connections == null) {
            return null;
        }
        long now = System.nanoTime();
        for (MemberConnection connection = connections.pollFirst(); connection != null; connection = connections.pollFirst()) {
            if (now - connection.idleSince() < MAX_IDLE.toNanos()) {
                return connection;
            }
            connection.close();
        }
        return null;
    }

    /** Keeps a connection whose last answer was read in full, or closes it. */
    void giveBack(String address, MemberConnection connection) {
        if (!connection.isReusable()) {
            connection.close();
            return;
        }
        Deque<MemberConnection> connections = idle.get(address, any -> new ConcurrentLinkedDeque<>());
        if (connections.size() >= MAX_IDLE_PER_MEMBER) {
            connection.close();
            return;
        }
        connection.markIdle(System.nanoTime());
        connections.offerFirst(connection);
    }

    @Override
    public void close() {
        idle.invalidateAll();
        idle.cleanUp();
    }
}
