package dev.nightshift.triage.ownership;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.Ownership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable snapshot of the ownership table with its patterns compiled. An alert's service is
 * its explicit service hint when the table knows that service; otherwise the service with the
 * most specific pattern (most literal characters) that matches the alert, ties to the first name
 * in alphabetical order.
 */
public final class OwnershipIndex {
    private static final Logger LOG = LoggerFactory.getLogger(OwnershipIndex.class);
    public static final OwnershipIndex EMPTY = new OwnershipIndex(List.of());

    private record Entry(Ownership ownership, List<ResourcePattern> patterns) {
    }

    private final Map<String, Ownership> byService = new HashMap<>();
    private final List<Entry> entries = new ArrayList<>();

    public OwnershipIndex(Collection<Ownership> ownerships) {
        for (Ownership ownership : ownerships) {
            byService.put(ownership.getService(), ownership);
            List<ResourcePattern> patterns = new ArrayList<>();
            for (String text : ownership.getResources()) {
                try {
                    patterns.add(ResourcePattern.parse(text));
                } catch (IllegalArgumentException e) {
                    LOG.warn("ownership of service {}: ignoring a bad resource pattern: {}", ownership.getService(), e.getMessage());
                }
            }
            entries.add(new Entry(ownership, patterns));
        }
        entries.sort((a, b) -> a.ownership.getService().compareTo(b.ownership.getService()));
    }

    public Optional<Ownership> service(String service) {
        return service == null ? Optional.empty() : Optional.ofNullable(byService.get(service));
    }

    /** The owning service of an alert: its known service hint, or the best pattern match. */
    public Optional<Ownership> ownerOf(Alert alert) {
        Optional<Ownership> hinted = service(alert.getService());
        if (hinted.isPresent()) {
            return hinted;
        }
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        Set<String> ids = ResourceIds.of(alert);
        Ownership best = null;
        int bestScore = -1;
        for (Entry entry : entries) {
            for (ResourcePattern pattern : entry.patterns) {
                if (pattern.literalLength() > bestScore && pattern.matches(ids, alert.getResource(), alert.getLabels())) {
                    best = entry.ownership;
                    bestScore = pattern.literalLength();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    public int size() {
        return byService.size();
    }
}
