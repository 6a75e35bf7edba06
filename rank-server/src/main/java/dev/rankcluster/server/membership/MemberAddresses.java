package dev.rankcluster.server.membership;

import dev.rankcluster.model.RegistrationRequest;
import dev.rankcluster.server.system.ProblemException;
import dev.rankcluster.server.system.RankServerProperties;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Turns a registration into the member's address {@code ip:port}: the IP the request came from and the
 * port the client declares ({@code [v6]:port} for IPv6). The advertised {@code host} replaces the IP only
 * when {@code rank.server.trust-advertised-host} is on.
 */
@Component
class MemberAddresses {

    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final boolean trustAdvertisedHost;

    MemberAddresses(RankServerProperties properties) {
        this.trustAdvertisedHost = properties.trustAdvertisedHost();
    }

    String addressOf(RegistrationRequest request, String remoteIp) {
        Integer port = request.port();
        if (port == null) {
            throw ProblemException.invalidRequest("port is required: the port this client listens on, 1..65535");
        }
        if (port < 1 || port > 65535) {
            throw ProblemException.invalidRequest("port must be between 1 and 65535, got %d".formatted(port));
        }
        String host = trustAdvertisedHost && request.host() != null ? advertisedHost(request.host()) : ip(remoteIp);
        return host + ":" + port;
    }

    private static String advertisedHost(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.contains(":")) {
            if (IPV6_LITERAL.matcher(bare).matches()) {
                try {
                    return ip(bare);
                } catch (IllegalArgumentException notAnAddress) {
                    // reported below
                }
            }
        } else if (bare.length() <= 253 && HOST_NAME.matcher(bare).matches()) {
            return bare.toLowerCase(java.util.Locale.ROOT);
        }
        throw ProblemException.invalidRequest(
                "host must be a host name, an IPv4 or an IPv6 address, got '%s'".formatted(abbreviated(host)));
    }

    /** The IP as a member address shows it: IPv4 dotted, IPv6 compressed (RFC 5952) in brackets. */
    static String ip(String literal) {
        if (!literal.contains(":")) {
            return literal;
        }
        int zone = literal.indexOf('%');
        String withoutZone = zone < 0 ? literal : literal.substring(0, zone);
        InetAddress address;
        try {
            // A literal with ':' is parsed, never looked up.
            address = InetAddress.getByName(withoutZone);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + literal, e);
        }
        if (address instanceof Inet6Address v6) {
            return "[" + compressed(v6.getAddress()) + "]";
        }
        return address.getHostAddress();
    }

    private static String compressed(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static String abbreviated(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
