package dev.nightshift.triage.service;

import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** This instance's running Streams app and the HTTP calls to the other instances that answer a query with it. */
@Singleton
public class Peers {
    private final TriageStreams triage;
    private final HttpClient http;

    public Peers(TriageStreams triage) {
        this.triage = triage;
        this.http = HttpClient.newBuilder().connectTimeout(triage.config().getPeerTimeout()).build();
    }

    /** The app, when it can answer queries (running or rebalancing). */
    KafkaStreams running() {
        KafkaStreams streams = triage.streams().orElseThrow(() -> new IncidentQueries.NotReady("the triage app has not started"));
        if (streams.state() != KafkaStreams.State.RUNNING && streams.state() != KafkaStreams.State.REBALANCING) {
            throw new IncidentQueries.NotReady("the triage app is " + streams.state());
        }
        return streams;
    }

    boolean isSelf(HostInfo host) {
        String self = triage.applicationServer();
        return self != null && self.equals(host.host() + ":" + host.port());
    }

    /** GET {@code path} from another instance, accepting {@code accept}. */
    HttpResponse<String> get(HostInfo host, String path, String accept) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + path))
                .timeout(triage.config().getPeerTimeout()).header("Accept", accept).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IncidentQueries.NotReady("instance " + host + " is unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IncidentQueries.NotReady("interrupted");
        }
    }
}
