package dev.nightshift.notifier.slack;

import dev.nightshift.notifier.Records;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.GroupMember;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.NotificationTarget;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.StepRun;
import dev.nightshift.schema.StepStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.nightshift.notifier.Records.incident;
import static dev.nightshift.notifier.Records.notification;
import static org.assertj.core.api.Assertions.assertThat;

/** What a responder sees in Slack for each kind of notification: the blocks' text, the buttons and their labels, and escaping. */
class SlackMessagesTest {
    private final SlackMessages messages = new SlackMessages();

    private static Notification reply(String id, String event, Incident incident, RemediationOutcome outcome) {
        return notification(id, "k1", NotificationTarget.SLACK, NotificationKind.REPLY, event, incident).setOutcome(outcome).build();
    }

    @Test
    void anIncidentsParentSaysWhatWhereAndWhoAndCanBeAcknowledged() {
        SlackMessage parent = messages.parent(Records.thread("k1", incident("inc-1", "opened", IncidentState.OPEN, 3)));

        assertThat(SlackBlocks.visible(parent.blocks())).isEqualTo("""
                :red_circle: *[OPEN] Throttled reads on orders-eu*
                *Severity*
                HIGH
                *Owner*
                payments
                *Service*
                orders
                *Resource*
                dynamodb:table/orders-eu
                *Occurrences*
                3
                *Playbook*
                dynamodb-throttling
                Incident inc-1 · database · opened <!date^1795230000^{date_short_pretty} {time}|2026-11-21 03:00 UTC>
                [Acknowledge]""");
        assertThat(SlackBlocks.buttons(parent.blocks())).containsExactly(new SlackBlocks.Button(Buttons.ACKNOWLEDGE, "Acknowledge", "inc-1"));
        assertThat(parent.text()).isEqualTo("[OPEN] Throttled reads on orders-eu (HIGH, database) - team payments, "
                + "resource dynamodb:table/orders-eu, 3 occurrences, playbook dynamodb-throttling [incident inc-1]");
    }

    @Test
    void anAcknowledgedIncidentShowsWhenAndTheStepInHandAndHasNoAcknowledgeButton() {
        Incident acknowledged = incident("inc-1", "acknowledged", IncidentState.ACKNOWLEDGED, 4);
        acknowledged.setAcknowledgedAt(Records.T0.plusSeconds(240));
        PlaybookRun run = PlaybookRun.newBuilder().setIncidentId("inc-1").setPlaybook("dynamodb-throttling").setRun(1)
                .setStatus(RunStatus.AWAITING_APPROVAL).setOwner(Records.owner()).setCurrentStep(1)
                .setSteps(List.of(step(0, "read-metrics", "cloudwatch-read", StepStatus.SUCCEEDED),
                        step(1, "scale-up", "dynamodb-scale", StepStatus.AWAITING_APPROVAL)))
                .setStartedAt(Records.T0).setUpdatedAt(Records.T0).build();
        Notification update = notification("thread:k1:u:inc-1:5", "k1", NotificationTarget.SLACK, NotificationKind.THREAD_UPDATE,
                "acknowledged", acknowledged).setRun(run).build();

        SlackMessage parent = messages.parent(update);

        assertThat(SlackBlocks.visible(parent.blocks()))
                .startsWith(":large_orange_circle: *[ACKNOWLEDGED] Throttled reads on orders-eu*")
                .contains("*Current step*\n2. scale-up (dynamodb-scale): AWAITING_APPROVAL")
                .contains("*Acknowledged*\n<!date^1795230240^{date_short_pretty} {time}|2026-11-21 03:04 UTC>")
                .doesNotContain("[Acknowledge]");
        assertThat(SlackBlocks.buttons(parent.blocks())).isEmpty();
    }

