package dev.flagsync.evaluator.condition;

/**
 * Strict IP literals without any name lookup: dotted-quad IPv4 ({@code 192.168.0.1}) and IPv6 in
 * RFC 4291 text form ({@code 2001:db8::1}, {@code ::ffff:10.0.0.1}); no zone ids, no short IPv4
 * forms such as {@code 127.1}. Parsed to 4 or 16 bytes.
 */
public final class IpAddress {

    private IpAddress() {
    }

    /** The address bytes (4 for IPv4, 16 for IPv6), or null when {@code text} is not an IP literal. */
    public static byte[] parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text, 0, text.length());
    }

    static byte[] parseV4(String s, int from, int to) {
        byte[] out = new byte[4];
        int part = 0;
        int i = from;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i++) - '0');
            }
            boolean leadingZero = i - start > 1 && s.charAt(start) == '0';
            if (i == start || value > 255 || leadingZero) {
                return null;
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= to || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == to ? out : null;
    }

    private static byte[] parseV6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        byte[] out = new byte[16];
        if (gap < 0) {
            return groups(s, 0, s.length(), out, true) == 16 ? out : null;
        }
        byte[] tail = new byte[16];
        int headLength = groups(s, 0, gap, out, false);
        int tailLength = groups(s, gap + 2, s.length(), tail, true);
        if (headLength < 0 || tailLength < 0 || headLength + tailLength > 14) {
            return null;
        }
        System.arraycopy(tail, 0, out, 16 - tailLength, tailLength);
        return out;
    }

    /**
     * Writes the colon-separated hex groups of {@code s[from, to)} into {@code out}; the last may be
     * a dotted IPv4 address when {@code endsAddress}. Returns the bytes written, or -1 if malformed.
     */
    private static int groups(String s, int from, int to, byte[] out, boolean endsAddress) {
        if (from == to) {
            return 0;
        }
        int length = 0;
        int start = from;
        while (true) {
            int colon = s.indexOf(':', start);
            int end = colon < 0 || colon >= to ? to : colon;
            if (end == to && endsAddress && s.lastIndexOf('.', to - 1) >= start) {
                byte[] v4 = parseV4(s, start, to);
                if (v4 == null || length > 12) {
                    return -1;
                }
                System.arraycopy(v4, 0, out, length, 4);
                return length + 4;
            }
            if (end == start || end - start > 4 || length == 16) {
                return -1;
            }
            int value = 0;
            for (int i = start; i < end; i++) {
                int digit = s.charAt(i) < 128 ? Character.digit(s.charAt(i), 16) : -1;
                if (digit < 0) {
                    return -1;
                }
                value = value * 16 + digit;
            }
            out[length++] = (byte) (value >> 8);
            out[length++] = (byte) value;
            if (end == to) {
                return length;
            }
            start = end + 1;
        }
    }
}
