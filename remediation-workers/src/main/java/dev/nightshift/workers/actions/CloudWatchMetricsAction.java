package dev.nightshift.workers.actions;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the alarm's metric over the last minutes (GetMetricData, one statistic per period) and reports its lowest,
 * highest, mean and latest value, for the notifier and later steps' conditions. No data is an answer, not a failure.
 */
public final class CloudWatchMetricsAction implements RemediationAction {
    static final long DEFAULT_MINUTES = 30;
    static final long DEFAULT_PERIOD_SECONDS = 60;
    private static final Pattern STAT = Pattern.compile("Average|Sum|Minimum|Maximum|SampleCount|(p|tm|wm|tc|ts|pr)[0-9.:()%A-Za-z]+");

    private static final ActionSpec SPEC = new ActionSpec("cloudwatch-metrics", ActionSpec.Kind.READ,
            Map.of("namespace", "the metric's namespace, e.g. AWS/DynamoDB", "metric", "the metric's name, e.g. ReadThrottleEvents"),
            Map.of("dimensions", "NAME=VALUE pairs, comma-separated, e.g. TableName=orders-eu (default: none)",
                    "minutes", "how far back to read, up to now (default 30)",
                    "stat", "the statistic per period: Average, Sum, Minimum, Maximum, SampleCount or a percentile like p99 (default Average)",
                    "periodSeconds", "the period of each data point (default 60)"),
            false);

    private final CloudWatchClient cloudWatch;
    private final Clock clock;

    public CloudWatchMetricsAction(CloudWatchClient cloudWatch, Clock clock) {
        this.cloudWatch = cloudWatch;
        this.clock = clock;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public String plan(Step step) {
        Query query = Query.of(step);
        return String.format("read %s %s (%s per %d s)%s over the last %d minutes", query.namespace, query.metric, query.stat,
                query.period, query.dimensionsText(), query.minutes);
    }

    @Override
    public ActionResult execute(Step step) {
        Query query = Query.of(step);
        Instant end = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant start = end.minus(Duration.ofMinutes(query.minutes));
        GetMetricDataRequest request = GetMetricDataRequest.builder().startTime(start).endTime(end).scanBy(ScanBy.TIMESTAMP_DESCENDING)
                .metricDataQueries(q -> q.id("m").returnData(true).metricStat(s -> s.period((int) query.period).stat(query.stat)
                        .metric(m -> m.namespace(query.namespace).metricName(query.metric).dimensions(query.dimensions))))
                .build();
        List<Instant> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        cloudWatch.getMetricDataPaginator(request).stream().flatMap(page -> page.metricDataResults().stream())
                .filter(result -> "m".equals(result.id()))
                .forEach(result -> collect(result, times, values));
        Map<String, String> results = new HashMap<>();
        results.put("stat", query.stat);
        results.put("datapoints", Integer.toString(values.size()));
        String described = query.metric + " (" + query.stat + " per " + query.period + " s)" + query.dimensionsText()
                + " over the last " + query.minutes + " min";
        if (values.isEmpty()) {
            return ActionResult.read(described + ": no data", results);
        }
        int latest = 0;
        for (int i = 1; i < times.size(); i++) {
            if (times.get(i).isAfter(times.get(latest))) {
                latest = i;
            }
        }
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double avg = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        results.put("min", Numbers.rounded(min));
        results.put("max", Numbers.rounded(max));
        results.put("avg", Numbers.rounded(avg));
        results.put("latest", Numbers.rounded(values.get(latest)));
        results.put("latestAt", times.get(latest).toString());
        return ActionResult.read(String.format("%s: min %s, max %s, avg %s, latest %s at %s", described, results.get("min"),
                results.get("max"), results.get("avg"), results.get("latest"), results.get("latestAt")), results);
    }

    private static void collect(MetricDataResult result, List<Instant> times, List<Double> values) {
        for (int i = 0; i < Math.min(result.timestamps().size(), result.values().size()); i++) {
            times.add(result.timestamps().get(i));
            values.add(result.values().get(i));
        }
    }

    /** The step's metric query, checked. */
    private record Query(String namespace, String metric, List<Dimension> dimensions, long minutes, String stat, long period) {
        static Query of(Step step) {
            String stat = step.optional("stat", "Average").trim();
            if (!STAT.matcher(stat).matches()) {
                throw new Step.InvalidStepException("not a CloudWatch statistic: " + stat);
            }
            long period = Numbers.whole(step, "periodSeconds", DEFAULT_PERIOD_SECONDS, 1, 86_400);
            if (period >= 60 ? period % 60 != 0 : !List.of(1L, 5L, 10L, 20L, 30L).contains(period)) {
                throw new Step.InvalidStepException("periodSeconds must be 1, 5, 10, 20, 30 or a multiple of 60, was " + period);
            }
            return new Query(step.required("namespace").trim(), step.required("metric").trim(), dimensions(step),
                    Numbers.whole(step, "minutes", DEFAULT_MINUTES, 1, 24 * 60), stat, period);
        }

        private static List<Dimension> dimensions(Step step) {
            String text = step.optional("dimensions", "");
            List<Dimension> dimensions = new ArrayList<>();
            for (String pair : text.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                if (equals <= 0 || equals == pair.length() - 1) {
                    throw new Step.InvalidStepException("dimensions are NAME=VALUE pairs, comma-separated; not: " + pair.trim());
                }
                dimensions.add(Dimension.builder().name(pair.substring(0, equals).trim()).value(pair.substring(equals + 1).trim()).build());
            }
            if (dimensions.size() > 30) {
                throw new Step.InvalidStepException("a metric has at most 30 dimensions");
            }
            return dimensions;
        }

        String dimensionsText() {
            return dimensions.isEmpty() ? "" : " of " + String.join(",", dimensions.stream().map(d -> d.name() + "=" + d.value()).toList());
        }
    }
}
