package dev.nightshift.notifier.planner;

import dev.nightshift.schema.Silence;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A team's silence of its notifications for a service or an alert name, as the record the planner reads from
 * {@code notifications.silences}: set for a while ({@code for}, or {@code until} a time), or lifted (its end set to now,
 * so the record still says who lifted it). A silence that cannot be right (no team, no person, both or neither of a
 * service and an alert name, an end in the past) is refused before anything is written.
 */
public final class SilenceCommands {
    private final Topics topics;

    public SilenceCommands(Topics topics) {
        this.topics = topics;
    }

    /** Silences the team's service (or alert name) until {@code until}. */
    public ProducerRecord<byte[], byte[]> silence(String team, String service, String alertName, Instant until, String person, String channel,
                                                  String reason, Instant now) {
        if (until == null || !until.isAfter(now)) {
            throw new IllegalArgumentException("a silence must end in the future (--for PT2H or --until 2026-12-06T18:00:00Z), got " + until);
        }
        return record(team, service, alertName, until, person, channel, reason, now);
    }

    /** Lifts the team's silence of the service (or alert name) now. */
    public ProducerRecord<byte[], byte[]> lift(String team, String service, String alertName, String person, String channel, Instant now) {
        return record(team, service, alertName, now, person, channel, "lifted", now);
    }

    /** When a silence ends: {@code forDuration} from now (PT2H), or {@code until} (a time); exactly one of them. */
    public static Instant end(String forDuration, String until, Instant now) {
        if ((forDuration == null) == (until == null)) {
            throw new IllegalArgumentException("say how long: --for PT2H or --until 2026-12-06T18:00:00Z (one of them)");
        }
        try {
            return forDuration != null ? now.plus(Duration.parse(forDuration)) : Instant.parse(until);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(forDuration != null
                    ? "--for '" + forDuration + "' is not an ISO-8601 duration (PT2H, PT30M)"
                    : "--until '" + until + "' is not a UTC time (2026-12-06T18:00:00Z)");
        }
    }

    private ProducerRecord<byte[], byte[]> record(String team, String service, String alertName, Instant until, String person, String channel,
                                                  String reason, Instant now) {
        if (blank(team)) {
            throw new IllegalArgumentException("name the team (--team T)");
        }
        if (blank(service) == blank(alertName)) {
            throw new IllegalArgumentException("name a service (--service S) or an alert (--alert NAME), one of them");
        }
        if (blank(person)) {
            throw new IllegalArgumentException("say who you are (--as PERSON: your Slack user id or e-mail)");
        }
        String key = blank(service) ? Silences.alertKey(team.trim(), alertName.trim()) : Silences.serviceKey(team.trim(), service.trim());
        Silence silence = Silence.newBuilder().setTeam(team.trim()).setService(blank(service) ? null : service.trim())
                .setAlertName(blank(alertName) ? null : alertName.trim()).setUntil(until).setBy(person.trim()).setChannel(channel)
                .setReason(blank(reason) ? null : reason).setAt(now).build();
        String topic = topics.notificationsSilences().name();
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                topics.notificationsSilences().valueSerde().serializer().serialize(topic, silence));
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
