package dev.nightshift.triage.service;

import dev.nightshift.topics.TopicNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Creating a team's topic from the stream thread: asked once, not once per alert. */
class TopicProvisionerTest {
    private final AtomicInteger createCalls = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private final AtomicBoolean exists = new AtomicBoolean();

    /**
     * A cluster that has the payments team's topic when {@link #exists} says so, and answers topic creation with a
     * success or with {@link #failure}; the provisioner is under test.
     */
    private Admin cluster() {
        return (Admin) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Admin.class}, (proxy, method, args) -> {
            String topic = TopicNames.defaults().teamAlerts("payments");
            if (method.getName().equals("describeTopics")) {
                KafkaFutureImpl<TopicDescription> described = new KafkaFutureImpl<>();
                if (exists.get()) {
                    described.complete(new TopicDescription(topic, false, List.of()));
                } else {
                    described.completeExceptionally(new UnknownTopicOrPartitionException("no topic " + topic));
                }
                return new DescribeTopicsResult(null, Map.of(topic, described)) {
                };
            }
            if (!method.getName().equals("createTopics")) {
                throw new UnsupportedOperationException(method.getName());
            }
            createCalls.incrementAndGet();
            KafkaFutureImpl<CreateTopicsResult.TopicMetadataAndConfig> created = new KafkaFutureImpl<>();
            if (failure.get() != null) {
                created.completeExceptionally(failure.get());
            } else {
                created.complete(null);
            }
            return new CreateTopicsResult(Map.of(TopicNames.defaults().teamAlerts("payments"), created)) {
            };
        });
    }

    @Test
    void aTeamWhoseTopicCannotBeCreatedIsNotAskedForAgainDuringTheBackoff() {
        failure.set(new TopicAuthorizationException("not allowed to create topics"));
        TopicProvisioner provisioner = new TopicProvisioner(cluster(), TopicNames.defaults(), 3, 1, (short) 1, Duration.ofSeconds(5));

        assertThat(provisioner.ensure("payments")).isFalse();
        assertThat(provisioner.ensure("payments")).isFalse();
        assertThat(provisioner.ensure("payments")).isFalse();

        assertThat(createCalls).hasValue(1);
    }

    @Test
    void aCallerThatWaitsIsToldWhyTheTopicCouldNotBeCreated() {
        failure.set(new TopicAuthorizationException("not allowed to create topics"));
        TopicProvisioner provisioner = new TopicProvisioner(cluster(), TopicNames.defaults(), 3, 1, (short) 1, Duration.ofSeconds(5));

        assertThatThrownBy(() -> provisioner.ensure("payments", Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(TopicNames.defaults().teamAlerts("payments"))
                .hasMessageContaining("not allowed to create topics");
        failure.set(null);
        provisioner.ensure("payments", Duration.ofSeconds(5));
        assertThat(provisioner.ensure("payments")).isTrue();
        assertThat(createCalls).hasValue(2);
    }

    @Test
    void aTeamTopicThatExistsIsUsedByAnAppThatMayNotCreateTopics() {
        exists.set(true);
        failure.set(new TopicAuthorizationException("not allowed to create topics"));
        TopicProvisioner provisioner = new TopicProvisioner(cluster(), TopicNames.defaults(), 3, 1, (short) 1, Duration.ofSeconds(5));

        assertThat(provisioner.ensure("payments")).isTrue();
        assertThat(createCalls).as("nothing asked of the cluster that the app may not do").hasValue(0);
    }

    @Test
    void aCreatedTeamTopicIsRememberedForLaterAlerts() {
        TopicProvisioner provisioner = new TopicProvisioner(cluster(), TopicNames.defaults(), 3, 1, (short) 1, Duration.ofSeconds(5));

        assertThat(provisioner.ensure("payments")).isTrue();
        assertThat(provisioner.ensure("payments")).isTrue();

        assertThat(createCalls).hasValue(1);
    }
}
