package dev.rankcluster.client.command;

import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.Registration;
import java.time.Instant;
import java.util.regex.Matcher;

/**
 * Delivery bodies for tests, written out as the server would send them to the member registered as
 * {@link #registration()}, and signed as the server would sign them for it.
 */
final class Deliveries {

    /** The lease token of the independent signature vectors' first member. */
    static final String LEASE_TOKEN = "lFvdG-NCqHFIqtFEmKX7-B3E1GyHhHYhmHionyZKgLo";
    static final String RECEIVER_ID = "m-3";
    /** The deliveries below expire then; test clocks stand a second or two before. */
    static final Instant EXPIRES_AT = Instant.parse("2026-11-23T21:00:02Z");

    private Deliveries() {
    }

    /** This client's registration, as the rank server answered it. */
    static Registration registration() {
        return new Registration(RECEIVER_ID, "10.0.0.9:8080", 2, LEASE_TOKEN, 10_000, 7);
    }

    static String sign(String body, long timestamp) {
        return DeliverySignature.forLeaseToken(LEASE_TOKEN).sign(timestamp, body);
    }

    static String aDelivery(String commandId, int senderRank, int receiverRank) {
        return aDelivery(commandId, senderRank, RECEIVER_ID, receiverRank, EXPIRES_AT);
    }

    static String aDelivery(String commandId, int senderRank, String receiverId, int receiverRank, Instant expiresAt) {
        return """
                {"commandId":"%s","command":"flush-cache","senderId":"m-1","senderAddress":"10.0.0.2:8080",\
                "senderRank":%d,"receiverId":"%s","receiverRank":%d,"epoch":7,"issuedAt":"2026-11-23T21:00:00Z",\
                "expiresAt":"%s"}"""
                .formatted(commandId, senderRank, receiverId, receiverRank, expiresAt);
    }

    static String aDelivery(String commandId) {
        return aDelivery(commandId, 0, 2);
    }

    /** Command id of the deliveries built to be refused: a test asserts it never shows up as executed. */
    static final String REFUSED_ID = "must-not-run";

    /** A valid delivery with one field's JSON value replaced (raw JSON, so wrong types can be written). */
    static String withField(String field, String rawJsonValue) {
        String valid = aDelivery(REFUSED_ID);
        String replaced = valid.replaceFirst("\"" + field + "\":(\"[^\"]*\"|-?\\d+)", Matcher.quoteReplacement("\"" + field + "\":" + rawJsonValue));
        if (replaced.equals(valid)) {
            throw new IllegalArgumentException("no field " + field);
        }
        return replaced;
    }

    /** A valid delivery without one field. */
    static String without(String field) {
        return aDelivery(REFUSED_ID).replaceFirst("\"" + field + "\":(\"[^\"]*\"|-?\\d+),?", "").replace(",}", "}");
    }
}
