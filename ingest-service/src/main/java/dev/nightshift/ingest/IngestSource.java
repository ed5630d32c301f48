package dev.nightshift.ingest;

import dev.nightshift.schema.AlertSource;

/** The endpoints of the ingest service, one per kind of sender; each has its own keys. */
public enum IngestSource {
    GENERIC("generic", AlertSource.GENERIC),
    CLOUDWATCH("cloudwatch", AlertSource.CLOUDWATCH),
    DATADOG("datadog", AlertSource.DATADOG),
    ALERTMANAGER("alertmanager", AlertSource.ALERTMANAGER);

    private final String configName;
    private final AlertSource alertSource;

    IngestSource(String configName, AlertSource alertSource) {
        this.configName = configName;
        this.alertSource = alertSource;
    }

    /** The name in configuration ({@code nightshift.ingest.sources.<name>}) and on the rejected topic. */
    public String configName() {
        return configName;
    }

    public AlertSource alertSource() {
        return alertSource;
    }
}
