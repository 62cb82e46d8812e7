package dev.flagsync.evaluator;

/** Why an {@link Evaluation} is not an ordinary answer; each maps onto an OFREP error code. */
public enum ErrorCode {
    /** No flag of that key (reason DEFAULT; OFREP's FLAG_NOT_FOUND). */
    FLAG_NOT_FOUND,
    /** A legacy percentage flag evaluated without a userId (reason ERROR; OFREP's TARGETING_KEY_MISSING). */
    TARGETING_KEY_MISSING,
    /** The flag's stored rules could not be read (reason ERROR; OFREP's GENERAL or PARSE_ERROR). */
    UNREADABLE_RULES
}
