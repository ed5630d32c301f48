package dev.nightshift.triage.topology;

import dev.nightshift.schema.Ownership;
import dev.nightshift.serde.SchemaRegistryException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * When the ownership deserializer waits out the registry and when it lets the error through. The registry
 * deserializer it wraps is replaced by one that fails a given number of times first.
 */
class OwnershipDeserializerTest {
    private static final Ownership ENTRY = Ownership.newBuilder().setService("checkout").setTeam("payments")
            .setResources(List.of()).setUpdatedAt(Instant.parse("2026-11-22T00:00:00Z")).build();

    /** Fails {@code failures} times with {@code error}, then returns the entry. */
    private static Deserializer<Ownership> failing(int failures, RuntimeException error, AtomicInteger calls) {
        return (topic, data) -> {
            if (calls.incrementAndGet() <= failures) {
                throw error;
            }
            return ENTRY;
        };
    }

    private static SchemaRegistryException unreachable() {
        return new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE, "schema registry is unreachable");
    }

    @Test
    void onceTheAppRunsAnUnreachableRegistryIsWaitedOutAndTheRecordIsRead() {
        LiveOwnership live = new LiveOwnership();
        live.appRunning();
        AtomicInteger calls = new AtomicInteger();
        OwnershipDeserializer deserializer = new OwnershipDeserializer(failing(2, unreachable(), calls), live);

        assertThat(deserializer.deserialize("ownership", new byte[]{1})).isEqualTo(ENTRY);
        assertThat(calls).hasValue(3);
        assertThat(live.waitingForRegistrySince()).as("no longer waiting once read").isEmpty();
    }

    @Test
    void whileItWaitsTheAppSaysSinceWhenAndClosingEndsTheWait() throws Exception {
        LiveOwnership live = new LiveOwnership();
        live.appRunning();
        OwnershipDeserializer deserializer = new OwnershipDeserializer(failing(Integer.MAX_VALUE, unreachable(), new AtomicInteger()), live);

        CompletableFuture<Ownership> read = CompletableFuture.supplyAsync(() -> deserializer.deserialize("ownership", new byte[]{1}));
        await().atMost(5, TimeUnit.SECONDS).until(() -> live.waitingForRegistrySince().isPresent());
        assertThat(read).isNotDone();
        live.close();
        assertThatThrownBy(() -> read.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void beforeTheAppRunsTheRegistryErrorGoesThroughSoThatAStartWithNoRegistryFails() {
        AtomicInteger calls = new AtomicInteger();
        OwnershipDeserializer deserializer = new OwnershipDeserializer(failing(1, unreachable(), calls), new LiveOwnership());

        assertThatThrownBy(() -> deserializer.deserialize("ownership", new byte[]{1})).isInstanceOf(SchemaRegistryException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void anUnreadableRecordIsNotWaitedFor() {
        LiveOwnership live = new LiveOwnership();
        live.appRunning();
        AtomicInteger calls = new AtomicInteger();
        OwnershipDeserializer deserializer = new OwnershipDeserializer(failing(1, new SerializationException("not Avro"), calls), live);

        assertThatThrownBy(() -> deserializer.deserialize("ownership", new byte[]{1})).isInstanceOf(SerializationException.class);
        assertThat(calls).hasValue(1);
        assertThat(live.waitingForRegistrySince()).isEmpty();
    }
}
