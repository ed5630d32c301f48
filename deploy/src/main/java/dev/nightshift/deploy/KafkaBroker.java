package dev.nightshift.deploy;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node KRaft Kafka (broker and controller in one process) started as a child process
 * from the Kafka jars on this launcher's classpath. Its log directory is kept under the data
 * directory, so topics and records survive a restart; it is formatted only the first time.
 */
final class KafkaBroker {
    private KafkaBroker() {
    }

    static ChildProcess start(StackConfig config) throws IOException, InterruptedException {
        Path home = Files.createDirectories(config.data().resolve("kafka"));
        Path logDir = home.resolve("data");
        Path properties = home.resolve("server.properties");
        Files.writeString(properties, serverProperties(config, logDir));
        Path log4j = home.resolve("log4j2.xml");
        Files.writeString(log4j, LOG4J);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            ChildProcess format = ChildProcess.start("kafka-format", List.of(java, "-Xmx256m", "-cp", classpath,
                    "-Dlog4j2.configurationFile=" + log4j, "kafka.tools.StorageTool", "format",
                    "-t", Uuid.randomUuid().toString(), "-c", properties.toString()), Map.of(), home, config.data());
            boolean formatted = format.process().waitFor(60, TimeUnit.SECONDS) && format.process().exitValue() == 0;
            format.stop(1);
            if (!formatted) {
                throw new IllegalStateException("formatting the Kafka log directory failed; see " + format.log());
            }
        }
        return ChildProcess.start("kafka", List.of(java, "-Xmx512m", "-XX:+UseG1GC", "-cp", classpath,
                "-Dlog4j2.configurationFile=" + log4j, "kafka.Kafka", properties.toString()), Map.of(), home, config.data());
    }

    /** Waits until the broker answers a metadata request. */
    static void awaitReady(StackConfig config, ChildProcess broker, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000))) {
            while (System.nanoTime() < deadline) {
                if (!broker.isAlive()) {
                    throw new IllegalStateException("Kafka exited during start; see " + broker.log());
                }
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    Thread.sleep(200);
                }
            }
        }
        throw new IllegalStateException("Kafka did not become ready within " + timeout + "; see " + broker.log());
    }

    static String serverProperties(StackConfig config, Path logDir) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + config.controllerPort(),
                "listeners=PLAINTEXT://127.0.0.1:" + config.kafkaPort() + ",CONTROLLER://127.0.0.1:" + config.controllerPort(),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + config.kafkaPort(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + logDir.toAbsolutePath(),
                "num.partitions=3",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=6",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=6",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") ;
    }

    private static final String LOG4J = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Configuration status="WARN">
              <Appenders>
                <Console name="out" target="SYSTEM_OUT">
                  <PatternLayout pattern="%d{ISO8601} %-5p [%c{1}] %m%n"/>
                </Console>
              </Appenders>
              <Loggers>
                <Logger name="kafka" level="WARN"/>
                <Logger name="org.apache.kafka" level="WARN"/>
                <Logger name="kafka.server.KafkaRaftServer" level="INFO"/>
                <Root level="INFO"><AppenderRef ref="out"/></Root>
              </Loggers>
            </Configuration>
            """;
}
