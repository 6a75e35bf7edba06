package dev.rankcluster.model;

/**
 * Problem documents written as text, for the answers no Spring converter renders: the servlet container's own
 * refusals and error answers that come without a body. Plain Java, so that each app's Tomcat valve stays a thin
 * adapter and both apps answer alike.
 */
public final class ProblemJson {

    public static final String MEDIA_TYPE = "application/problem+json";

    static final String MALFORMED_REQUEST = "malformed request: check the URL, the headers and the body's framing";

    private ProblemJson() {
    }

    /** The problem document for {@code status}, typed by {@link ProblemType#forStatus(int)}. */
    public static String forStatus(int status, String detail) {
        ProblemType type = ProblemType.forStatus(status);
        return """
                {"type":"%s","title":"%s","status":%d,"detail":"%s"}""".formatted(
                type.uri(), quote(type.title()), status, quote(detail));
    }

    /** The answer to a request the servlet container refused before the application saw it. */
    public static String refusedByContainer(int status) {
        return forStatus(status, status == 400 ? MALFORMED_REQUEST : ProblemType.forStatus(status).title());
    }

    /** Escapes what would end or break a JSON string; a detail may quote part of a request. */
    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append("\\u%04x".formatted((int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.toString();
    }
}
