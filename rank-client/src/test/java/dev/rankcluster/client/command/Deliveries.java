package dev.rankcluster.client.command;

import java.util.regex.Matcher;

/** Delivery bodies for tests, written out as the server would send them. */
final class Deliveries {

    private Deliveries() {
    }

    static String aDelivery(String commandId, int senderRank, int receiverRank) {
        return """
                {"commandId":"%s","command":"flush-cache","senderId":"m-1","senderAddress":"10.0.0.2:8080",\
                "senderRank":%d,"receiverRank":%d,"epoch":7,"issuedAt":"2026-11-23T21:00:00Z"}"""
                .formatted(commandId, senderRank, receiverRank);
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
