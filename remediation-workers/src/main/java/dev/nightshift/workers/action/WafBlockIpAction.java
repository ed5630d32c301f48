package dev.nightshift.workers.action;

import software.amazon.awssdk.services.wafv2.Wafv2Client;
import software.amazon.awssdk.services.wafv2.model.GetIpSetResponse;
import software.amazon.awssdk.services.wafv2.model.Scope;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adds an abusive address to a WAF IP set (the set is referenced by a blocking rule). Parameters:
 * {@code ipSetName}, {@code ipSetId}, {@code scope} (REGIONAL or CLOUDFRONT, default REGIONAL), and
 * {@code ip} (or the resource {@code ip:ADDRESS}).
 */
public final class WafBlockIpAction implements RemediationAction {
    private final Wafv2Client waf;

    public WafBlockIpAction(Wafv2Client waf) {
        this.waf = waf;
    }

    @Override
    public String name() {
        return "waf-block-ip";
    }

    @Override
    public String plan(Step step) {
        return "add " + cidr(step) + " to WAF IP set " + step.required("ipSetName");
    }

    @Override
    public Change execute(Step step) {
        String cidr = cidr(step);
        Scope scope = Scope.fromValue(step.parameters().getOrDefault("scope", "REGIONAL"));
        GetIpSetResponse set = waf.getIPSet(b -> b.name(step.required("ipSetName")).id(step.required("ipSetId")).scope(scope));
        List<String> addresses = new ArrayList<>(set.ipSet().addresses());
        if (addresses.contains(cidr)) {
            return new Change(cidr + " is already blocked", Map.of("addresses", Integer.toString(addresses.size())),
                    Map.of("addresses", Integer.toString(addresses.size())));
        }
        addresses.add(cidr);
        waf.updateIPSet(b -> b.name(step.required("ipSetName")).id(step.required("ipSetId")).scope(scope)
                .addresses(addresses).lockToken(set.lockToken()));
        return new Change("blocked " + cidr + " in WAF IP set " + step.required("ipSetName"),
                Map.of("addresses", Integer.toString(addresses.size() - 1)), Map.of("addresses", Integer.toString(addresses.size())));
    }

    private static String cidr(Step step) {
        String ip = step.parameterOrResource("ip");
        if (!ip.matches("[0-9a-fA-F.:]+(/[0-9]{1,3})?") || !(ip.contains(".") || ip.contains(":"))) {
            throw new Step.InvalidStepException("not an IP address: " + ip);
        }
        try {
            // A literal address: no name lookup happens.
            InetAddress address = InetAddress.getByName(ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip);
            return ip.contains("/") ? ip : ip + (address.getAddress().length == 4 ? "/32" : "/128");
        } catch (java.net.UnknownHostException e) {
            throw new Step.InvalidStepException("not an IP address: " + ip);
        }
    }
}
