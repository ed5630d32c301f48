package dev.nightshift.workers.executor;

import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Which topics the executor reads: every action's, and none of the pipeline's own that look like one. */
class StepConsumerTest {
    @Test
    void theExecutorReadsEveryActionTopicButNotTheLedgerOrTheDeadLetters() {
        Pattern topics = StepConsumer.actionTopics(new Topics(TopicNames.withPrefix("staging."), RegistryConfig.of("http://127.0.0.1:1")));

        assertThat(topics.matcher("staging.actions.dynamodb-scale").matches()).isTrue();
        assertThat(topics.matcher("staging.actions.ecs_restart").matches()).isTrue();
        assertThat(topics.matcher("staging.actions.ledger").matches()).as("the ledger's name looks like an action topic").isFalse();
        assertThat(topics.matcher("staging.actions.dynamodb-scale.dlq").matches()).isFalse();
        assertThat(topics.matcher("actions.dynamodb-scale").matches()).as("another prefix").isFalse();
        assertThat(topics.matcher("staging.actions.ledgers").matches()).isTrue();
    }
}
