package dev.flagsync.api.unleash;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Unleash-Client-Spec} header: the version of Unleash's client specification an SDK
 * implements. SDKs from spec 4.2.0 on read {@code segments} from the answer; older ones, and
 * those that send no header, get segment constraints inlined into strategies, as Unleash does.
 */
public final class ClientSpec {

    public static final String HEADER = "Unleash-Client-Spec";

    private static final Pattern VERSION = Pattern.compile("v?(\\d{1,9})\\.(\\d{1,9})(?:\\.\\d{1,9})?(?:[-+][0-9A-Za-z.+-]*)?");

    private ClientSpec() {
    }

    /** Whether the SDK reads segments by id: a header of version 4.2.0 or later. */
    public static boolean readsSegments(String header) {
        if (header == null || header.isBlank()) {
            return false;
        }
        Matcher version = VERSION.matcher(header.trim());
        if (!version.matches()) {
            return false;
        }
        int major = Integer.parseInt(version.group(1));
        int minor = Integer.parseInt(version.group(2));
        return major > 4 || major == 4 && minor >= 2;
    }
}
