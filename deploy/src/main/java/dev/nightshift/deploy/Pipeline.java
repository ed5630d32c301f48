package dev.nightshift.deploy;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./pipeline up} and {@code ./pipeline demo}: starts the local stack in the foreground and
 * stops all of it on Ctrl-C (SIGINT) or SIGTERM.
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
            stack = LocalStack.start(config, serviceEnv, out);
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
            Demo.sendSamples(stack, out);
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
}
