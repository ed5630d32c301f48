package dev.nightshift.triage.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.schema.IncidentHistory;
import dev.nightshift.triage.analytics.AnalyticsTopology;
import dev.nightshift.triage.analytics.AnalyticsWindow;
import dev.nightshift.triage.analytics.IncidentFact;
import dev.nightshift.triage.analytics.IncidentFacts;
import dev.nightshift.triage.analytics.TeamHours;
import jakarta.inject.Singleton;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Interactive queries over the incidents' analytics histories, across instances, as the incident API does it:
 * a history lives in the task of its incident id's partition, so one incident is asked of the instance holding it,
 * and the figures gather the closed incidents of the window from every instance holding active history partitions.
 */
@Singleton
public class AnalyticsQueries {
    private static final TypeReference<List<IncidentFact>> FACTS = new TypeReference<>() {
    };

    private final Peers peers;
    private final TeamHours hours;
    private final IncidentFacts facts;
    private final ObjectMapper json = new ObjectMapper();

    public AnalyticsQueries(Peers peers, TriageStreams triage) {
        this.peers = peers;
        this.hours = triage.config().teamHours();
        this.facts = new IncidentFacts(hours, triage.config().getAnalyticsNoiseThreshold());
    }

    public TeamHours hours() {
        return hours;
    }

    /** The closed incidents that opened in the window ending at {@code until}, from every instance (or this one's). */
    public List<IncidentFact> facts(AnalyticsWindow window, Instant until, boolean localOnly) {
        KafkaStreams streams = peers.running();
        List<IncidentFact> found = new ArrayList<>(local(streams, window, until));
        if (!localOnly) {
            for (StreamsMetadata instance : activeHolders(streams)) {
                if (peers.isSelf(instance.hostInfo())) {
                    continue;
                }
                HttpResponse<String> response = peers.get(instance.hostInfo(), "/v1/analytics/facts?local=true&window="
                        + window.label() + "&until=" + until, "application/json");
                if (response.statusCode() != 200) {
                    throw new IncidentQueries.NotReady("instance " + instance.hostInfo() + " answered " + response.statusCode());
                }
                try {
                    found.addAll(json.readValue(response.body(), FACTS));
                } catch (IOException e) {
                    throw new IncidentQueries.NotReady("a peer answered something that is not a list of incidents: " + e.getMessage());
                }
            }
        }
        found.sort(Comparator.comparingLong(IncidentFact::openedAt).thenComparing(IncidentFact::incidentId));
        return found;
    }

    private List<IncidentFact> local(KafkaStreams streams, AnalyticsWindow window, Instant until) {
        List<IncidentFact> found = new ArrayList<>();
        try (KeyValueIterator<String, IncidentHistory> all = histories(streams, null).all()) {
            all.forEachRemaining(entry -> facts.of(entry.value).filter(f -> window.contains(f.openedAt(), until)).ifPresent(found::add));
        } catch (InvalidStateStoreException e) {
            if (activeHolders(streams).stream().noneMatch(holder -> peers.isSelf(holder.hostInfo()))) {
                return List.of();
            }
            throw new IncidentQueries.NotReady("the analytics store is not queryable now: " + e.getMessage());
        }
        return found;
    }

    /**
     * Answers about one incident where its history is: with {@code local} here (the history, or empty when there is
     * none), or with {@code remote} naming the instance that holds it.
     */
    public <T> T atHolder(String incidentId, boolean localOnly, Function<Optional<IncidentHistory>, T> local,
                          Function<HostInfo, T> remote) {
        KafkaStreams streams = peers.running();
        KeyQueryMetadata metadata = streams.queryMetadataForKey(AnalyticsTopology.HISTORY_STORE, incidentId, Serdes.String().serializer());
        if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE) {
            throw new IncidentQueries.NotReady("the analytics store is not available yet");
        }
        if (localOnly || peers.isSelf(metadata.activeHost())) {
            try {
                return local.apply(Optional.ofNullable(histories(streams, metadata.partition()).get(incidentId)));
            } catch (InvalidStateStoreException e) {
                throw new IncidentQueries.NotReady("the analytics store is not queryable now: " + e.getMessage());
            }
        }
        return remote.apply(metadata.activeHost());
    }

    public HttpResponse<String> ask(HostInfo host, String path, String accept) {
        return peers.get(host, path, accept);
    }

    private static List<StreamsMetadata> activeHolders(KafkaStreams streams) {
        return streams.streamsMetadataForStore(AnalyticsTopology.HISTORY_STORE).stream()
                .filter(instance -> instance.stateStoreNames().contains(AnalyticsTopology.HISTORY_STORE)).toList();
    }

    private static ReadOnlyKeyValueStore<String, IncidentHistory> histories(KafkaStreams streams, Integer partition) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, IncidentHistory>> query = StoreQueryParameters
                .fromNameAndType(AnalyticsTopology.HISTORY_STORE, QueryableStoreTypes.keyValueStore());
        return streams.store(partition == null ? query : query.withPartition(partition));
    }
}
