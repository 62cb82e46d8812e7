package dev.flagsync.evaluator.condition;

import dev.flagsync.evaluator.Context;

/**
 * A context field named by a constraint, resolved once at compile time. As in Unleash's SDKs a
 * top-level field ({@code userId}, ...) is read first, then the property of the same name.
 */
public final class ContextField {

    private enum Slot { PROPERTY, USER_ID, SESSION_ID, REMOTE_ADDRESS, CURRENT_TIME, ENVIRONMENT, APP_NAME }

    private final String name;
    private final Slot slot;

    private ContextField(String name, Slot slot) {
        this.name = name;
        this.slot = slot;
    }

    public static ContextField of(String name) {
        Slot slot = switch (name == null ? "" : name) {
            case "userId" -> Slot.USER_ID;
            case "sessionId" -> Slot.SESSION_ID;
            case "remoteAddress" -> Slot.REMOTE_ADDRESS;
            case "currentTime" -> Slot.CURRENT_TIME;
            case "environment" -> Slot.ENVIRONMENT;
            case "appName" -> Slot.APP_NAME;
            default -> Slot.PROPERTY;
        };
        return new ContextField(name == null ? "" : name, slot);
    }

    public String name() {
        return name;
    }

    /** The field's value, or null when neither the field nor a property of its name is set. */
    public String valueIn(Context context) {
        String value = switch (slot) {
            case USER_ID -> context.userId();
            case SESSION_ID -> context.sessionId();
            case REMOTE_ADDRESS -> context.remoteAddress();
            case CURRENT_TIME -> context.currentTime();
            case ENVIRONMENT -> context.environment();
            case APP_NAME -> context.appName();
            case PROPERTY -> null;
        };
        return value != null ? value : context.property(name);
    }

    /** Like {@link #valueIn}, with the empty string read as absent (stickiness does so). */
    public String nonEmptyValueIn(Context context) {
        String value = valueIn(context);
        return value == null || value.isEmpty() ? null : value;
    }
}
