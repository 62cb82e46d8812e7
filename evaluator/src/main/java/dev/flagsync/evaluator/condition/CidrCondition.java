package dev.flagsync.evaluator.condition;

import dev.flagsync.evaluator.Context;
import dev.flagsync.evaluator.Host;
import java.util.List;

/** IN_CIDR: the context value is an IPv4 or IPv6 address inside one of the networks (invalid ones skipped). */
final class CidrCondition implements Condition {

    private final ContextField field;
    private final Cidr[] networks;

    private CidrCondition(ContextField field, Cidr[] networks) {
        this.field = field;
        this.networks = networks;
    }

    static Condition of(ContextField field, List<String> values, String path, Warnings warnings) {
        List<Cidr> networks = Cidr.parseAll(values, path, warnings);
        return networks.isEmpty() ? Condition.NEVER : new CidrCondition(field, networks.toArray(Cidr[]::new));
    }

    @Override
    public boolean test(Context context, Host host) {
        byte[] address = IpAddress.parse(field.valueIn(context));
        if (address == null) {
            return false;
        }
        for (Cidr network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
