package dev.flagsync.evaluator.strategy;

import dev.flagsync.evaluator.condition.Cidr;
import dev.flagsync.evaluator.condition.IpAddress;
import dev.flagsync.evaluator.condition.Warnings;
import dev.flagsync.evaluator.model.Strategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** userWithId, remoteAddress and applicationHostname: a comma-separated list parameter, parsed once. */
final class ListRules {

    private ListRules() {
    }

    static StrategyRule compile(String name, Strategy strategy, String path, Warnings warnings) {
        return switch (name) {
            case "userWithId" -> {
                Set<String> ids = Set.copyOf(split(strategy.parameter("userIds")));
                yield (context, host) -> context.userId() != null && ids.contains(context.userId());
            }
            case "applicationHostname" -> {
                Set<String> names = new HashSet<>();
                split(strategy.parameter("hostNames")).forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
                // The host's name, not the user's: on a server that is the server itself (docs/flags.md).
                yield (context, host) -> names.contains(host.hostname());
            }
            default -> remoteAddress(split(strategy.parameter("IPs")), path + ".IPs", warnings);
        };
    }

    /** remoteAddress: an exact match of the address text, or inside an IPv4 or IPv6 network of the list. */
    private static StrategyRule remoteAddress(List<String> entries, String path, Warnings warnings) {
        Set<String> exact = Set.copyOf(entries);
        Cidr[] ranges = Cidr.parseAll(entries, path, warnings).toArray(Cidr[]::new);
        return (context, host) -> {
            String address = context.remoteAddress();
            if (address == null) {
                return false;
            }
            if (exact.contains(address)) {
                return true;
            }
            byte[] bytes = IpAddress.parse(address);
            for (Cidr range : ranges) {
                if (range.contains(bytes)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** The list split on commas, each entry trimmed and empty entries dropped, as the SDKs split it. */
    static List<String> split(String list) {
        List<String> entries = new ArrayList<>();
        if (list != null) {
            for (String entry : list.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.strip());
                }
            }
        }
        return entries;
    }
}
