package dev.rankcluster.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.server.support.RankServerTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;

/** Requests the servlet container refuses before Spring sees them: sent raw, since an HTTP client would not. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "rank.server.admin-token=" + RankServerTestBase.ADMIN_TOKEN)
class ContainerErrorTests extends RankServerTestBase {

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /api/v1/members/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            "POST /api/v1/members HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n"})
    void malformedRequest_refusedByTomcat_problemNotHtmlAndStateUnchanged(String request) throws IOException {
        long epoch = epoch();

        String response = sendRaw(request);

        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).containsIgnoringCase("Content-Type: application/problem+json")
                .contains("\"type\":\"https://rank-cluster.dev/problems/invalid-request\"", "\"status\":400")
                .doesNotContain("<html");
        assertThat(epoch()).isEqualTo(epoch);
    }

    private String sendRaw(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
