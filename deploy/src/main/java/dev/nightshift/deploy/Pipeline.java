package dev.nightshift.deploy;

import dev.nightshift.registry.DynaliteServer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./pipeline up} and {@code ./pipeline demo}: starts the local stack in the foreground and
 * stops all of it on Ctrl-C (SIGINT) or SIGTERM. The demo runs live against dynalite when Node.js is
 * here (installing dynalite into {@code .pipeline/dynalite/} the first time), in dry-run otherwise.
 */
public final class Pipeline {
    private Pipeline() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "up" : args[0];
        if (!command.equals("up") && !command.equals("demo")) {
            System.err.println("usage: pipeline up|demo");
            System.exit(2);
        }
        long started = Long.getLong("nightshift.started", System.currentTimeMillis());
        PrintStream out = System.out;
        Path home = Path.of(System.getProperty("nightshift.home", ".")).toAbsolutePath().normalize();
        StackConfig config = StackConfig.fromEnvironment(home, System.getenv());
        boolean demo = command.equals("demo");

        Map<String, String> serviceEnv = new HashMap<>();
        Path dynaliteHome = null;
        if (demo) {
            dynaliteHome = dynalite(config.data().resolve("dynalite"), out).orElse(null);
            serviceEnv.putAll(DemoAws.environment(dynaliteHome != null));
        }
        SlackSink slackSink = null;
        if (demo && (System.getenv("SLACK_WEBHOOK_URL") == null || System.getenv("SLACK_WEBHOOK_URL").isBlank())) {
            slackSink = new SlackSink(out);
            serviceEnv.put("SLACK_WEBHOOK_URL", slackSink.url());
        }

        CountDownLatch stop = new CountDownLatch(1);
        LocalStack[] holder = new LocalStack[1];
        Demo[] demoHolder = new Demo[1];
        SlackSink sink = slackSink;
        Thread shutdown = new Thread(() -> {
            out.println("stopping...");
            if (demoHolder[0] != null) {
                demoHolder[0].close();
            }
            if (holder[0] != null) {
                holder[0].close();
            }
            if (sink != null) {
                sink.close();
            }
            out.println("stopped");
            stop.countDown();
        }, "pipeline-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);

        out.println("starting the pipeline (state in " + config.data() + ", logs in " + config.data().resolve("logs") + ")");
        LocalStack stack;
        try {
            stack = LocalStack.start(config, serviceEnv, dynaliteHome, out);
        } catch (Exception e) {
            System.err.println("the pipeline did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        holder[0] = stack;
        // the key itself is never printed: the console is often captured (terminal logs, CI output, screen shares)
        Optional<Path> keyFile = stack.apiKeyFile();
        out.println("ingest API key   " + keyFile.map(f -> "in " + f + " (mode 600)").orElse("the one in INGEST_API_KEY"));
        out.printf("ready in %.1f s. Ctrl-C stops everything.%n", (System.currentTimeMillis() - started) / 1000.0);
        out.println("try: curl -s -X POST " + stack.url(Service.INGEST) + "/v1/alerts -H \"Authorization: Bearer "
                + keyFile.map(f -> "$(cat '" + f + "')").orElse("<the key in INGEST_API_KEY>") + "\""
                + " -H 'Content-Type: application/json' -d '{\"name\":\"disk-full\",\"state\":\"firing\",\"team\":\"platform\"}'");

        if (demo) {
            Demo tail = new Demo(stack, stack.topicNames(), out);
            demoHolder[0] = tail;
            tail.start();
            tail.awaitAssignment(Duration.ofSeconds(20));
            DemoScript script = new DemoScript(stack, tail, out);
            try {
                if (stack.dynamoDbEndpoint().isPresent()) {
                    script.runLive();
                } else {
                    script.runDryRun();
                }
            } catch (IllegalStateException | IOException e) {
                System.err.println("the demo stopped: " + e.getMessage() + " (the pipeline runs on; Ctrl-C stops it)");
            }
        }
        while (stop.getCount() > 0) {
            var dead = stack.deadChild();
            if (dead.isPresent() && !stack.closing()) {
                System.err.println(dead.get() + " stopped unexpectedly; shutting down");
                System.exit(1);
            }
            stop.await(java.util.concurrent.TimeUnit.SECONDS.toMillis(1), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Where dynalite is installed for the demo's live part, installing it first when missing; empty, after
     * one line saying why, when there is no Node.js or the install failed: the demo then runs in dry-run.
     */
    private static Optional<Path> dynalite(Path home, PrintStream out) {
        Optional<String> node = DynaliteServer.nodeVersion();
        if (node.isEmpty()) {
            out.println("no Node.js here (node --version failed): the demo runs in dry-run and prints the plan instead of making the change"
                    + " (with Node.js 20+, dynalite, an open-source DynamoDB, makes it live)");
            return Optional.empty();
        }
        if (!DynaliteServer.installed(home)) {
            out.println("installing dynalite (" + DynaliteServer.PACKAGE + ", an open-source DynamoDB) into " + home
                    + " with npm: once, and npm needs the network to the npm registry");
            try {
                DynaliteServer.install(home, Duration.ofMinutes(5));
            } catch (RuntimeException e) {
                out.println("could not install dynalite (" + e.getMessage().lines().findFirst().orElse("") + "; npm's output is in "
                        + home.resolve("install.log") + "): the demo runs in dry-run");
                return Optional.empty();
            }
        }
        return Optional.of(home);
    }
}
