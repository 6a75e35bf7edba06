package dev.rankcluster.model;

import java.util.Optional;

/** The contract's rule for a command: 1 to 256 printable characters. */
public final class CommandText {

    public static final int MAX_LENGTH = 256;

    private CommandText() {
    }

    /** Why {@code command} is not a valid command, or empty when it is. */
    public static Optional<String> problemWith(String command) {
        if (command == null || command.isEmpty()) {
            return Optional.of("command must be 1 to %d printable characters, got none".formatted(MAX_LENGTH));
        }
        int length = command.codePointCount(0, command.length());
        if (length > MAX_LENGTH) {
            return Optional.of("command must be at most %d characters, got %d".formatted(MAX_LENGTH, length));
        }
        int offset = 0;
        while (offset < command.length()) {
            int codePoint = command.codePointAt(offset);
            if (!isPrintable(codePoint)) {
                return Optional.of("command must be printable, but has U+%04X at index %d".formatted(codePoint, offset));
            }
            offset += Character.charCount(codePoint);
        }
        return Optional.empty();
    }

    private static boolean isPrintable(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
