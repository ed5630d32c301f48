package dev.nightshift.triage.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.commands.OperatorCommands;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.StepRun;
import dev.nightshift.schema.StepStatus;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.testing.Alerts;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static dev.nightshift.triage.service.TriageInstances.get;
import static dev.nightshift.triage.service.TriageInstances.streams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard as a person sees it, in Debian's headless chromium driven by Selenium: incidents with chosen times
 * opened, acknowledged, acted on and resolved on the real broker and registry; the page at {@code /} shows the open
 * ones by team with their current step, MTTR and MTTA per team per day as charts with their tables, coverage and
 * candidates, and an incident's page its timeline; the browser logs no error. Screenshots are kept in
 * {@code target/dashboard-screenshots/}.
 */
@WithKafkaStack
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisabledIfEnvironmentVariable(named = "NIGHTSHIFT_SKIP_BROWSER", matches = "1",
        disabledReason = "NIGHTSHIFT_SKIP_BROWSER=1: the dashboard's browser test is skipped")
class DashboardIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("nightshift.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("nightshift.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    private static final Instant THURSDAY = Instant.parse("2026-11-19T10:00:00Z");
    private static final Instant FRIDAY = Instant.parse("2026-11-20T09:00:00Z");
    private static final String PAGE = "/?window=7d&per=day&until=2026-11-20T12:00:00Z";
    private static final Owner PAYMENTS = Owner.newBuilder().setTeam("payments").setService("orders").build();

    private final ObjectMapper json = new ObjectMapper();
    private EmbeddedServer triage;
    private Topics topics;
    private KafkaProducer<String, Alert> alerts;
    private KafkaProducer<byte[], byte[]> commands;
    private ChromeDriver browser;
    private String throttled;

    @BeforeAll
    void start(KafkaStack stack) throws Exception {
        browser = browser();
        topics = TriageInstances.pipelineTopics(stack, "dashboard", 2);
        String prefix = topics.names().alertsRaw().substring(0, topics.names().alertsRaw().length() - "alerts.raw".length());
        triage = TriageInstances.start(stack, prefix, KafkaStack.unique("dashboard-app"), Map.of("triage.reopen-window", "PT1S",
                "triage.punctuate-interval", "PT0.2S"));
        await().atMost(Duration.ofSeconds(60)).until(() -> streams(triage).state() == KafkaStreams.State.RUNNING);
        alerts = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                topics.alertsRaw().keySerde().serializer(), topics.alertsRaw().valueSerde().serializer());
        commands = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
        OperatorCommands operator = new OperatorCommands(topics);

        // Thursday: payments opened 10:00, acknowledged 10:05, resolved 10:20; search opened 10:00, resolved 10:15
        // Friday:   payments opened 09:00, acknowledged 09:10, resolved 09:40; search opened 09:00, resolved 09:30
        for (Instant day : List.of(THURSDAY, FRIDAY)) {
            boolean thursday = day.equals(THURSDAY);
            String label = thursday ? "thu" : "fri";
            String fingerprint = "fp-orders-" + label;
            send(Alerts.firing(fingerprint, "orders db cpu").setTeam("payments").build(), day);
            String orders = awaitIncident(fingerprint);
            commands.send(operator.acknowledge(orders, "U0AAA1", List.of(), "slack", day.plusSeconds(thursday ? 300 : 600))).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> "ACKNOWLEDGED".equals(incident(orders).get("state")));
            send(Alerts.resolved(fingerprint, "orders db cpu").setTeam("payments").build(), day.plusSeconds(thursday ? 1200 : 2400));
            send(Alerts.firing("fp-5xx-" + label, "5xx high").setTeam("search").build(), day);
            send(Alerts.resolved("fp-5xx-" + label, "5xx high").setTeam("search").build(), day.plusSeconds(thursday ? 900 : 1800));
        }
        // still open: a throttled table whose playbook raised its capacity, and a full disk someone acknowledged
        Instant eleven = Instant.parse("2026-11-20T11:00:00Z");
        send(Alerts.firing("fp-throttled", "orders dynamodb throttled").setTeam("payments").build(), eleven);
        throttled = awaitIncident("fp-throttled");
        KafkaProducer<String, PlaybookRun> runs = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()), topics.playbookRuns().keySerde().serializer(), topics.playbookRuns().valueSerde().serializer());
        KafkaProducer<String, RemediationOutcome> steps = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()), topics.remediationOutcomes().keySerde().serializer(),
                topics.remediationOutcomes().valueSerde().serializer());
        try (runs; steps) {
            runs.send(new ProducerRecord<>(topics.playbookRuns().name(), throttled, PlaybookRun.newBuilder().setIncidentId(throttled)
                    .setPlaybook("dynamodb-throttling").setRun(1).setStatus(RunStatus.RUNNING).setOwner(PAYMENTS).setCurrentStep(0)
                    .setSteps(List.of(StepRun.newBuilder().setIndex(0).setName("raise read capacity").setAction("dynamodb.update-capacity")
                            .setManual(false).setStatus(StepStatus.REQUESTED).build()))
                    .setStartedAt(eleven.plusSeconds(30)).setUpdatedAt(eleven.plusSeconds(30)).setVersion(1).build())).get();
            steps.send(new ProducerRecord<>(topics.remediationOutcomes().name(), throttled, RemediationOutcome.newBuilder()
                    .setRequestId(throttled + "-1-0").setIncidentId(throttled).setPlaybook("dynamodb-throttling").setStepIndex(0)
                    .setStepName("raise read capacity").setAction("dynamodb.update-capacity").setStatus(OutcomeStatus.SUCCEEDED)
                    .setDryRun(false).setSummary("read capacity of orders 100 -> 200").setOwner(PAYMENTS)
                    .setPlan("raise the read capacity of table orders from 100 to 200").setBefore(Map.of("readCapacity", "100"))
                    .setAfter(Map.of("readCapacity", "200")).setStartedAt(eleven.plusSeconds(40)).setFinishedAt(eleven.plusSeconds(60))
                    .build())).get();
        }
        send(Alerts.firing("fp-disk", "disk full").setTeam("search").build(), eleven.plusSeconds(1800));
        String disk = awaitIncident("fp-disk");
        commands.send(operator.acknowledge(disk, "U0BBB2", List.of(), "slack", eleven.plusSeconds(2100))).get();

        await().atMost(Duration.ofSeconds(60)).until(() -> "ACKNOWLEDGED".equals(incident(disk).get("state"))
                && get(triage, "/v1/incidents/" + throttled + "/timeline").body().contains("raise read capacity")
                && json.readValue(get(triage, "/v1/analytics/facts?window=7d&until=2026-11-20T12:00:00Z").body(), List.class).size() == 4);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (alerts != null) {
            alerts.close();
        }
        if (commands != null) {
            commands.close();
        }
        if (triage != null) {
            triage.close();
        }
    }

    @Test
    void theOverviewShowsOpenIncidentsByTeamAndMttrAndMttaPerDayAsChartsWithTheirTables() throws Exception {
        browser.get(url(PAGE));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#mtta-table tbody tr")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#candidates-table tbody tr")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#open table[data-team='payments']"),
                "step 1 raise read capacity"));

        WebElement payments = browser.findElement(By.cssSelector("#open table[data-team='payments']"));
        assertThat(browser.findElements(By.cssSelector("#open h3"))).extracting(WebElement::getText)
                .containsExactly("payments (1 open)", "search (1 open)");
        assertThat(payments.getText()).contains("orders dynamodb throttled", throttled, "OPEN",
                "step 1 raise read capacity (dynamodb.update-capacity): SUCCEEDED");
        assertThat(browser.findElement(By.cssSelector("#open table[data-team='search']")).getText())
                .contains("disk full", "ACKNOWLEDGED").doesNotContain("orders db cpu");

        WebElement chart = browser.findElement(By.cssSelector("#mttr-chart"));
        assertThat(chart.getTagName()).isEqualTo("svg");
        assertThat(chart.getAttribute("role")).isEqualTo("img");
        assertThat(browser.findElement(By.id(chart.getAttribute("aria-labelledby").split(" ")[0])).getAttribute("textContent"))
                .isEqualTo("MTTR per team per day");
        assertThat(chart.findElements(By.cssSelector(".mark"))).extracting(m -> m.getAttribute("data-value"))
                .containsExactlyInAnyOrder("20", "40", "15", "30");
        assertThat(chart.findElements(By.cssSelector("polyline"))).as("a line per team over the two days").hasSize(2);

        assertThat(cells("#mttr-table")).containsExactly(
                List.of("Day", "payments", "search"), List.of("2026-11-19", "20", "15"), List.of("2026-11-20", "40", "30"));
        assertThat(browser.findElement(By.cssSelector("#mttr-table caption")).getText()).isEqualTo("MTTR per team per day (minutes)");
        assertThat(browser.findElements(By.cssSelector("#mttr-table thead th"))).allSatisfy(th -> assertThat(th.getAttribute("scope")).isEqualTo("col"));
        assertThat(browser.findElements(By.cssSelector("#mttr-table tbody th"))).allSatisfy(th -> assertThat(th.getAttribute("scope")).isEqualTo("row"));
        assertThat(cells("#mtta-table")).containsExactly(
                List.of("Day", "payments", "search"), List.of("2026-11-19", "5", "—"), List.of("2026-11-20", "10", "—"));
        assertThat(browser.findElements(By.cssSelector("#mtta-chart .mark"))).hasSize(2);

        assertThat(cells("#per-team-table").get(1)).startsWith("payments", "2", "30", "20", "40", "7.5");
        assertThat(cells("#per-team-table").get(2)).startsWith("search", "2", "22.5", "15", "30", "—");
        assertThat(cells("#candidates-table").get(1)).as("people spent 2 x 30 minutes on the database alert")
                .startsWith("orders db cpu", "unclassified", "—", "2", "0").endsWith("30", "60");
        assertThat(cells("#coverage-table")).extracting(row -> row.get(0)).containsExactlyInAnyOrder("Alert", "orders db cpu", "5xx high");

        screenshot("overview.png");
        assertThat(errors()).as("the browser's console").isEmpty();
    }

    @Test
    void anIncidentPageShowsItsTimelineInOrderAndLinksItsPostmortemDraft() throws Exception {
        browser.get(url(PAGE));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText(throttled))).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("ol.timeline li")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("dl.summary")));

        assertThat(browser.getCurrentUrl()).endsWith("#/incidents/" + throttled);
        assertThat(browser.findElement(By.cssSelector("dl.summary")).getText()).contains("orders dynamodb throttled", "payments",
                "dynamodb-throttling", "2026-11-20 11:00 UTC");
        List<String> entries = browser.findElements(By.cssSelector("ol.timeline > li")).stream().map(WebElement::getText).toList();
        assertThat(entries).extracting(e -> e.lines().findFirst().orElseThrow()).containsExactly(
                "2026-11-20 11:00:00 UTC ALERT alert orders dynamodb throttled fired: incident opened (HIGH, capacity, team payments)",
                "2026-11-20 11:00:30 UTC RUN playbook dynamodb-throttling run 1: RUNNING",
                "2026-11-20 11:00:40 UTC STATE first automated step",
                "2026-11-20 11:01:00 UTC STEP step 1 raise read capacity (dynamodb.update-capacity): SUCCEEDED - read capacity of orders 100 -> 200");
        assertThat(entries.get(3)).as("the step's plan, before and after").contains("raise the read capacity of table orders from 100 to 200",
                "{\"readCapacity\":\"100\"}", "{\"readCapacity\":\"200\"}");
        assertThat(browser.findElement(By.id("postmortem-link")).getAttribute("href"))
                .endsWith("/v1/incidents/" + throttled + "/postmortem");

        browser.findElement(By.cssSelector("#postmortem summary")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("pre.postmortem"), "# Post-mortem draft"));
        assertThat(browser.findElement(By.cssSelector("pre.postmortem")).getText()).contains("raise read capacity");

        screenshot("incident.png");
        assertThat(errors()).as("the browser's console").isEmpty();
    }

    @Test
    void thePageLoadsNothingFromOutsideTriage() {
        var page = get(triage, "/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).contains(DashboardController.CONTENT_SECURITY_POLICY);
        assertThat(page.body()).contains("/dashboard/dashboard.js", "/dashboard/charts.js", "/dashboard/dashboard.css")
                .doesNotContain("http://", "https://");
        assertThat(get(triage, "/dashboard/dashboard.js").statusCode()).isEqualTo(200);
    }

    /** Debian's chromium through Debian's chromedriver, both named explicitly: Selenium Manager never runs. */
    private static ChromeDriver browser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the dashboard test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): apt-get install chromium chromium-driver (CI installs them from .ci/packages.txt), "
                    + "or set NIGHTSHIFT_SKIP_BROWSER=1 to skip it");
        }
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,2200",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + tempDir());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        return new ChromeDriver(service, options);
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("dashboard-chromium").toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The browser's console messages at SEVERE since the last call: errors, failed requests, uncaught exceptions. */
    private List<String> errors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::toString).toList();
    }

    private List<List<String>> cells(String tableSelector) {
        return browser.findElements(By.cssSelector(tableSelector + " tr")).stream()
                .map(row -> row.findElements(By.cssSelector("th, td")).stream().map(WebElement::getText).toList()).toList();
    }

    private void screenshot(String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.createDirectories(SCREENSHOTS);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + triage.getPort() + path;
    }

    private void send(Alert alert, Instant at) throws Exception {
        alert.setOccurredAt(at);
        alert.setReceivedAt(at);
        alerts.send(new ProducerRecord<>(topics.alertsRaw().name(), alert.getFingerprint(), alert)).get();
    }

    private String awaitIncident(String fingerprint) {
        await().atMost(Duration.ofSeconds(30)).until(() -> incidents().stream().anyMatch(i -> fingerprint.equals(i.get("fingerprint"))));
        return incidents().stream().filter(i -> fingerprint.equals(i.get("fingerprint"))).findFirst().orElseThrow()
                .get("incidentId").toString();
    }

    private List<Map<String, Object>> incidents() {
        try {
            var response = get(triage, "/v1/incidents");
            return response.statusCode() == 200 ? json.readValue(response.body(), new TypeReference<>() {
            }) : List.of();
        } catch (Exception e) {
            return List.of();
        }
    }

    private Map<String, Object> incident(String id) throws Exception {
        return json.readValue(get(triage, "/v1/incidents/" + id).body(), new TypeReference<>() {
        });
    }
}