    @Test
    void aStormGroupsParentListsItsIncidentsByNameWithTheirState() {
        Incident first = incident("inc-1", "opened", IncidentState.OPEN, 1);
        Incident second = incident("inc-2", "opened", IncidentState.OPEN, 1);
        second.setTitle("Throttled writes on orders-us");
        Incident third = incident("inc-3", "resolved", IncidentState.RESOLVED, 2);
        third.setTitle("Read latency on carts");
        third.getOwner().setService("carts");
        Notification group = notification("thread:k1:u:inc-3:3", "k1", NotificationTarget.SLACK, NotificationKind.THREAD_UPDATE,
                "grouped", third).setMembers(List.of(Records.member(first), Records.member(second), Records.member(third))).build();

        SlackMessage parent = messages.parent(group);

        assertThat(SlackBlocks.visible(parent.blocks())).isEqualTo("""
                :rotating_light: *3 incidents* for team *payments* · database
                • :red_circle: *[OPEN]* Throttled reads on orders-eu — HIGH, orders · inc-1
                • :red_circle: *[OPEN]* Throttled writes on orders-us — HIGH, orders · inc-2
                • :large_green_circle: *[RESOLVED]* Read latency on carts — HIGH, carts · inc-3
                Their updates are replies in this thread.""");
        assertThat(parent.text()).isEqualTo("[3 incidents] team payments, database: [OPEN] Throttled reads on orders-eu (inc-1); "
                + "[OPEN] Throttled writes on orders-us (inc-2); [RESOLVED] Read latency on carts (inc-3)");
    }

    @Test
    void aLargeGroupListsItsFirstIncidentsAndSaysHowManyMore() {
        List<GroupMember> members = new ArrayList<>();
        IntStream.range(0, SlackMessages.MAX_LISTED + 5).forEach(i -> members.add(Records.member(incident("inc-" + i, "opened", IncidentState.OPEN, 1))));
        Notification group = notification("thread:k1:u:inc-44:45", "k1", NotificationTarget.SLACK, NotificationKind.THREAD_UPDATE,
                "grouped", incident("inc-44", "opened", IncidentState.OPEN, 1)).setMembers(members).build();

        String visible = SlackBlocks.visible(messages.parent(group).blocks());

        assertThat(visible).contains("*45 incidents*").contains("· inc-39\n").doesNotContain("inc-40 ").endsWith("…and 5 more\nTheir updates are replies in this thread.");
        assertThat(messages.parent(group).blocks()).hasSizeLessThanOrEqualTo(50);
    }

    @Test
    void aStepsOutcomeSaysTheStepActionStatusSummaryPlanBeforeAfterAndApproverAndNamesItsIncident() {
        RemediationOutcome outcome = Records.outcome("inc-1");
        outcome.setStatus(OutcomeStatus.SUCCEEDED);
        outcome.setDryRun(false);
        outcome.setSummary("raised the read capacity of orders-eu to 200");
        outcome.setApprovedBy(List.of("U0ALICE"));
        outcome.setBefore(Map.of("readCapacity", "100"));
        outcome.setAfter(Map.of("readCapacity", "200"));

        SlackMessage reply = messages.reply(reply("inc-1:step:r1:SUCCEEDED:0", "step", incident("inc-1", "opened", IncidentState.OPEN, 1), outcome));

        assertThat(SlackBlocks.visible(reply.blocks())).isEqualTo("""
                :white_check_mark: *Step 1 · scale-up (dynamodb-scale): SUCCEEDED*
                raised the read capacity of orders-eu to 200
                *Plan*
                raise the read capacity of orders-eu from 100 to 200
                *Approved by*
                U0ALICE
                *Before*
                readCapacity: 100
                *After*
                readCapacity: 200
                Incident inc-1 · Throttled reads on orders-eu""");
        assertThat(SlackBlocks.buttons(reply.blocks())).isEmpty();
        assertThat(reply.text()).isEqualTo("[inc-1] step 1 dynamodb-scale: SUCCEEDED - raised the read capacity of orders-eu to 200");
    }

