package dev.nightshift.triage.analytics;

/**
 * What the figures count of one closed incident, read from its history. Times are epoch milliseconds, durations
 * milliseconds (null when they did not happen: no acknowledgement, no automated step, expired unresolved).
 *
 * @param playbookRan            a playbook run started for it
 * @param automatedSteps         automated steps that ran (succeeded or failed), as triage counts them
 * @param manualSteps            steps handed over to a person
 * @param outOfHours             it opened outside its team's working hours
 * @param pages                  pages sent to the on-call for it
 * @param pagesOutOfHours        of those, sent outside the team's working hours
 * @param noise                  it resolved by itself within the noise threshold and nobody, person or automation, acted
 */
public record IncidentFact(String incidentId, String team, String service, String category, String alertName,
                           String playbook, long openedAt, long closedAt, String finalState, Long timeToResolveMillis,
                           Long timeToAcknowledgeMillis, Long timeToFirstAutomatedStepMillis, boolean resolvedByAutomation,
                           boolean playbookRan, int automatedSteps, int manualSteps, boolean outOfHours, int pages,
                           int pagesOutOfHours, boolean noise) {

    /** Time people spent on it: open to resolve, when automation did not resolve it; null otherwise. */
    public Long peopleMillis() {
        return resolvedByAutomation ? null : timeToResolveMillis;
    }

    /** Its kind: the classification and the alert's name. */
    public String kind() {
        return category + "\u0000" + alertName;
    }
}
