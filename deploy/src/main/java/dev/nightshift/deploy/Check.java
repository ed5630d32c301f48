package dev.nightshift.deploy;

import dev.nightshift.deploy.check.AlertExplanation;
import dev.nightshift.deploy.check.ApproverCheck;
import dev.nightshift.deploy.check.PipelineFiles;
import dev.nightshift.deploy.check.ServiceSettings;
import dev.nightshift.ingest.IngestSource;
import dev.nightshift.ingest.normalize.Delivery;
import dev.nightshift.ingest.normalize.GenericAlertParser;
import dev.nightshift.ingest.normalize.InvalidPayloadException;
import dev.nightshift.ingest.normalize.ParseResult;
import dev.nightshift.schema.Alert;
import dev.nightshift.workers.actions.ActionCatalog;
import dev.nightshift.workers.actions.Actions;
import dev.nightshift.workers.actions.AwsClients;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * {@code ./pipeline check}: the rules, playbooks and ownership files of a deployment checked together, as its own
 * CI would run it, with no broker: every problem, each naming its file, rule, playbook, step or entry; warnings for
 * what is valid but would not work (steps nobody could approve, dry-run settings naming no action); and, with
 * {@code --alert}, what the pipeline would do with one alert. Exit status: 0 valid, 1 a file has problems, 2 a bad
 * command line.
 */
public final class Check {
    static final String USAGE = """
            usage: ./pipeline check [--rules FILE] [--playbooks FILE] [--ownership FILE] [--alert FILE.json]
              --rules FILE        classification rules (default: TRIAGE_RULES_FILE, else the bundled rules)
              --playbooks FILE    playbooks (default: WORKERS_RUNNER_PLAYBOOKS_FILE, else TRIAGE_PLAYBOOKS_FILE, else the shipped ones)
              --ownership FILE    an ownership file, as ./pipeline ownership apply takes it (default: none is checked)
              --alert FILE.json   an alert in the generic JSON of POST /v1/alerts: explain what the pipeline would do with it
            dry-run, the blast radius, the circuit breaker and the approval timeout come from the workers' variables
            (WORKERS_DRY_RUN, WORKERS_DRY_RUN_ACTIONS, WORKERS_RUNNER_*); exit status 0 valid, 1 problems, 2 bad command line""";
    private static final Set<String> OPTIONS = Set.of("rules", "playbooks", "ownership", "alert");

