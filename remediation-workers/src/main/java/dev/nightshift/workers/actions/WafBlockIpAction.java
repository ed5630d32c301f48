package dev.nightshift.workers.actions;

import software.amazon.awssdk.services.wafv2.Wafv2Client;
import software.amazon.awssdk.services.wafv2.model.GetIpSetResponse;
import software.amazon.awssdk.services.wafv2.model.Scope;
import software.amazon.awssdk.services.wafv2.model.WafOptimisticLockException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Adds an abusive address to a WAF IP set that a blocking rule references. The set is read and written whole, with
 * the lock token of the read, so a concurrent change is never overwritten (a lost race reads again, a few times); an
 * address already in the set is reported, not added twice. Ranges wider than /16 (IPv4) or /48 (IPv6) are refused:
 * blocking that much is a person's call.
 */
public final class WafBlockIpAction implements RemediationAction {
    static final int ATTEMPTS = 3;
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private static final ActionSpec SPEC = new ActionSpec("waf-block-ip", ActionSpec.Kind.CHANGE,
            Map.of("ipSetName", "the IP set's name", "ipSetId", "the IP set's id",
                    "ip", "the address or CIDR (at most /16 or /48 wide) to block (default: the resource ip:ADDRESS)"),
            Map.of("scope", "REGIONAL or CLOUDFRONT (default REGIONAL; CLOUDFRONT sets live in us-east-1)"),
            false);

    private final Wafv2Client waf;

    public WafBlockIpAction(Wafv2Client waf) {
        this.waf = waf;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public String plan(Step step) {
        return "add " + cidr(step) + " to WAF IP set " + step.required("ipSetName") + " (" + scope(step) + ")";
    }

    @Override
    public ActionResult execute(Step step) {
        String cidr = cidr(step);
        String name = step.required("ipSetName");
        String id = step.required("ipSetId");
        Scope scope = scope(step);
        for (int attempt = 1; ; attempt++) {
            GetIpSetResponse set = read(name, id, scope);
            List<String> addresses = new ArrayList<>(set.ipSet().addresses());
            Map<String, String> before = Map.of("addresses", Integer.toString(addresses.size()));
            if (contains(addresses, cidr)) {
                return ActionResult.succeeded(cidr + " is already blocked in WAF IP set " + name + "; nothing changed", before, before,
                        Map.of("ip", cidr, "addresses", Integer.toString(addresses.size()), "added", "false"), null);
            }
            addresses.add(cidr);
            try {
                waf.updateIPSet(b -> b.name(name).id(id).scope(scope).addresses(addresses).lockToken(set.lockToken()));
            } catch (WafOptimisticLockException e) {
                if (attempt < ATTEMPTS) {
                    continue;   // someone changed the set between our read and write: read it again
                }
                throw e;
            }
            return ActionResult.succeeded("blocked " + cidr + " in WAF IP set " + name, before,
                    Map.of("addresses", Integer.toString(addresses.size())),
                    Map.of("ip", cidr, "addresses", Integer.toString(addresses.size()), "added", "true"), null);
        }
    }

    /** The set proves the step done when it holds the address. */
    @Override
    public Optional<ActionResult> recover(Step step) {
        String cidr = cidr(step);
        List<String> addresses = read(step.required("ipSetName"), step.required("ipSetId"), scope(step)).ipSet().addresses();
        if (!contains(addresses, cidr)) {
            return Optional.empty();
        }
        return Optional.of(ActionResult.succeeded(cidr + " is blocked in WAF IP set " + step.required("ipSetName"), Map.of(),
                Map.of("addresses", Integer.toString(addresses.size())),
                Map.of("ip", cidr, "addresses", Integer.toString(addresses.size())), null));
    }

    private GetIpSetResponse read(String name, String id, Scope scope) {
        return waf.getIPSet(b -> b.name(name).id(id).scope(scope));
    }

    private static boolean contains(List<String> addresses, String cidr) {
        return addresses.stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(cidr.toLowerCase(Locale.ROOT)));
    }

    private static Scope scope(Step step) {
        String scope = step.optional("scope", "REGIONAL").trim().toUpperCase(Locale.ROOT);
        if (!scope.equals("REGIONAL") && !scope.equals("CLOUDFRONT")) {
            throw new Step.InvalidStepException("scope must be REGIONAL or CLOUDFRONT, was " + scope);
        }
        return Scope.fromValue(scope);
    }

    /** The address as WAF wants it: a CIDR, /32 or /128 for a single address. */
    static String cidr(Step step) {
        String ip = step.optional("ip", null);
        if (ip == null && step.resource() != null && step.resource().startsWith("ip:")) {
            ip = step.resource().substring("ip:".length());   // an IPv6 address or a CIDR is more than the resource's last segment
        }
        ip = ip == null ? step.parameterOrResource("ip").trim() : ip.trim();
        if (!ip.matches("[0-9a-fA-F.:]+(/[0-9]{1,3})?") || !(ip.contains(".") || ip.contains(":"))) {
            throw new Step.InvalidStepException("not an IP address: " + ip);
        }
        String address = ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip;
        if (!address.contains(":") && !IPV4.matcher(address).matches()) {   // InetAddress takes 1.2.3 for 1.2.0.3
            throw new Step.InvalidStepException("not an IP address: " + ip);
        }
        int bits;
        try {
            bits = InetAddress.getByName(address).getAddress().length * 8;   // a literal address: no name lookup happens
        } catch (UnknownHostException e) {
            throw new Step.InvalidStepException("not an IP address: " + ip);
        }
        if (!ip.contains("/")) {
            return ip + "/" + bits;
        }
        int prefix = Integer.parseInt(ip.substring(ip.indexOf('/') + 1));
        if (prefix > bits) {
            throw new Step.InvalidStepException("not a CIDR: " + ip);
        }
        if (prefix < (bits == 32 ? 16 : 48)) {
            throw new Step.InvalidStepException("blocking a range wider than /" + (bits == 32 ? 16 : 48)
                    + " is left to a person: " + ip);
        }
        return ip;
    }
}
