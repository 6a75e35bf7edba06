package dev.rankcluster.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.server.support.RankServerTestBase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Behind a load balancer (the compose profile {@code ha}) a member's address comes from {@code X-Forwarded-For},
 * but only in requests from the trusted proxy: anyone else who sends the header is registered at their own address.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rank.server.admin-token=" + RankServerTestBase.ADMIN_TOKEN,
        "server.forward-headers-strategy=native",
        "server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1"})
class ForwardedAddressTests extends RankServerTestBase {

    @Test
    void register_fromTrustedProxy_addressOfTheForwardedClient() throws IOException {
        String answer = registerFrom("127.0.0.1", 9401, "10.20.30.40");

        assertThat(answer).startsWith("HTTP/1.1 201").contains("\"address\":\"10.20.30.40:9401\"");
    }

    @Test
    void register_fromAnyoneElse_forwardedHeaderIgnored() throws IOException {
        String answer = registerFrom("127.0.0.2", 9402, "10.20.30.40");

        assertThat(answer).startsWith("HTTP/1.1 201").contains("\"address\":\"127.0.0.2:9402\"");
    }

    /** A registration sent from {@code localIp} (any 127/8 address is this machine) claiming {@code forwardedFor}. */
    private String registerFrom(String localIp, int memberPort, String forwardedFor) throws IOException {
        String body = "{\"port\": %d}".formatted(memberPort);
        String request = """
                POST /api/v1/members HTTP/1.1\r
                Host: 127.0.0.1:%d\r
                Content-Type: application/json\r
                Content-Length: %d\r
                X-Forwarded-For: %s\r
                Connection: close\r
                \r
                %s""".formatted(port, body.length(), forwardedFor, body);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localIp), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
