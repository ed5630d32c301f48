package dev.nightshift.workers.actions;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Numbers as the actions show them to people and to later steps: no trailing zeros, no exponent. */
final class Numbers {
    private Numbers() {
    }

    static String text(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** At most three decimals, for averages and metric values. */
    static String rounded(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** A whole number parameter within [min, max], or the fallback when absent. */
    static long whole(Step step, String name, long fallback, long min, long max) {
        double value = step.number(name, fallback);
        if (value != Math.rint(value) || value < min || value > max) {
            throw new Step.InvalidStepException(name + " must be a whole number from " + min + " to " + max + ", was " + text(value));
        }
        return (long) value;
    }
}
