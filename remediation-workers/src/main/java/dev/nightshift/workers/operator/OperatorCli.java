package dev.nightshift.workers.operator;

import dev.nightshift.commands.OperatorCommands;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.schema.CommandKind;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The operators' command line ({@code ./pipeline approve|reject|ack|automation|actions|undo|retry}), for
 * people who can write to the cluster. Each command writes one record (channel {@code cli}) and says
 * what it asked; the runner (triage, for an acknowledgement) records what came of it. Reads KAFKA_BOOTSTRAP_SERVERS,
 * SCHEMA_REGISTRY_URL and NIGHTSHIFT_TOPICS_PREFIX (and KAFKA_CLIENT_CONFIG, SCHEMA_REGISTRY_USER_INFO).
 */
public final class OperatorCli {
    static final String USAGE = """
            usage:
              approve ID --as PERSON [--reason TEXT]        approve the approval request ID (a step id)
              reject ID --as PERSON [--reason TEXT]         reject it
              ack INCIDENT_ID --as PERSON                   acknowledge the incident: you are on it (its MTTA counts from the first)
              automation pause [--service S] [--until TIME] --as PERSON [--reason TEXT]
                                                            pause all automation, or a service's (TIME: 2026-12-06T18:00:00Z or PT2H)
              automation resume [--service S] --as PERSON   resume it
              actions enable NAME --as PERSON               switch an action on again (closes its open circuit)
              actions disable NAME --as PERSON [--reason TEXT]
              undo STEP_ID --as PERSON                      take back a finished change, behind the same guardrails
              retry STEP_ID --as PERSON                     run a failed or interrupted step again, behind the same guardrails""";

    private OperatorCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System::getenv, System.out, System.err));
    }

    static int run(String[] args, UnaryOperator<String> env, PrintStream out, PrintStream err) {
        ProducerRecord<byte[], byte[]> record;
        String said;
        PipelineSettings settings = PipelineSettings.from(key -> {
            String value = env.apply(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            return value == null || value.isBlank() ? null : value;
        });
        OperatorCommands commands = new OperatorCommands(settings.topics());
        Instant now = Instant.now();
        try {
            Parsed p = Parsed.of(args);
            switch (p.word(0)) {
                case "approve", "reject" -> {
                    boolean approve = p.word(0).equals("approve");
                    record = commands.decide(p.word(1), approve, p.option("as"), "cli", p.option("reason"), now);
                    said = (approve ? "approved " : "rejected ") + p.word(1) + " as " + p.option("as");
                }
                case "ack" -> {
                    record = commands.acknowledge(p.word(1), p.option("as"), List.of(), "cli", now);
                    said = "acknowledged " + p.word(1) + " as " + p.option("as");
                }
                case "automation" -> {
                    String service = p.option("service");
                    if (p.word(1).equals("pause")) {
                        Instant until = OperatorCommands.until(p.option("until"), now);
                        record = commands.pause(service, until, p.option("as"), "cli", p.option("reason"), now);
                        said = "paused " + (service == null ? "all automation" : "the automation of " + service)
                                + (until == null ? " until resumed" : " until " + until);
                    } else if (p.word(1).equals("resume")) {
                        record = commands.resume(service, p.option("as"), "cli", now);
                        said = "resumed " + (service == null ? "all automation" : "the automation of " + service);
                    } else {
                        throw new IllegalArgumentException("automation pause or automation resume");
                    }
                }
                case "actions" -> {
                    boolean enable = p.word(1).equals("enable");
                    if (!enable && !p.word(1).equals("disable")) {
                        throw new IllegalArgumentException("actions enable NAME or actions disable NAME");
                    }
                    record = commands.switchAction(p.word(2), enable, p.option("as"), "cli", p.option("reason"), now);
                    said = "switched " + p.word(2) + (enable ? " on" : " off");
                }
                case "undo", "retry" -> {
                    boolean undo = p.word(0).equals("undo");
                    record = commands.command(undo ? CommandKind.UNDO : CommandKind.RETRY, p.word(1), p.option("as"), "cli", now);
                    said = "asked to " + p.word(0) + " " + p.word(1);
                }
                default -> throw new IllegalArgumentException("unknown command '" + p.word(0) + "'");
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(settings.kafka().producer("nightshift-operator"))) {
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

    /** The words and --options of a command line. */
    private record Parsed(List<String> words, Map<String, String> options) {
        static Parsed of(String[] args) {
            List<String> words = new ArrayList<>();
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].startsWith("--")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(args[i] + " needs a value");
                    }
                    options.put(args[i].substring(2), args[++i]);
                } else {
                    words.add(args[i]);
                }
            }
            return new Parsed(words, options);
        }

        String word(int index) {
            if (index >= words.size()) {
                throw new IllegalArgumentException("missing argument");
            }
            return words.get(index);
        }

        String option(String name) {
            return options.get(name);
        }
    }
}
