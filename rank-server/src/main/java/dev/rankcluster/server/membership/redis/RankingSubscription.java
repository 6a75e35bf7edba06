package dev.rankcluster.server.membership.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Keeps this server subscribed to the changes that every server publishes. Redis may be away when the server
 * starts: then each sweep tries again ({@link #subscribed()}), on a fresh container, since a container whose
 * first subscription failed never starts again. Once subscribed, Lettuce subscribes again by itself after a
 * reconnect, and the feed reads the ranking again for whatever it missed meanwhile.
 */
final class RankingSubscription implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RankingSubscription.class);

    private final RedisConnectionFactory redis;
    private final MessageListener feed;
    /** Guarded by this. */
    private RedisMessageListenerContainer container;
    private boolean running;

    RankingSubscription(RedisConnectionFactory redis, MessageListener feed) {
        this.redis = redis;
        this.feed = feed;
    }

    @Override
    public synchronized void start() {
        running = true;
        subscribe();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (container != null) {
            destroy(container);
            container = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    /** Whether changes reach the feed; subscribes first when the last attempt failed. */
    synchronized boolean subscribed() {
        if (running && container == null) {
            subscribe();
        }
        return container != null;
    }

    private void subscribe() {
        RedisMessageListenerContainer candidate = new RedisMessageListenerContainer();
        candidate.setConnectionFactory(redis);
        // Handing each message straight to the feed keeps Redis's order; the feed applies them on its own thread.
        candidate.setTaskExecutor(new SyncTaskExecutor());
        candidate.addMessageListener(feed, new ChannelTopic(MembershipScripts.CHANGES_CHANNEL));
        try {
            candidate.afterPropertiesSet();
            candidate.start();
            container = candidate;
        } catch (RuntimeException redisAway) {
            log.debug("Cannot subscribe to {} yet: {}", MembershipScripts.CHANGES_CHANNEL, redisAway.getMessage());
            destroy(candidate);
        }
    }

    private static void destroy(RedisMessageListenerContainer container) {
        try {
            container.destroy();
        } catch (Exception alreadyGone) {
            log.debug("Closing the subscription failed: {}", alreadyGone.getMessage());
        }
    }
}
