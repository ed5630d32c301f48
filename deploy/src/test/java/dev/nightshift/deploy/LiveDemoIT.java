package dev.nightshift.deploy;

import dev.nightshift.registry.DynaliteServer;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.topics.TopicNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ./pipeline demo} with Node.js: the local stack starts dynalite beside the broker, the workers run
 * dynamodb-scale live against it, and the demo's script runs as the command runs it. Checked through the
 * real topics and dynalite: the change waits for the approval it asks, is made once approved, and a
 * second run on the same table within the hour is refused by the blast radius.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveDemoIT {
    private LocalStack stack;
    private SlackSink slack;
    private Demo tail;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final TopicNames names = TopicNames.defaults();

    @BeforeAll
    void startStackWithDynalite() throws Exception {
        assumeTrue(DynaliteServer.nodeVersion().isPresent(),
                "Node.js is not installed (node --version failed): the live demo needs it to run dynalite");
        // installed here when missing (.ci/run installs it before the build)
        Path dynalite = TestStacks.home().resolve("deploy").resolve("target").resolve("dynalite");
        if (!DynaliteServer.installed(dynalite)) {
            DynaliteServer.install(dynalite, Duration.ofMinutes(5));
        }
        StackConfig config = TestStacks.onFreePorts("e2e-live-demo");
        PrintStream out = new PrintStream(new Tee(System.out, console), true, StandardCharsets.UTF_8);
        slack = new SlackSink(out);
        Map<String, String> env = new HashMap<>(DemoAws.environment(true));
        env.put("SLACK_WEBHOOK_URL", slack.url());
        stack = LocalStack.start(config, env, dynalite, out);
        tail = new Demo(stack, names, out);
        tail.start();
        tail.awaitAssignment(Duration.ofSeconds(20));
    }

    @AfterAll
    void stopStack() {
        List<Long> pids = stack == null ? List.of() : stack.pids();
        if (tail != null) {
            tail.close();
        }
        if (stack != null) {
            stack.close();
            assertThat(stack.config().data().resolve("run").resolve("dynalite.pid")).doesNotExist();
        }
        if (slack != null) {
            slack.close();
        }
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("process %d is still running after the stack stopped", pid).isFalse());
    }

    @Test
    void theThrottledTableIsScaledOnceApprovedAndASecondRunWithinTheHourIsRefused() throws Exception {
        long dynalite = Long.parseLong(Files.readString(stack.config().data().resolve("run").resolve("dynalite.pid")).trim());
        assertThat(stack.pids()).hasSize(7).contains(dynalite);   // broker, registry, dynalite and the four services
        assertThat(ProcessHandle.of(dynalite).flatMap(p -> p.info().command())).hasValueSatisfying(c -> assertThat(c).endsWith("node"));

        DemoScript script = new DemoScript(stack, tail, new PrintStream(new Tee(System.out, console), true, StandardCharsets.UTF_8));
        DemoScript.LiveRun run = script.runLive();
        String resource = "dynamodb:table/" + run.table();

        // the approval request, as approvals.requests has it: asked before anything changed
        List<ApprovalRequest> approvals = TestStacks.read(stack.config(), List.of(names.approvalRequests()), ApprovalRequest.class,
                r -> r.stream().anyMatch(a -> a.getApprovalId().equals(run.secondApproval().getApprovalId())
                        && a.getStatus() == ApprovalStatus.APPROVED));
        ApprovalRequest asked = approvals.stream().filter(a -> a.getApprovalId().equals(run.firstApproval().getApprovalId())
                && a.getStatus() == ApprovalStatus.PENDING).findFirst().orElseThrow();
        assertThat(asked.getAction()).isEqualTo("dynamodb-scale");
        assertThat(asked.getResource()).isEqualTo(resource);
        assertThat(asked.getEnvironment()).isEqualTo("prod");
        assertThat(asked.getApprovers()).containsExactly(DemoScript.APPROVER);
        assertThat(asked.getPlan()).contains("dynamodb-scale on " + resource).contains("factor=1.5");
        assertThat(run.whileAsking()).isEqualTo(new DemoTable.Capacity(100, 100));
        assertThat(approvals).filteredOn(a -> a.getApprovalId().equals(asked.getApprovalId()) && a.getStatus() == ApprovalStatus.APPROVED)
                .singleElement().satisfies(a -> assertThat(a.getVotes()).singleElement()
                        .satisfies(v -> assertThat(v.getBy()).isEqualTo(DemoScript.APPROVER)));
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("$ " + script.approveCommand(asked.getApprovalId()))
                .contains("./pipeline approve " + asked.getApprovalId() + " --as demo@example.com");

        // the outcomes, as remediation.outcomes has them: the approved change made, the second refused
        List<RemediationOutcome> outcomes = TestStacks.read(stack.config(), List.of(names.remediationOutcomes()), RemediationOutcome.class,
                r -> r.stream().anyMatch(o -> o.getRequestId().equals(run.secondApproval().getRequestId())));
        List<RemediationOutcome> scale = outcomes.stream()
                .filter(o -> o.getAction().equals("dynamodb-scale") && resource.equals(o.getResource())).toList();
        assertThat(scale).hasSize(2);
        assertThat(scale.get(0)).satisfies(scaled -> {
            assertThat(scaled.getRequestId()).isEqualTo(asked.getRequestId());
            assertThat(scaled.getStatus()).isEqualTo(OutcomeStatus.SUCCEEDED);
            assertThat(scaled.getDryRun()).isFalse();
            assertThat(scaled.getBefore()).containsEntry("readCapacityUnits", "100").containsEntry("writeCapacityUnits", "100");
            assertThat(scaled.getAfter()).containsEntry("readCapacityUnits", "150").containsEntry("writeCapacityUnits", "150");
            assertThat(scaled.getApprovedBy()).containsExactly(DemoScript.APPROVER);
        });
        assertThat(run.afterApproval()).as("read from dynalite after the approved change").isEqualTo(new DemoTable.Capacity(150, 150));
        assertThat(scale.get(1)).satisfies(refused -> {
            assertThat(refused.getRequestId()).isEqualTo(run.secondApproval().getRequestId()).isNotEqualTo(asked.getRequestId());
            assertThat(refused.getIncidentId()).isEqualTo(run.incidentId());
            assertThat(refused.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
            assertThat(refused.getGuardrail()).isEqualTo("blast-radius");
            assertThat(refused.getSummary()).contains("at most 1 live run(s) of dynamodb-scale per resource");
        });

        // and dynalite itself, read with a client of our own: the second run changed nothing
        assertThat(run.afterSecondRun()).isEqualTo(new DemoTable.Capacity(150, 150));
        try (DemoTable table = new DemoTable(stack.dynamoDbEndpoint().orElseThrow(), run.table())) {
            assertThat(table.capacity()).isEqualTo(new DemoTable.Capacity(150, 150));
        }
    }

    /** Writes to both streams: the test's console and what the test reads back. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
            second.flush();
        }
    }
}
