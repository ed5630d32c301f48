package dev.nightshift.ingest.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonWriterTest {
    @Test
    void answersAreValidJsonWithEveryCharacterEscaped() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "bad_request");
        body.put("message", "field 'a\"b\\c' has\na tab\t, a bell \u0007 and ünïcødé \u2028");
        body.put("accepted", 2);
        body.put("alertIds", List.of("x", "y"));
        body.put("alerts", List.of(Map.of("index", 0, "ok", true)));
        body.put("nothing", null);

        byte[] json = JsonWriter.write(body);

        assertThat(new ObjectMapper().readValue(json, Map.class)).isEqualTo(body);
        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("\n");
    }
}
