package dev.nightshift.notifier.slack;

/**
 * The buttons the notifier puts on its Slack messages, as Slack sends them back to the interactions endpoint: each
 * button's {@code action_id} below, its {@code value} the id it acts on. The messages (slack) and the endpoint
 * (interactions) both use these names, and nothing else.
 */
public final class Buttons {
    /** Approve, on an approval request; value: the approval id. */
    public static final String APPROVE = "nightshift_approve";
    /** Reject, on an approval request; value: the approval id. */
    public static final String REJECT = "nightshift_reject";
    /** Acknowledge, on an incident's message; value: the incident id. */
    public static final String ACKNOWLEDGE = "nightshift_acknowledge";
    /** Switch back on, on a circuit-open message; value: the action's name. */
    public static final String SWITCH_ON = "nightshift_switch_on";
    /** Retry, on a failed or interrupted step; value: the step's request id. */
    public static final String RETRY = "nightshift_retry";

    /** The labels people see, exactly. */
    public static final String APPROVE_LABEL = "Approve";
    public static final String REJECT_LABEL = "Reject";
    public static final String ACKNOWLEDGE_LABEL = "Acknowledge";
    public static final String SWITCH_ON_LABEL = "Switch back on";
    public static final String RETRY_LABEL = "Retry";

    private Buttons() {
    }
}