    @Test
    void aFailedOrInterruptedStepCanBeRetried() {
        RemediationOutcome failed = Records.outcome("inc-1");
        failed.setStatus(OutcomeStatus.FAILED);
        failed.setError("ThrottlingException");
        RemediationOutcome interrupted = Records.outcome("inc-1");
        interrupted.setStatus(OutcomeStatus.INTERRUPTED);
        Incident incident = incident("inc-1", "opened", IncidentState.OPEN, 1);

        SlackMessage failedReply = messages.reply(reply("a", "step", incident, failed));
        SlackMessage interruptedReply = messages.reply(reply("b", "step", incident, interrupted));

        assertThat(SlackBlocks.visible(failedReply.blocks())).contains("*Error*\nThrottlingException").contains("[Retry]");
        assertThat(SlackBlocks.buttons(failedReply.blocks())).containsExactly(new SlackBlocks.Button(Buttons.RETRY, "Retry", failed.getRequestId()));
        assertThat(SlackBlocks.buttons(interruptedReply.blocks())).containsExactly(new SlackBlocks.Button(Buttons.RETRY, "Retry", interrupted.getRequestId()));
    }

    @Test
    void aCircuitThatOpenedCanBeSwitchedBackOn() {
        RemediationOutcome refused = Records.outcome("inc-1");
        refused.setStatus(OutcomeStatus.REFUSED);
        refused.setGuardrail("circuit-breaker");
        refused.setSummary("dynamodb-scale refused: it failed 3 times in a row; switched off until a person switches it back on");

        SlackMessage reply = messages.reply(reply("inc-1:circuit:dynamodb-scale", "circuit-open", incident("inc-1", "opened", IncidentState.OPEN, 1), refused));

        assertThat(SlackBlocks.visible(reply.blocks())).contains("*Guardrail*\ncircuit-breaker").contains("[Switch back on]");
        assertThat(SlackBlocks.buttons(reply.blocks())).containsExactly(new SlackBlocks.Button(Buttons.SWITCH_ON, "Switch back on", "dynamodb-scale"));
    }

    @Test
    void aManualStepSaysWhatToDo() {
        RemediationOutcome handedOver = Records.outcome("inc-1");
        handedOver.setStatus(OutcomeStatus.HANDED_OVER);
        handedOver.setSummary("handed over: restart the consumer by hand");
        handedOver.setInstructions("Restart orders-consumer in the EU cluster, then watch its lag.");

        SlackMessage reply = messages.reply(reply("inc-1:handover:r1", "handover", incident("inc-1", "opened", IncidentState.OPEN, 1), handedOver));

        assertThat(SlackBlocks.visible(reply.blocks())).contains(":point_right: *What to do*\nRestart orders-consumer in the EU cluster, then watch its lag.");
    }

    @Test
    void anApprovalRequestNamesTheActionResourcePlanApprovalsAndExpiryWithApproveAndRejectButtons() {
        Notification request = notification("inc-1:approval:ap-1", "k1", NotificationTarget.SLACK, NotificationKind.REPLY, "approval",
                incident("inc-1", "opened", IncidentState.OPEN, 1)).setApproval(Records.approval("ap-1", "inc-1", ApprovalStatus.PENDING)).build();

        SlackMessage reply = messages.reply(request);

        assertThat(SlackBlocks.visible(reply.blocks())).isEqualTo("""
                :raised_hand: *Approval needed*: *dynamodb-scale* on *dynamodb:table/orders-eu*
                *Plan*
                raise the read capacity of orders-eu from 100 to 200
                *Step*
                scale-up (dynamodb-throttling)
                *Environment*
                prod
                *Approvals needed*
                1
                *Who may approve*
                U0ALICE, U0BOB
                *Expires*
                <!date^1795230900^{date_short_pretty} {time}|2026-11-21 03:15 UTC>
                [Approve]
                [Reject]
                Incident inc-1 · Throttled reads on orders-eu""");
        assertThat(SlackBlocks.buttons(reply.blocks())).containsExactly(
                new SlackBlocks.Button(Buttons.APPROVE, "Approve", "ap-1"), new SlackBlocks.Button(Buttons.REJECT, "Reject", "ap-1"));
        assertThat(reply.text()).isEqualTo("[inc-1] approval needed: dynamodb-scale on dynamodb:table/orders-eu - raise the read capacity "
                + "of orders-eu from 100 to 200 (1 needed; ./pipeline approve ap-1)");
    }

