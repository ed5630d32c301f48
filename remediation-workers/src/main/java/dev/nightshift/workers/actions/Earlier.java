package dev.nightshift.workers.actions;

/** What an undo or a check reads from the step's earlier outcome: its before state, else the copy in its results. */
final class Earlier {
    private Earlier() {
    }

    /** The first of the keys with a value in the earlier outcome, or null. */
    static String value(Step step, String... keys) {
        for (String key : keys) {
            String value = step.earlier().get(key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
