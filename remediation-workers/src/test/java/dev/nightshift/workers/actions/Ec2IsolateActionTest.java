package dev.nightshift.workers.actions;

import dev.nightshift.schema.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ec2-isolate through the real SDK against a fake that checks the EC2 query protocol on the wire. */
class Ec2IsolateActionTest {
    private static final String INSTANCE = "i-0abc12345678def01";

    @RegisterExtension
    static final AwsFake aws = new AwsFake("ec2-isolate");

    private final Ec2IsolateAction action = new Ec2IsolateAction(aws.clients().ec2());

    private void instance(int interfaces, String... groups) {
        StringBuilder groupSet = new StringBuilder();
        for (String group : groups) {
            groupSet.append("<item><groupId>").append(group).append("</groupId><groupName>").append(group).append("-name</groupName></item>");
        }
        StringBuilder enis = new StringBuilder();
        for (int i = 0; i < interfaces; i++) {
            enis.append("<item><networkInterfaceId>eni-0").append(i).append("</networkInterfaceId></item>");
        }
        aws.ec2("DescribeInstances", """
                <DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId>
                <reservationSet><item><reservationId>r-1</reservationId><instancesSet><item><instanceId>%s</instanceId>
                <groupSet>%s</groupSet><networkInterfaceSet>%s</networkInterfaceSet></item></instancesSet></item></reservationSet>
                </DescribeInstancesResponse>""".formatted(INSTANCE, groupSet, enis));
        aws.ec2("ModifyInstanceAttribute", """
                <ModifyInstanceAttributeResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-2</requestId>
                <return>true</return></ModifyInstanceAttributeResponse>""");
    }

    private Map<String, String> form(String operation) {
        return aws.server().findAll(anyRequestedFor(anyUrl())).stream().map(AwsFake::query)
                .filter(q -> operation.equals(q.get("Action"))).findFirst().orElseThrow();
    }

    private static Steps isolate() {
        return Steps.of("ec2-isolate").resource("ec2:instance/" + INSTANCE).with("quarantineGroupId", "sg-0f00d0001");
    }

    @Test
    void movesTheInstanceIntoTheQuarantineGroupAndKeepsItsGroups() {
        instance(1, "sg-0aaa1111", "sg-0bbb2222");

        ActionResult result = action.execute(isolate().step());

        assertThat(aws.calls()).containsExactly("ec2:DescribeInstances", "ec2:ModifyInstanceAttribute");
        assertThat(form("DescribeInstances")).containsEntry("InstanceId.1", INSTANCE);
        assertThat(form("ModifyInstanceAttribute")).isEqualTo(Map.of("Action", "ModifyInstanceAttribute", "Version", "2016-11-15",
                "InstanceId", INSTANCE, "GroupId.1", "sg-0f00d0001"));
        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.before()).isEqualTo(Map.of("groupIds", "sg-0aaa1111,sg-0bbb2222"));
        assertThat(result.after()).isEqualTo(Map.of("groupIds", "sg-0f00d0001"));
        assertThat(result.results()).isEqualTo(Map.of("instanceId", INSTANCE, "quarantineGroupId", "sg-0f00d0001",
                "formerGroupIds", "sg-0aaa1111,sg-0bbb2222"));
        assertThat(result.undo()).isEqualTo("put EC2 instance " + INSTANCE + " back in security groups sg-0aaa1111,sg-0bbb2222");
    }

    @Test
    void undoPutsTheFormerGroupsBack() {
        instance(1, "sg-0f00d0001");

        ActionResult result = action.undo(isolate().mode("undo").earlier("before.groupIds", "sg-0aaa1111,sg-0bbb2222").step());

        assertThat(form("ModifyInstanceAttribute")).containsEntry("GroupId.1", "sg-0aaa1111").containsEntry("GroupId.2", "sg-0bbb2222");
        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.summary()).isEqualTo("put EC2 instance " + INSTANCE + " back in security groups sg-0aaa1111,sg-0bbb2222 (it was in sg-0f00d0001)");
    }

    @Test
    void undoReadsTheFormerGroupsFromTheResultsWhenTheBeforeStateIsMissing() {
        instance(1, "sg-0f00d0001");

        action.undo(isolate().mode("undo").earlier("formerGroupIds", "sg-0aaa1111").step());

        assertThat(form("ModifyInstanceAttribute")).containsEntry("GroupId.1", "sg-0aaa1111").doesNotContainKey("GroupId.2");
    }

    @Test
    void anInstanceAlreadyIsolatedIsLeftAsItIsAndProvesARecovery() {
        instance(1, "sg-0f00d0001");

        ActionResult result = action.execute(isolate().step());
        assertThat(result.summary()).contains("already isolated");
        assertThat(result.undo()).isNull();
        assertThat(action.recover(isolate().step())).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(OutcomeStatus.SUCCEEDED));
        assertThat(aws.calls()).containsOnly("ec2:DescribeInstances");
    }

    @Test
    void anInstanceStillInItsGroupsProvesNothing() {
        instance(1, "sg-0aaa1111");

        assertThat(action.recover(isolate().step())).isEmpty();
    }

    @Test
    void anInstanceWithSeveralInterfacesIsLeftToAPerson() {
        instance(2, "sg-0aaa1111");

        ActionResult result = action.execute(isolate().step());

        assertThat(result.status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(result.summary()).contains("2 network interfaces");
        assertThat(aws.calls()).containsExactly("ec2:DescribeInstances");
    }

    @Test
    void thePlanNamesInstanceAndGroupAndBadIdsAreRefused() {
        assertThat(action.plan(isolate().step()))
                .isEqualTo("isolate EC2 instance " + INSTANCE + ": replace its security groups with the quarantine group sg-0f00d0001");
        assertThatThrownBy(() -> action.plan(Steps.of("ec2-isolate").resource("ec2:instance/" + INSTANCE).step()))
                .isInstanceOf(Step.InvalidStepException.class).hasMessageContaining("quarantineGroupId");
        assertThatThrownBy(() -> action.plan(isolate().with("instance", "web-1").step())).isInstanceOf(Step.InvalidStepException.class);
        assertThatThrownBy(() -> action.undo(isolate().mode("undo").earlier("before.groupIds", "default").step()))
                .isInstanceOf(Step.InvalidStepException.class);
        assertThat(aws.calls()).isEmpty();
    }
}