    private Check() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System::getenv, System.out, System.err));
    }

    static int run(String[] args, UnaryOperator<String> env, PrintStream out, PrintStream err) {
        Map<String, String> options;
        try {
            options = options(args, OPTIONS);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (options.containsKey("help")) {
            out.println(USAGE);
            return 0;
        }
        ServiceSettings settings;
        try {
            settings = ServiceSettings.from(env);
        } catch (IllegalArgumentException e) {
            out.println("problem: " + e.getMessage());
            return 1;
        }
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String runnerPlaybooks = settings.runner().getPlaybooksFile();
        String triagePlaybooks = settings.triage().getPlaybooksFile();
        if (!runnerPlaybooks.isBlank() && !triagePlaybooks.isBlank() && !runnerPlaybooks.equals(triagePlaybooks)
                && !options.containsKey("playbooks")) {
            warnings.add("WORKERS_RUNNER_PLAYBOOKS_FILE (" + runnerPlaybooks + ") and TRIAGE_PLAYBOOKS_FILE (" + triagePlaybooks
                    + ") differ: triage checks its rules against the one, the runner runs the other; checking the runner's");
        }
        PipelineFiles.Sources sources = new PipelineFiles.Sources(
                options.getOrDefault("rules", settings.triage().getRulesFile()),
                options.getOrDefault("playbooks", runnerPlaybooks.isBlank() ? triagePlaybooks : runnerPlaybooks),
                options.get("ownership"));
        Alert alert = options.containsKey("alert") ? alert(options.get("alert"), problems) : null;

        try (AwsClients clients = AwsClients.inRegion("us-east-1")) {
            ActionCatalog catalog = Actions.catalog(clients, Clock.systemUTC());
            Instant now = Instant.now();
            PipelineFiles.Checked checked = PipelineFiles.check(sources, catalog::spec, now);
            problems.addAll(0, checked.problems());
            warnings.addAll(checked.warnings());
            if (checked.ownership() != null && checked.playbooks() != null) {
                warnings.addAll(ApproverCheck.warnings(checked.origins().ownership(), checked.ownership(), checked.playbooks(),
                        settings.runner().getApprovalTimeout()));
            }
            for (String action : settings.workers().getDryRunActions()) {
                if (catalog.spec(action).isEmpty()) {
                    warnings.add("WORKERS_DRY_RUN_ACTIONS names '" + action + "', which is no action, so it holds nothing in dry-run"
                            + " (the actions: " + catalog.names().stream().sorted().toList() + ")");
                }
            }

            warnings.forEach(w -> out.println("warning: " + w));
            problems.forEach(p -> out.println("problem: " + p));
            if (!problems.isEmpty()) {
                out.println(problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                        + ": triage, the runner or ./pipeline ownership apply would refuse " + (problems.size() == 1 ? "it" : "them"));
                return 1;
            }
            PipelineFiles.Origins origins = checked.origins();
            out.println("ok: " + checked.rules().rules().size() + " rules, " + checked.playbooks().names().size() + " playbooks, "
                    + (checked.ownership() == null ? 0 : checked.ownership().size()) + " services (rules " + origins.rules()
                    + ", playbooks " + origins.playbooks() + ", "
                    + (origins.ownership() == null ? "no ownership file: --ownership FILE checks one" : "ownership " + origins.ownership()) + ")");
            if (alert != null) {
                out.println();
                new AlertExplanation(checked.rules(), checked.playbooks(), checked.ownership() == null ? List.of() : checked.ownership(),
                        catalog::spec, settings).explain(alert, now.toEpochMilli()).forEach(out::println);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            out.println("problem: " + e.getMessage());
            return 1;
        }
    }

    /** The alert in a file of the generic JSON, parsed by ingest's own parser; null (and a problem) when it is not one alert. */
    private static Alert alert(String file, List<String> problems) {
        byte[] body;
        try {
            body = Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            problems.add(file + ": cannot read the file (" + e.getMessage() + ")");
            return null;
        }
        try {
            ParseResult.Alerts parsed = (ParseResult.Alerts) new GenericAlertParser(() -> UUID.randomUUID().toString(), Integer.MAX_VALUE)
                    .parse(new Delivery(IngestSource.GENERIC, "application/json", body, header -> null, Instant.now()));
            if (parsed.alerts().size() != 1) {
                problems.add(file + ": holds " + parsed.alerts().size() + " alerts; --alert explains one");
                return null;
            }
            return parsed.alerts().get(0);
        } catch (InvalidPayloadException e) {
            problems.add(file + ": " + e.getMessage());
            return null;
        }
    }

    /** The options of a command line, each one of {@code allowed} given once with its value; {@code help} for -h or --help. */
    static Map<String, String> options(String[] args, Set<String> allowed) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                options.put("help", "");
                continue;
            }
            String name = arg.startsWith("--") ? arg.substring(2) : null;
            if (name == null || !allowed.contains(name)) {
                throw new IllegalArgumentException("unknown " + (name == null ? "argument" : "option") + " '" + arg + "'");
            }
            if (i + 1 >= args.length || args[i + 1].isBlank() || args[i + 1].startsWith("--")) {
                throw new IllegalArgumentException(arg + " needs a " + (arg.equals("--since") ? "time" : "file"));
            }
            if (options.put(name, args[++i]) != null) {
                throw new IllegalArgumentException("--" + name + " is given twice");
            }
        }
        return options;
    }
}
