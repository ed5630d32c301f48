package dev.nightshift.workers.web;

import dev.nightshift.auth.KeyDigests;
import dev.nightshift.commands.OperatorCommands;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.schema.CommandKind;
import dev.nightshift.workers.WorkersConfig;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The operators' commands over HTTP, for tools and people who cannot write to the cluster: the same
 * records as {@code ./pipeline approve|reject|automation|actions|undo|retry}, with channel {@code http}.
 * Every call needs an operator key ({@code Authorization: Bearer <key>}), held here only as SHA-256
 * digests ({@code WORKERS_OPERATOR_KEY_SHA256}); a missing or wrong key gets 401 and nothing else.
 * 202 means the broker has the record; the runner records what came of it. The body names the person
 * ({@code {"as": "sam@example.com", "reason": "..."}}).
 */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class OperatorController {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorController.class);
    private final KeyDigests keys;
    private final OperatorCommands commands;
    private final Producer<byte[], byte[]> producer;

    public OperatorController(WorkersConfig config, PipelineSettings pipeline) {
        this.keys = KeyDigests.ofHex(config.getOperatorKeySha256(), "WORKERS_OPERATOR_KEY_SHA256");
        this.commands = new OperatorCommands(pipeline.topics());
        this.producer = new KafkaProducer<>(pipeline.kafka().producer("nightshift-operator-http"));
    }

    /** What a caller says: who, and optionally why, for which service and until when. */
    public record Request(@Nullable String as, @Nullable String reason, @Nullable String service, @Nullable String until) {
    }

    @Post(value = "/approvals/{id}/approve", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> approve(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                                                     @PathVariable String id, @Body Request body) {
        return run(authorization, () -> commands.decide(id, true, body.as(), "http", body.reason(), Instant.now()));
    }

    @Post(value = "/approvals/{id}/reject", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> reject(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                                                    @PathVariable String id, @Body Request body) {
        return run(authorization, () -> commands.decide(id, false, body.as(), "http", body.reason(), Instant.now()));
    }

    @Post(value = "/automation/pause", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> pause(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body Request body) {
        return run(authorization, () -> {
            Instant now = Instant.now();
            return commands.pause(body.service(), OperatorCommands.until(body.until(), now), body.as(), "http", body.reason(), now);
        });
    }

    @Post(value = "/automation/resume", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> resume(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body Request body) {
        return run(authorization, () -> commands.resume(body.service(), body.as(), "http", Instant.now()));
    }

    @Post(value = "/actions/{name}/{switch}", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> switchAction(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                                                          @PathVariable String name, @PathVariable("switch") String onOrOff,
                                                          @Body Request body) {
        return run(authorization, () -> {
            if (!onOrOff.equals("enable") && !onOrOff.equals("disable")) {
                throw new IllegalArgumentException("POST /v1/actions/NAME/enable or /disable");
            }
            return commands.switchAction(name, onOrOff.equals("enable"), body.as(), "http", body.reason(), Instant.now());
        });
    }

    @Post(value = "/steps/{id}/{command}", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> step(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                                                  @PathVariable String id, @PathVariable String command, @Body Request body) {
        return run(authorization, () -> {
            if (!command.equals("undo") && !command.equals("retry")) {
                throw new IllegalArgumentException("POST /v1/steps/STEP_ID/undo or /retry");
            }
            return commands.command(command.equals("undo") ? CommandKind.UNDO : CommandKind.RETRY, id, body.as(), "http", Instant.now());
        });
    }

    private HttpResponse<Map<String, Object>> run(String authorization, Supplier<ProducerRecord<byte[], byte[]>> command) {
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : null;
        if (keys.match(presented).isEmpty()) {
            return HttpResponse.<Map<String, Object>>unauthorized().body(Map.of("error", "an operator key is required"));
        }
        ProducerRecord<byte[], byte[]> record;
        try {
            record = command.get();
        } catch (IllegalArgumentException e) {
            return HttpResponse.<Map<String, Object>>badRequest().body(Map.of("error", e.getMessage()));
        }
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("could not write an operator command to {}: {}", record.topic(), e.toString());
            return HttpResponse.<Map<String, Object>>status(io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE)
                    .body(Map.of("error", "the command could not be written; try again"));
        }
        return HttpResponse.<Map<String, Object>>accepted().body(Map.of("topic", record.topic(), "accepted", true));
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
