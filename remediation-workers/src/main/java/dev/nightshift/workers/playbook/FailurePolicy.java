package dev.nightshift.workers.playbook;

/** What a step's failure does to its run: STOP it, CONTINUE with the next step, or ESCALATE (stop, and page a person). */
public enum FailurePolicy { STOP, CONTINUE, ESCALATE }
