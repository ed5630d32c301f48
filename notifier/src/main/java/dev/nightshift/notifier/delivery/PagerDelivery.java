package dev.nightshift.notifier.delivery;

import dev.nightshift.notifier.paging.Pager;
import dev.nightshift.schema.Notification;

/**
 * Pages through the {@link Pager}: a trigger (ref: its dedup key) and a resolve, both idempotent at the pager (its dedup
 * key is the incident id), so they are simply sent again after a crash. Without a pager, or for a team it cannot page,
 * nothing is sent and the Delivery record says why.
 */
public final class PagerDelivery implements Target {
    static final String DESTINATION = "pager";
    private final Pager pager;

    /** @param pager the pager, or null when none is configured */
    public PagerDelivery(Pager pager) {
        this.pager = pager;
    }

    @Override
    public Action plan(Notification n, LedgerView ledger) {
        if (pager == null) {
            return new Action.Skip(DESTINATION, "no pager is configured");
        }
        if (!pager.pages(n.getTeam())) {
            return new Action.Skip(DESTINATION, "team " + n.getTeam() + " has no on-call to page (no routing key)");
        }
        return switch (n.getKind()) {
            case PAGE_TRIGGER -> new Action.Edit(DESTINATION, Action.NOW, () -> pager.trigger(n.getTeam(), n));
            case PAGE_RESOLVE -> new Action.Edit(DESTINATION, Action.NOW, () -> {
                pager.resolve(n.getTeam(), n.getIncidentId());
                return n.getIncidentId();
            });
            default -> throw new InvalidNotification("a " + n.getKind() + " notification is not for the pager");
        };
    }
}
