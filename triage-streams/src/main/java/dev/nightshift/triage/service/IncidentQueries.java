package dev.nightshift.triage.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.schema.FingerprintState;
import dev.nightshift.schema.Incident;
import dev.nightshift.triage.lifecycle.IncidentIds;
import dev.nightshift.triage.topology.StoreNames;
import jakarta.inject.Singleton;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Interactive queries over the incident stores, across instances: an incident lives in the task of
 * its fingerprint's partition (the incident id carries the fingerprint), as its fingerprint's latest
 * incident or, once replaced by a newer one, in the archive. A lookup asks Streams which instance
 * holds that partition and asks that instance's HTTP API when it is not this one; a list asks every
 * instance holding active incident partitions for its local part (an instance with none, or only standby
 * copies, has no part of its own and is not asked).
 */
@Singleton
public class IncidentQueries {
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> LIST = new TypeReference<>() {
    };
    /** Places an incident id where the default partitioner places its fingerprint. */
    static final StreamPartitioner<String, Object> BY_FINGERPRINT = (topic, incidentId, value, partitions) -> Optional.of(
            Set.of(Utils.toPositive(Utils.murmur2(IncidentIds.fingerprintOf(incidentId).getBytes(StandardCharsets.UTF_8))) % partitions));

    /** The app cannot answer now (starting, rebalancing, a peer unreachable). */
    public static final class NotReady extends RuntimeException {
        public NotReady(String message) {
            super(message);
        }
    }

    private final Peers peers;
    private final ObjectMapper json = new ObjectMapper();

    public IncidentQueries(Peers peers) {
        this.peers = peers;
    }

    public Optional<Map<String, Object>> byId(String incidentId, boolean localOnly) {
        KafkaStreams streams = running();
        KeyQueryMetadata metadata = streams.queryMetadataForKey(StoreNames.INCIDENTS, incidentId, BY_FINGERPRINT);
        if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE) {
            throw new NotReady("the incidents store is not available yet");
        }
        if (localOnly || isSelf(metadata.activeHost())) {
            try {
                FingerprintState latest = incidents(streams, metadata.partition()).get(IncidentIds.fingerprintOf(incidentId));
                if (latest != null && latest.getIncident() != null && latest.getIncident().getIncidentId().equals(incidentId)) {
                    return Optional.of(RecordViews.toMap(latest.getIncident()));
                }
                return Optional.ofNullable(archive(streams, metadata.partition()).get(incidentId)).map(RecordViews::toMap);
            } catch (InvalidStateStoreException e) {
                throw new NotReady("the incidents store is not queryable now: " + e.getMessage());
            }
        }
        HttpResponse<String> response = get(metadata.activeHost(), "/v1/incidents/" + encode(incidentId) + "?local=true");
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new NotReady("instance " + metadata.activeHost() + " answered " + response.statusCode());
        }
        return Optional.of(parse(response.body(), OBJECT));
    }

    /** Incidents of a team and/or in a state (either may be null), from every instance, newest change first. */
    public List<Map<String, Object>> list(String team, String state, boolean localOnly) {
        KafkaStreams streams = running();
        List<Map<String, Object>> found = new ArrayList<>(local(streams, team, state));
        if (!localOnly) {
            for (StreamsMetadata instance : activeHolders(streams)) {
                if (isSelf(instance.hostInfo())) {
                    continue;
                }
                StringBuilder path = new StringBuilder("/v1/incidents?local=true");
                if (team != null) {
                    path.append("&team=").append(encode(team));
                }
                if (state != null) {
                    path.append("&state=").append(encode(state));
                }
                HttpResponse<String> response = get(instance.hostInfo(), path.toString());
                if (response.statusCode() != 200) {
                    throw new NotReady("instance " + instance.hostInfo() + " answered " + response.statusCode());
                }
                found.addAll(parse(response.body(), LIST));
            }
        }
        found.sort(Comparator.comparing((Map<String, Object> m) -> String.valueOf(m.get("updatedAt"))).reversed());
        return found;
    }

    private List<Map<String, Object>> local(KafkaStreams streams, String team, String state) {
        String wantedState = state == null ? null : state.toUpperCase(Locale.ROOT);
        List<Map<String, Object>> found = new ArrayList<>();
        java.util.function.Consumer<Incident> collect = incident -> {
            if (incident != null && (team == null || team.equals(incident.getOwner().getTeam()))
                    && (wantedState == null || wantedState.equals(incident.getState().name()))) {
                found.add(RecordViews.toMap(incident));
            }
        };
        try {
            try (KeyValueIterator<String, FingerprintState> it = incidents(streams, null).all()) {
                it.forEachRemaining(entry -> collect.accept(entry.value.getIncident()));
            }
            try (KeyValueIterator<String, Incident> it = archive(streams, null).all()) {
                it.forEachRemaining(entry -> collect.accept(entry.value));
            }
        } catch (InvalidStateStoreException e) {
            if (activeHolders(streams).stream().noneMatch(holder -> isSelf(holder.hostInfo()))) {
                return List.of();   // no active incident partition here: nothing of this instance's own to list
            }
            throw new NotReady("the incidents store is not queryable now: " + e.getMessage());
        }
        return found;
    }

    /** The instances holding active incident partitions (Streams' list also has those holding only standby copies). */
    private static List<StreamsMetadata> activeHolders(KafkaStreams streams) {
        return streams.streamsMetadataForStore(StoreNames.INCIDENTS).stream()
                .filter(instance -> instance.stateStoreNames().contains(StoreNames.INCIDENTS)).toList();
    }

    private static ReadOnlyKeyValueStore<String, FingerprintState> incidents(KafkaStreams streams, Integer partition) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, FingerprintState>> query = StoreQueryParameters
                .fromNameAndType(StoreNames.INCIDENTS, QueryableStoreTypes.keyValueStore());
        return streams.store(partition == null ? query : query.withPartition(partition));
    }

    private static ReadOnlyKeyValueStore<String, Incident> archive(KafkaStreams streams, Integer partition) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, Incident>> query = StoreQueryParameters
                .fromNameAndType(StoreNames.INCIDENT_ARCHIVE, QueryableStoreTypes.keyValueStore());
        return streams.store(partition == null ? query : query.withPartition(partition));
    }

    private KafkaStreams running() {
        return peers.running();
    }

    private boolean isSelf(HostInfo host) {
        return peers.isSelf(host);
    }

    private HttpResponse<String> get(HostInfo host, String path) {
        return peers.get(host, path, "application/json");
    }

    private <T> T parse(String body, TypeReference<T> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new NotReady("a peer answered something that is not JSON: " + e.getMessage());
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
