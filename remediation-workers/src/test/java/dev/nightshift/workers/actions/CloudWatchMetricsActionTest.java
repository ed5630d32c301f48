package dev.nightshift.workers.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.schema.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * cloudwatch-metrics through the real SDK against a fake of CloudWatch, which SDK 2.59 speaks Smithy RPC v2 CBOR to
 * ({@code POST /service/GraniteServiceVersion20100801/operation/GetMetricData}, a CBOR body).
 */
class CloudWatchMetricsActionTest {
    private static final String PATH = "/service/GraniteServiceVersion20100801/operation/GetMetricData";
    private static final Instant NOW = Instant.parse("2026-12-06T03:30:00.400Z");

    @RegisterExtension
    static final AwsFake aws = new AwsFake("cloudwatch-metrics");

    private final CloudWatchMetricsAction action = new CloudWatchMetricsAction(aws.clients().cloudWatch(), Clock.fixed(NOW, ZoneOffset.UTC));

    /** Answers GetMetricData with one series: epoch seconds and values, newest first as asked. */
    private void series(long[] times, double[] values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CBORGenerator cbor = new CBORFactory().createGenerator(bytes)) {
            cbor.writeStartObject();
            cbor.writeFieldName("MetricDataResults");
            cbor.writeStartArray();
            cbor.writeStartObject();
            cbor.writeStringField("Id", "m");
            cbor.writeStringField("Label", "ReadThrottleEvents");
            cbor.writeFieldName("Timestamps");
            cbor.writeStartArray();
            for (long time : times) {
                cbor.writeTag(1);   // a Smithy timestamp: tag 1, epoch seconds
                cbor.writeNumber(time);
            }
            cbor.writeEndArray();
            cbor.writeFieldName("Values");
            cbor.writeStartArray();
            for (double value : values) {
                cbor.writeNumber(value);
            }
            cbor.writeEndArray();
            cbor.writeStringField("StatusCode", "Complete");
            cbor.writeEndObject();
            cbor.writeEndArray();
            cbor.writeEndObject();
        }
        aws.stub(post(urlEqualTo(PATH)).willReturn(aResponse().withHeader("Content-Type", "application/cbor")
                .withHeader("smithy-protocol", "rpc-v2-cbor").withBody(bytes.toByteArray())));
    }

    private JsonNode request() throws IOException {
        LoggedRequest request = aws.server().findAll(anyRequestedFor(anyUrl())).get(0);
        assertThat(request.getUrl()).isEqualTo(PATH);
        assertThat(request.getHeader("smithy-protocol")).isEqualTo("rpc-v2-cbor");
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/cbor");
        return new CBORMapper().readTree(request.getBody());
    }

    private static Steps metrics() {
        return Steps.of("cloudwatch-metrics").with("namespace", "AWS/DynamoDB").with("metric", "ReadThrottleEvents")
                .with("dimensions", "TableName=orders-eu");
    }

    @Test
    void readsTheMetricOverTheLastMinutesAndReportsMinMaxAvgLatest() throws IOException {
        series(new long[]{1796527740, 1796527680, 1796527620}, new double[]{250, 10, 100.5});   // 03:29, 03:28, 03:27

        ActionResult result = action.execute(metrics().with("stat", "Sum").step());

        assertThat(aws.calls()).containsExactly("cloudwatch:GetMetricData");
        JsonNode body = request();
        assertThat(body.path("StartTime").asDouble()).isEqualTo(Instant.parse("2026-12-06T03:00:00Z").getEpochSecond());
        assertThat(body.path("EndTime").asDouble()).isEqualTo(Instant.parse("2026-12-06T03:30:00Z").getEpochSecond());
        assertThat(body.path("ScanBy").asText()).isEqualTo("TimestampDescending");
        JsonNode query = body.path("MetricDataQueries").get(0);
        assertThat(query.path("Id").asText()).isEqualTo("m");
        assertThat(query.path("MetricStat").path("Stat").asText()).isEqualTo("Sum");
        assertThat(query.path("MetricStat").path("Period").asInt()).isEqualTo(60);
        assertThat(query.path("MetricStat").path("Metric").toString()).isEqualTo("{\"Namespace\":\"AWS/DynamoDB\","
                + "\"MetricName\":\"ReadThrottleEvents\",\"Dimensions\":[{\"Name\":\"TableName\",\"Value\":\"orders-eu\"}]}");
        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.results()).isEqualTo(Map.of("stat", "Sum", "datapoints", "3", "min", "10", "max", "250",
                "avg", "120.167", "latest", "250", "latestAt", "2026-12-06T03:29:00Z"));
        assertThat(result.summary()).isEqualTo("ReadThrottleEvents (Sum per 60 s) of TableName=orders-eu over the last 30 min: "
                + "min 10, max 250, avg 120.167, latest 250 at 2026-12-06T03:29:00Z");
    }

    @Test
    void noDataIsAnAnswer() throws IOException {
        series(new long[0], new double[0]);

        ActionResult result = action.execute(metrics().with("minutes", "5").step());

        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.results()).isEqualTo(Map.of("stat", "Average", "datapoints", "0"));
        assertThat(result.summary()).endsWith("over the last 5 min: no data");
    }

    @Test
    void thePlanSaysWhatItReadsAndBadQueriesAreRefused() {
        assertThat(action.plan(metrics().with("dimensions", "TableName=orders-eu, Operation=GetItem").step()))
                .isEqualTo("read AWS/DynamoDB ReadThrottleEvents (Average per 60 s) of TableName=orders-eu,Operation=GetItem over the last 30 minutes");
        for (Map.Entry<String, String> bad : List.of(Map.entry("dimensions", "orders-eu"), Map.entry("stat", "Mean"),
                Map.entry("periodSeconds", "90"), Map.entry("minutes", "0"))) {
            assertThatThrownBy(() -> action.plan(metrics().with(bad.getKey(), bad.getValue()).step())).as(bad.toString())
                    .isInstanceOf(Step.InvalidStepException.class);
        }
        assertThatThrownBy(() -> action.plan(Steps.of("cloudwatch-metrics").with("namespace", "AWS/DynamoDB").step()))
                .isInstanceOf(Step.InvalidStepException.class).hasMessageContaining("metric");
        assertThat(aws.calls()).isEmpty();
    }
}
