package dev.nightshift.deploy;

/** The pipeline's four services: the module each runs from, its main class, and its port variable. */
public enum Service {
    INGEST("ingest-service", "dev.nightshift.ingest.IngestApplication", "INGEST_PORT"),
    TRIAGE("triage-streams", "dev.nightshift.triage.TriageApplication", "TRIAGE_PORT"),
    WORKERS("remediation-workers", "dev.nightshift.workers.WorkersApplication", "WORKERS_PORT"),
    NOTIFIER("notifier", "dev.nightshift.notifier.NotifierApplication", "NOTIFIER_PORT");

    private final String module;
    private final String mainClass;
    private final String portVariable;

    Service(String module, String mainClass, String portVariable) {
        this.module = module;
        this.mainClass = mainClass;
        this.portVariable = portVariable;
    }

    public String module() {
        return module;
    }

    public String mainClass() {
        return mainClass;
    }

    public String portVariable() {
        return portVariable;
    }
}
