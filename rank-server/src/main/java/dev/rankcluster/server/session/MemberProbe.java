package dev.rankcluster.server.session;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * Asks whether a process still listens at a member's address: one TCP connection, closed at once. A killed
 * process's port refuses; a vanished container's address does not answer at all.
 */
final class MemberProbe {

    private MemberProbe() {
    }

    /** What the probe found; {@code answered} when something accepted the connection. */
    record Outcome(boolean answered, String description) {
    }

    static Outcome probe(String address, Duration timeout) {
        InetSocketAddress target;
        try {
            URI uri = new URI("tcp://" + address);
            if (uri.getHost() == null || uri.getPort() < 1) {
                return new Outcome(false, "not a host:port address");
            }
            target = new InetSocketAddress(uri.getHost(), uri.getPort());
        } catch (URISyntaxException | IllegalArgumentException notAnAddress) {
            return new Outcome(false, "not a host:port address");
        }
        if (target.isUnresolved()) {
            return new Outcome(false, "unknown host");
        }
        try (Socket socket = new Socket()) {
            socket.connect(target, (int) Math.max(1, timeout.toMillis()));
            return new Outcome(true, "connection accepted");
        } catch (SocketTimeoutException timedOut) {
            return new Outcome(false, "no answer within %d ms".formatted(timeout.toMillis()));
        } catch (ConnectException refused) {
            return new Outcome(false, "connection refused");
        } catch (IOException unreachable) {
            return new Outcome(false, unreachable.getMessage() == null ? "unreachable" : unreachable.getMessage());
        }
    }
}
