package dev.rankcluster.client.command;

import dev.rankcluster.client.system.ProblemException;
import dev.rankcluster.model.CommandText;
import dev.rankcluster.model.Delivery;
import dev.rankcluster.model.ProblemType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads a delivery from the exact bytes that were signed and checks every field, so that a bad delivery is
 * refused with {@code 400 invalid-request} before anything happens. Strict: a number in quotes or for a text,
 * a fraction for a rank, a duplicated key or trailing data is refused rather than guessed at.
 */
@Component
class DeliveryParser {

    /** Ids and addresses are opaque, but not unbounded: they are kept in memory for replay protection. */
    static final int MAX_ID_LENGTH = 256;

    private final ObjectReader reader;

    DeliveryParser(JsonMapper jsonMapper) {
        this.reader = jsonMapper.rebuild()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(LogicalType.Textual, strings -> strings
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build()
                .readerFor(Delivery.class);
    }

    Delivery parse(byte[] body) {
        Delivery delivery = read(body);
        List<String> problems = problemsWith(delivery);
        if (!problems.isEmpty()) {
            throw invalid(String.join("; ", problems));
        }
        return delivery;
    }

    private Delivery read(byte[] body) {
        if (body.length == 0) {
            throw invalid("the body must be a delivery, got none");
        }
        try {
            Delivery delivery = reader.readValue(body);
            if (delivery == null) {
                throw invalid("the body must be a JSON object, got null");
            }
            return delivery;
        } catch (StreamReadException e) {
            throw invalid("malformed JSON at line %d, column %d".formatted(
                    e.getLocation().getLineNr(), e.getLocation().getColumnNr()));
        } catch (JacksonException e) {
            String field = e.getPath().stream()
                    .map(JacksonException.Reference::getPropertyName)
                    .filter(name -> name != null)
                    .collect(Collectors.joining("."));
            throw invalid(field.isEmpty() ? "the body must be a JSON object with the delivery's fields"
                    : "field '%s' has the wrong type or format".formatted(field));
        }
    }

    private static List<String> problemsWith(Delivery delivery) {
        Map<String, Object> required = new LinkedHashMap<>();
        required.put("commandId", delivery.commandId());
        required.put("command", delivery.command());
        required.put("senderId", delivery.senderId());
        required.put("senderAddress", delivery.senderAddress());
        required.put("senderRank", delivery.senderRank());
        required.put("receiverId", delivery.receiverId());
        required.put("receiverRank", delivery.receiverRank());
        required.put("epoch", delivery.epoch());
        required.put("issuedAt", delivery.issuedAt());
        required.put("expiresAt", delivery.expiresAt());
        List<String> missing = required.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
        if (!missing.isEmpty()) {
            return List.of("missing " + String.join(", ", missing));
        }
        List<String> problems = new ArrayList<>();
        CommandText.problemWith(delivery.command()).ifPresent(problems::add);
        checkId("commandId", delivery.commandId(), problems);
        checkId("senderId", delivery.senderId(), problems);
        checkId("senderAddress", delivery.senderAddress(), problems);
        checkId("receiverId", delivery.receiverId(), problems);
        if (delivery.senderRank() < 0) {
            problems.add("senderRank must be 0 or more, got " + delivery.senderRank());
        }
        if (delivery.receiverRank() < 0) {
            problems.add("receiverRank must be 0 or more, got " + delivery.receiverRank());
        }
        if (delivery.epoch() < 0) {
            problems.add("epoch must be 0 or more, got " + delivery.epoch());
        }
        return problems;
    }

    private static void checkId(String field, String value, List<String> problems) {
        if (value.isBlank() || value.length() > MAX_ID_LENGTH || !value.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
            problems.add("%s must be 1 to %d visible characters".formatted(field, MAX_ID_LENGTH));
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, detail);
    }
}
