package dev.nightshift.ingest.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialsTest {
    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bearerTokenIsTheKey() {
        assertThat(Credentials.presentedKey("Bearer abc123", null)).isEqualTo("abc123");
        assertThat(Credentials.presentedKey("bearer   abc123 ", null)).isEqualTo("abc123");
    }

    @Test
    void basicPasswordIsTheKeyWhateverTheUser() {
        assertThat(Credentials.presentedKey(basic("sns:abc:123"), null)).isEqualTo("abc:123");
        assertThat(Credentials.presentedKey(basic("only-user"), null)).isNull();
        assertThat(Credentials.presentedKey("Basic %%%notbase64", null)).isNull();
    }

    @Test
    void customHeaderIsUsedWhenThereIsNoAuthorization() {
        assertThat(Credentials.presentedKey(null, "dd-key")).isEqualTo("dd-key");
        assertThat(Credentials.presentedKey("Bearer a", "b")).isEqualTo("a");
    }

    @Test
    void otherSchemesPresentNothing() {
        assertThat(Credentials.presentedKey("Digest abc", null)).isNull();
        assertThat(Credentials.presentedKey("Bearer", null)).isNull();
        assertThat(Credentials.presentedKey(null, null)).isNull();
    }
}