    @Test
    void aVoteShowsWhoApprovedAndKeepsTheButtonsUntilTheRequestIsDecided() {
        Notification voted = notification("inc-1:approval:ap-1:u:1", "k1", NotificationTarget.SLACK, NotificationKind.REPLY_UPDATE, "approval",
                incident("inc-1", "opened", IncidentState.OPEN, 1)).setUpdates("inc-1:approval:ap-1")
                .setApproval(Records.approval("ap-1", "inc-1", ApprovalStatus.PENDING, Records.vote("U0MALLORY", true, false))).build();

        SlackMessage reply = messages.reply(voted);

        assertThat(SlackBlocks.visible(reply.blocks())).contains("*Not counted (may not approve)*\nU0MALLORY").contains("[Approve]");
    }

    @Test
    void aDecidedApprovalShowsWhoApprovedAndHasNoButtons() {
        Notification decided = notification("inc-1:approval:ap-1:u:2", "k1", NotificationTarget.SLACK, NotificationKind.REPLY_UPDATE, "decision",
                incident("inc-1", "opened", IncidentState.OPEN, 1)).setUpdates("inc-1:approval:ap-1")
                .setApproval(Records.approval("ap-1", "inc-1", ApprovalStatus.APPROVED, Records.vote("U0ALICE", true, true))).build();
        Notification rejected = notification("inc-1:approval:ap-2:u:1", "k1", NotificationTarget.SLACK, NotificationKind.REPLY_UPDATE, "decision",
                incident("inc-1", "opened", IncidentState.OPEN, 1)).setUpdates("inc-1:approval:ap-2")
                .setApproval(Records.approval("ap-2", "inc-1", ApprovalStatus.REJECTED, Records.vote("U0BOB", false, true))).build();

        SlackMessage approved = messages.reply(decided);

        assertThat(SlackBlocks.visible(approved.blocks())).startsWith(":white_check_mark: *Approved*: *dynamodb-scale* on *dynamodb:table/orders-eu*")
                .contains("*Approved by*\nU0ALICE").contains("*Decided*\n<!date^1795230120^").doesNotContain("*Expires*");
        assertThat(SlackBlocks.buttons(approved.blocks())).isEmpty();
        assertThat(approved.text()).isEqualTo("[inc-1] approval ap-1 APPROVED: dynamodb-scale on dynamodb:table/orders-eu, approved by U0ALICE");
        assertThat(SlackBlocks.visible(messages.reply(rejected).blocks())).startsWith(":x: *Rejected*").contains("*Rejected by*\nU0BOB");
        assertThat(SlackBlocks.buttons(messages.reply(rejected).blocks())).isEmpty();
    }

    @Test
    void aStateChangeReplyNamesTheIncidentAndItsNewState() {
        Notification resolved = notification("inc-1:state:4", "k1", NotificationTarget.SLACK, NotificationKind.REPLY, "resolved",
                incident("inc-1", "resolved", IncidentState.RESOLVED, 4)).build();

        SlackMessage reply = messages.reply(resolved);

        assertThat(SlackBlocks.visible(reply.blocks())).isEqualTo("""
                :large_green_circle: *resolved*: Throttled reads on orders-eu is RESOLVED · 4 occurrences
                Incident inc-1 · Throttled reads on orders-eu""");
        assertThat(reply.text()).isEqualTo("[inc-1] resolved: Throttled reads on orders-eu (RESOLVED, 4 occurrences)");
    }

