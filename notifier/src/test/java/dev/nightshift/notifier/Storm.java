package dev.nightshift.notifier;

import dev.nightshift.notifier.jira.FakeJira;
import dev.nightshift.notifier.jira.JiraTicketSystem;
import dev.nightshift.notifier.planner.PlannerDriver;
import dev.nightshift.notifier.slack.FakeSlackApi;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.RemediationOutcome;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An alert storm for the notifier's tests: {@code incidents} incidents of {@code teams} teams (each its own channel
 * and Jira project), one category, opening {@code spacing} apart (all within one group window), and a step outcome for
 * every {@code outcomeEvery}-th; and what a responder would count afterwards.
 */
record Storm(int incidents, int teams, Duration spacing, int outcomeEvery) {
    static final String[] TEAMS = {"payments", "search", "billing", "identity"};
    static final String[] PROJECTS = {"PAY", "SRCH", "BILL", "IDN"};

    String team(int i) {
        return TEAMS[i % teams];
    }

    static String channelId(String team) {
        return "C0" + team.toUpperCase();
    }

    void channels(FakeSlackApi slack) {
        for (int t = 0; t < teams; t++) {
            slack.channel(TEAMS[t], channelId(TEAMS[t]));
        }
    }

    List<Incident> opened(Instant t0) {
        List<Incident> all = new ArrayList<>();
        for (int i = 0; i < incidents; i++) {
            int t = i % teams;
            String id = "storm-" + i;
            all.add(PlannerDriver.incident(id, t0.plus(spacing.multipliedBy(i)))
                    .setOwner(PlannerDriver.owner(TEAMS[t], "svc-" + TEAMS[t], "#" + TEAMS[t], PROJECTS[t])).build());
        }
        return all;
    }

    List<RemediationOutcome> outcomes(List<Incident> opened) {
        List<RemediationOutcome> all = new ArrayList<>();
        for (int i = 0; i < opened.size(); i += outcomeEvery) {
            Incident incident = opened.get(i);
            all.add(PlannerDriver.outcome(incident, 0, OutcomeStatus.SUCCEEDED, incident.getOpenedAt().plusSeconds(1))
                    .setSummary("scaled " + incident.getIncidentId()).build());
        }
        return all;
    }

    /** Writes the storm: every incident, then the outcomes. */
    void send(NotifierHarness world, Instant t0) {
        List<Incident> opened = opened(t0);
        opened.forEach(incident -> world.send(world.topics.incidents(), incident.getIncidentId(), incident));
        outcomes(opened).forEach(outcome -> world.send(world.topics.remediationOutcomes(), outcome.getIncidentId(), outcome));
    }

    int expectedReplies() {
        return (incidents + outcomeEvery - 1) / outcomeEvery;
    }

    /** Whether Slack and Jira hold everything: every ticket, every step's reply, every group's parent listing all its incidents. */
    boolean allTold(FakeSlackApi slack, FakeJira jira) {
        if (jira.issues().size() < incidents || distinctReplies(slack) < expectedReplies()) {
            return false;
        }
        for (int t = 0; t < teams; t++) {
            String channel = channelId(TEAMS[t]);
            int members = incidents / teams + (t < incidents % teams ? 1 : 0);
            boolean complete = slack.messages().stream().anyMatch(m -> m.channel.equals(channel) && m.threadTs == null
                    && m.text != null && m.text.contains("[" + members + " incidents]"));
            if (!complete) {
                return false;
            }
        }
        return true;
    }

    /** The parents posted (accepted by Slack) per channel. */
    static Map<String, Long> parentsByChannel(FakeSlackApi slack) {
        return NotifierLifeIT.parents(slack).stream().collect(Collectors.groupingBy(c -> c.param("channel"), Collectors.counting()));
    }

    /** Notification ids Slack took more than once (a reply or parent posted twice). */
    static Map<String, Long> postedTwice(FakeSlackApi slack) {
        return slack.messages().stream().map(m -> NotifierLifeIT.notificationIdOf(m.metadata))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    static long distinctReplies(FakeSlackApi slack) {
        return slack.messages().stream().filter(m -> m.threadTs != null).map(m -> NotifierLifeIT.notificationIdOf(m.metadata))
                .distinct().count();
    }

    static long replies(FakeSlackApi slack) {
        return slack.messages().stream().filter(m -> m.threadTs != null).count();
    }

    /** Incident ids with more than one ticket. */
    static Map<String, Long> ticketedTwice(FakeJira jira) {
        return jira.issues().stream().flatMap(i -> i.labels().stream()).filter(l -> !l.equals(JiraTicketSystem.LABEL))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
