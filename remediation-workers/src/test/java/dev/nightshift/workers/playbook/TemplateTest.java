package dev.nightshift.workers.playbook;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateTest {
    private static final Variables VALUES = name -> Optional.ofNullable(Map.of("alert.labels.TableName", "orders-eu",
            "steps.read.runningCount", "1", "steps.read.desiredCount", "4").get(name));

    @Test
    void variablesAreReplacedByTheirValuesAndAMissingOneByNothing() {
        Template template = Template.parse("table/${alert.labels.TableName} in ${alert.region} costs $$3");

        assertThat(template.render(VALUES)).isEqualTo("table/orders-eu in  costs $3");
        assertThat(template.variables()).containsExactly("alert.labels.TableName", "alert.region");
        assertThat(template.missing(VALUES)).containsExactly("alert.region");
    }

    @Test
    void anUnclosedVariableIsRefusedSayingWhere() {
        assertThatThrownBy(() -> Template.parse("x ${alert.labels.TableName")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> Template.parse("x ${}")).hasMessageContaining("empty");
    }

    @Test
    void conditionsCompareNumbersAsNumbersAndTextAsText() {
        assertThat(Condition.parse("${steps.read.runningCount} < ${steps.read.desiredCount}").test(VALUES)).isTrue();
        assertThat(Condition.parse("${steps.read.runningCount} >= 2").test(VALUES)).isFalse();
        assertThat(Condition.parse("${steps.read.desiredCount} == 4.0").test(VALUES)).isTrue();
        assertThat(Condition.parse("${alert.labels.TableName} == orders-eu and ${steps.read.runningCount} != 0").test(VALUES)).isTrue();
        assertThat(Condition.parse("${alert.labels.TableName} > 3").test(VALUES)).as("text is not more than a number").isFalse();
        assertThat(Condition.ALWAYS.test(VALUES)).isTrue();
    }
}
