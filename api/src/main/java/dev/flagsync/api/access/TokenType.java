package dev.flagsync.api.access;

import java.util.Locale;
import java.util.Optional;

/**
 * What a token may do, as in Unleash: {@code frontend} tokens get evaluated answers only (OFREP),
 * {@code server} tokens may also read raw flags and rules, {@code admin} tokens may do everything.
 */
public enum TokenType {
    ADMIN, SERVER, FRONTEND;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TokenType> parse(String value) {
        for (TokenType type : values()) {
            if (type.wire().equals(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** May read what a request asks for: raw snapshots, or evaluated answers. */
    boolean mayRead(View view) {
        return this != FRONTEND || view == View.EVALUATED;
    }
}