    @Test
    void thePlannersOwnSentenceIsShown() {
        Notification paged = notification("inc-1:paged:1", "k1", NotificationTarget.SLACK, NotificationKind.REPLY, "paged",
                incident("inc-1", "opened", IncidentState.OPEN, 1)).setText("Paged the on-call of payments: not acknowledged within 15 minutes.").build();

        assertThat(SlackBlocks.visible(messages.reply(paged).blocks())).isEqualTo("""
                Paged the on-call of payments: not acknowledged within 15 minutes.
                Incident inc-1 · Throttled reads on orders-eu""");
    }

    @Test
    void textFromRecordsCannotMentionAChannelOrDisguiseALink() {
        Incident hostile = incident("inc-1", "opened", IncidentState.OPEN, 1);
        hostile.setTitle("<!channel> disk full <https://evil.example|click to fix>");
        hostile.getOwner().setTeam("<@U0ADMIN>");
        hostile.setResource("R&D <db>");
        RemediationOutcome outcome = Records.outcome("inc-1");
        outcome.setSummary("scaled <!here> & <https://evil.example|see>");
        outcome.setPlan("<@U0ADMIN> approve me");
        outcome.setBefore(Map.of("<!channel>", "<x>"));
        var approval = Records.approval("ap-1", "inc-1", ApprovalStatus.PENDING);
        approval.setApprovers(List.of("<!subteam^S0>"));
        approval.setResource("<https://evil.example|orders>");

        List<SlackMessage> rendered = List.of(
                messages.parent(Records.thread("k1", hostile)),
                messages.reply(reply("x", "step", hostile, outcome)),
                messages.reply(notification("y", "k1", NotificationTarget.SLACK, NotificationKind.REPLY, "approval", hostile).setApproval(approval).build()),
                messages.reply(notification("z", "k1", NotificationTarget.SLACK, NotificationKind.REPLY, "<!here>", hostile)
                        .setIncident(null).setText("paged <!channel>").build()));

        for (SlackMessage message : rendered) {
            String all = SlackBlocks.visible(message.blocks()) + "\n" + message.text();
            assertThat(all.replaceAll("<!date\\^\\d+\\^\\{date_short_pretty} \\{time}\\|[^>]*>", ""))
                    .as("no markup but ours").doesNotContain("<", ">");
        }
        assertThat(SlackBlocks.visible(rendered.get(0).blocks())).contains("*[OPEN] &lt;!channel&gt; disk full &lt;https://evil.example|click to fix&gt;*")
                .contains("*Owner*\n&lt;@U0ADMIN&gt;").contains("*Resource*\nR&amp;D &lt;db&gt;");
        assertThat(rendered.get(1).text()).contains("scaled &lt;!here&gt; &amp; &lt;https://evil.example|see&gt;");
    }

    @Test
    void anIncidentChannelIsLinkedFromTheThread() {
        Notification channel = notification("channel:inc-1", "k1", NotificationTarget.SLACK, NotificationKind.INCIDENT_CHANNEL, "opened",
                incident("inc-1", "opened", IncidentState.OPEN, 1)).build();

        SlackMessage link = messages.incidentChannelLink(channel, "C0INC1");

        assertThat(SlackBlocks.visible(link.blocks())).isEqualTo("""
                :rotating_light: The incident has a channel of its own: <#C0INC1>
                Incident inc-1 · Throttled reads on orders-eu""");
        assertThat(AppSlackDelivery.incidentChannelName("inc-1")).isEqualTo("inc-1");
        assertThat(AppSlackDelivery.incidentChannelName("CloudWatch/EU 42")).isEqualTo("inc-cloudwatch-eu-42");
    }

    private static StepRun step(int index, String name, String action, StepStatus status) {
        return StepRun.newBuilder().setIndex(index).setName(name).setAction(action).setStatus(status).build();
    }
}
