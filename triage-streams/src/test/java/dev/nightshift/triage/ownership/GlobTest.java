package dev.nightshift.triage.ownership;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class GlobTest {
    @Test
    void matchesTheWholeSubjectWithStarsAndQuestionMarks() {
        assertThat(new Glob("dynamodb:orders-*").matches("dynamodb:orders-eu")).isTrue();
        assertThat(new Glob("dynamodb:orders-*").matches("dynamodb:orders-")).isTrue();
        assertThat(new Glob("dynamodb:orders-*").matches("dynamodb:order")).isFalse();
        assertThat(new Glob("ecs:payments/*").matches("ecs:payments/api")).isTrue();
        assertThat(new Glob("ecs:*/api").matches("ecs:payments/api")).isTrue();
        assertThat(new Glob("ecs:*/api").matches("ecs:payments/api-v2")).isFalse();
        assertThat(new Glob("ec2:i-0abc????").matches("ec2:i-0abc1234")).isTrue();
        assertThat(new Glob("ec2:i-0abc????").matches("ec2:i-0abc123")).isFalse();
        assertThat(new Glob("rds:orders-db").matches("rds:orders-db")).isTrue();
        assertThat(new Glob("rds:orders-db").matches("rds:orders-db2")).isFalse();
        assertThat(new Glob("a*b*c").matches("aXbYbZc")).isTrue();
        assertThat(new Glob("a*b*c").matches("aXbYbZ")).isFalse();
        assertThat(new Glob("*").matches("")).isTrue();
        assertThat(new Glob("?").matches("")).isFalse();
        assertThat(new Glob("Orders-*").matches("orders-eu")).isFalse();
    }

    @Test
    void regularExpressionCharactersAreLiteral() {
        assertThat(new Glob("elb:app/checkout.v2/*").matches("elb:app/checkoutXv2/1")).isFalse();
        assertThat(new Glob("elb:app/checkout.v2/*").matches("elb:app/checkout.v2/1")).isTrue();
        assertThat(new Glob("x+[y]").matches("x+[y]")).isTrue();
    }

    /** Against the regular expression the glob stands for, over many random globs and subjects that overlap. */
    @Test
    void agreesWithTheEquivalentRegularExpression() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            String glob = randomText(random, "ab.*?", 7);
            String subject = randomText(random, "ab.", 9);
            assertThat(new Glob(glob).matches(subject)).as("glob '%s' on '%s'", glob, subject)
                    .isEqualTo(regex(glob).matcher(subject).matches());
        }
    }

    private static String randomText(Random random, String alphabet, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static Pattern regex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }
}
