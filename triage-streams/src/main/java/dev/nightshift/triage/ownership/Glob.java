package dev.nightshift.triage.ownership;

/**
 * A compiled resource glob: {@code *} matches any run of characters (also none), {@code ?} exactly one,
 * every other character itself, case-sensitively, and the glob must match the whole subject. Owner lookup
 * checks a glob for most alerts, so the common shapes are answered without a general match: no wildcard is a
 * string comparison, one trailing {@code *} a prefix test. The general case walks the subject once, going
 * back only to just after the last {@code *} seen when a literal run fails, which is enough because a later
 * {@code *} can absorb whatever an earlier one would have.
 */
public final class Glob {
    private enum Shape { EXACT, PREFIX, GENERAL }

    private final String glob;
    private final Shape shape;
    private final String literal;

    Glob(String glob) {
        this.glob = glob;
        int star = glob.indexOf('*');
        boolean question = glob.indexOf('?') >= 0;
        if (star < 0 && !question) {
            shape = Shape.EXACT;
            literal = glob;
        } else if (!question && star == glob.length() - 1) {
            shape = Shape.PREFIX;
            literal = glob.substring(0, star);
        } else {
            shape = Shape.GENERAL;
            literal = null;
        }
    }

    public boolean matches(String subject) {
        return switch (shape) {
            case EXACT -> literal.equals(subject);
            case PREFIX -> subject.startsWith(literal);
            case GENERAL -> matchesGeneral(subject);
        };
    }

    private boolean matchesGeneral(String subject) {
        int g = 0;
        int s = 0;
        int afterStar = -1;
        int resumeAt = 0;
        while (s < subject.length()) {
            if (g < glob.length()) {
                char c = glob.charAt(g);
                if (c == '*') {
                    afterStar = ++g;
                    resumeAt = s;
                    continue;
                }
                if (c == '?' || c == subject.charAt(s)) {
                    g++;
                    s++;
                    continue;
                }
            }
            if (afterStar < 0) {
                return false;
            }
            // the last star takes one more character of the subject, and the rest of the glob is tried from there
            g = afterStar;
            s = ++resumeAt;
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    @Override
    public String toString() {
        return glob;
    }
}
