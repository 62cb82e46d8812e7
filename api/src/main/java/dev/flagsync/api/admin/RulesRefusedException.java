package dev.flagsync.api.admin;

import dev.flagsync.evaluator.validate.ValidationError;
import java.util.List;

/** An admin write whose flag or segment fails the strict check; each error names its JSON path. Maps to 400. */
public final class RulesRefusedException extends RuntimeException {

    private final List<ValidationError> errors;

    public RulesRefusedException(String what, List<ValidationError> errors) {
        super(what + " refused: " + errors.getFirst() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
        this.errors = List.copyOf(errors);
    }

    public List<ValidationError> errors() {
        return errors;
    }
}
