package dev.nightshift.ingest.auth;

import dev.nightshift.ingest.IngestSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysTest {
    @Test
    void aKeyIsAcceptedOnlyByTheSourceItIsConfiguredFor() {
        ApiKeys keys = ApiKeys.builder().digest(IngestSource.DATADOG, ApiKeys.sha256Hex("dd-key")).build();

        assertThat(keys.match(IngestSource.DATADOG, "dd-key")).isPresent();
        assertThat(keys.match(IngestSource.ALERTMANAGER, "dd-key")).isEmpty();
        assertThat(keys.match(IngestSource.DATADOG, "dd-key2")).isEmpty();
        assertThat(keys.match(IngestSource.DATADOG, null)).isEmpty();
    }

    @Test
    void twoKeysAreValidAtOnceForRotation() {
        ApiKeys keys = ApiKeys.builder()
                .digest(IngestSource.ALERTMANAGER, ApiKeys.sha256Hex("old"))
                .digest(IngestSource.ALERTMANAGER, "sha256:" + ApiKeys.sha256Hex("new").toUpperCase())
                .build();

        assertThat(keys.match(IngestSource.ALERTMANAGER, "old")).isPresent();
        assertThat(keys.match(IngestSource.ALERTMANAGER, "new")).isPresent();
        assertThat(keys.match(IngestSource.ALERTMANAGER, "old")).isNotEqualTo(keys.match(IngestSource.ALERTMANAGER, "new"));
    }

    @Test
    void aPlainKeyForAllIsAcceptedEverywhereAndItsIdDoesNotRevealIt() {
        ApiKeys keys = ApiKeys.builder().plainKeyForAll("local-key").build();

        for (IngestSource source : IngestSource.values()) {
            assertThat(keys.match(source, "local-key")).hasValueSatisfying(id -> assertThat(id).doesNotContain("local-key"));
        }
    }

    @Test
    void aDigestThatIsNotSha256HexIsRefusedAtStartWithoutEchoingIt() {
        assertThatThrownBy(() -> ApiKeys.builder().digest(IngestSource.GENERIC, "my-plain-secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("my-plain-secret");
    }

    @Test
    void noKeysMeansEmpty() {
        assertThat(ApiKeys.builder().plainKeyForAll("  ").build().isEmpty()).isTrue();
    }
}
