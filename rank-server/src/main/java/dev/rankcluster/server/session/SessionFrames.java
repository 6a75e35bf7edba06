package dev.rankcluster.server.session;

import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.SessionProtocol;

/**
 * The server's frames, written by hand: they are a handful of fields, and a fan-out writes a thousand of them, so
 * a second pass of the JSON writer over a body that is already JSON would be most of their cost.
 */
public final class SessionFrames {

    private SessionFrames() {
    }

    /** {@code {"type":"delivery","timestamp":…,"signature":"…","body":"…"}}, the body quoted as a JSON string. */
    public static String delivery(long timestamp, String signature, String body) {
        StringBuilder frame = new StringBuilder(body.length() + signature.length() + 96)
                .append("{\"type\":\"").append(SessionProtocol.DELIVERY).append("\",\"timestamp\":").append(timestamp)
                .append(",\"signature\":");
        quote(signature, frame);
        frame.append(",\"body\":");
        quote(body, frame);
        return frame.append('}').toString();
    }

    static String renewed(LeaseRenewal renewal) {
        return "{\"type\":\"" + SessionProtocol.RENEWED + "\",\"rank\":" + renewal.rank() + ",\"epoch\":" + renewal.epoch()
                + ",\"leaseTtlMs\":" + renewal.leaseTtlMs() + "}";
    }

    /** Appends {@code text} as a JSON string: quotes, backslashes and control characters escaped. */
    static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
