package dev.nightshift.triage.topology;

import dev.nightshift.schema.Alert;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EncodedAlertTest {
    /** A field added to the Alert schema brings a setter; EncodedAlert must drop its bytes in that one too. */
    @Test
    void everySetterOfAlertIsOverriddenToDropTheKeptBytes() throws NoSuchMethodException {
        List<Method> setters = Arrays.stream(Alert.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getName().startsWith("set") || m.getName().equals("put"))
                .toList();
        assertThat(setters).hasSizeGreaterThan(20);
        for (Method setter : setters) {
            assertThat(EncodedAlert.class.getDeclaredMethod(setter.getName(), setter.getParameterTypes()))
                    .as("EncodedAlert overrides %s", setter.getName()).isNotNull();
        }
    }

    @Test
    void changingTheAlertDropsItsBytes() {
        EncodedAlert alert = new EncodedAlert();
        alert.encodedAs(new byte[]{0, 1, 2}, 0, 3);
        assertThat(alert.encodedBuffer()).isNotNull();

        alert.setFingerprint("fp-other");
        assertThat(alert.encodedBuffer()).isNull();

        alert.encodedAs(new byte[]{0, 1, 2}, 0, 3);
        alert.put(0, "another-id");
        assertThat(alert.encodedBuffer()).isNull();
    }
}
