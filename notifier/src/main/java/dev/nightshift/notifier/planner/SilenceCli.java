package dev.nightshift.notifier.planner;

import dev.nightshift.kafka.PipelineSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * {@code ./pipeline silence}: a team keeps the notifier quiet about a service or an alert name for a while, or lifts
 * that silence. Writes one record to {@code notifications.silences} (channel {@code cli}) and says what it asked.
 * Reads KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL and NIGHTSHIFT_TOPICS_PREFIX (and KAFKA_CLIENT_CONFIG,
 * SCHEMA_REGISTRY_USER_INFO).
 */
public final class SilenceCli {
    static final String USAGE = """
            usage:
              silence --team T (--service S | --alert NAME) (--for PT2H | --until TIME) --as PERSON [--reason TEXT]
                                  keep the notifier quiet about a service's or an alert's incidents (TIME: 2026-12-06T18:00:00Z)
              silence --team T (--service S | --alert NAME) --lift --as PERSON
                                  lift that silence now""";

    private SilenceCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System::getenv, System.out, System.err));
    }

    static int run(String[] args, UnaryOperator<String> env, PrintStream out, PrintStream err) {
        PipelineSettings settings = PipelineSettings.from(key -> {
            String value = env.apply(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            return value == null || value.isBlank() ? null : value;
        });
        SilenceCommands commands = new SilenceCommands(settings.topics());
        Instant now = Instant.now();
        ProducerRecord<byte[], byte[]> record;
        String said;
        try {
            Map<String, String> options = options(args);
            String team = options.get("team");
            String service = options.get("service");
            String alert = options.get("alert");
            String what = service != null ? "service " + service : "alert " + alert;
            if (options.containsKey("lift")) {
                record = commands.lift(team, service, alert, options.get("as"), "cli", now);
                said = "lifted " + team + "'s silence of " + what;
            } else {
                Instant until = SilenceCommands.end(options.get("for"), options.get("until"), now);
                record = commands.silence(team, service, alert, until, options.get("as"), "cli", options.get("reason"), now);
                said = "silenced " + team + "'s notifications about " + what + " until " + until;
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(settings.kafka().producer("nightshift-silence"))) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            err.println("could not write to " + record.topic() + ": " + e.getMessage());
            return 1;
        }
        out.println(said + " (" + record.topic() + ")");
        return 0;
    }

    /** The --options of the command line; {@code --lift} takes no value. */
    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected '" + args[i] + "'");
            }
            String name = args[i].substring(2);
            if (name.equals("lift")) {
                options.put(name, "");
            } else if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            } else {
                options.put(name, args[++i]);
            }
        }
        return options;
    }
}
