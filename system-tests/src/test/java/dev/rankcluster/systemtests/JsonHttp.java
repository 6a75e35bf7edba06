package dev.rankcluster.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP GETs of JSON with short timeouts, so that a frozen process fails a poll instead of hanging it. */
final class JsonHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    // Tolerant reader: the contract fixes the fields we read, a server may add others.
    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    HttpClient client() {
        return client;
    }

    JsonMapper mapper() {
        return mapper;
    }

    <T> T get(URI uri, Class<T> type) {
        return mapper.readValue(getBody(uri), type);
    }

    <T> T get(URI uri, TypeReference<T> type) {
        return mapper.readValue(getBody(uri), type);
    }

    int status(URI uri) {
        return send(uri).statusCode();
    }

    private String getBody(URI uri) {
        var response = send(uri);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET %s answered %d: %s".formatted(uri, response.statusCode(), response.body()));
        }
        return response.body();
    }

    private HttpResponse<String> send(URI uri) {
        var request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
        try {
            return client.send(request, BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + uri, e);
        }
    }
}
