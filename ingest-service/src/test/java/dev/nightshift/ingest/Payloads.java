package dev.nightshift.ingest;

/** Payloads in each vendor's documented format, as the senders send them. */
public final class Payloads {
    private Payloads() {
    }

    /** The alarm JSON CloudWatch puts into an SNS notification's Message (AWS's documented shape). */
    public static String cloudWatchAlarm(String newState, String oldState) {
        return """
                {"AlarmName":"orders-read-throttle",
                 "AlarmDescription":"Reads throttled on orders. severity=critical service=orders team=payments playbook=scale-dynamodb",
                 "AWSAccountId":"123456789012","AlarmConfigurationUpdatedTimestamp":"2026-11-20T09:00:00.000+0000",
                 "NewStateValue":"%s",
                 "NewStateReason":"Threshold Crossed: 1 out of the last 1 datapoints [125.0 (21/11/26 10:14:00)] was greater than the threshold (100.0) (minimum 1 datapoint for OK -> ALARM transition).",
                 "StateChangeTime":"2026-11-21T10:15:30.123+0000","Region":"EU (Ireland)",
                 "AlarmArn":"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:orders-read-throttle",
                 "OldStateValue":"%s","OKActions":[],"AlarmActions":["arn:aws:sns:eu-west-1:123456789012:nightshift-alarms"],
                 "InsufficientDataActions":[],
                 "Trigger":{"MetricName":"ReadThrottleEvents","Namespace":"AWS/DynamoDB","StatisticType":"Statistic",
                   "Statistic":"SUM","Unit":null,"Dimensions":[{"value":"orders-eu","name":"TableName"}],"Period":60,
                   "EvaluationPeriods":1,"DatapointsToAlarm":1,"ComparisonOperator":"GreaterThanThreshold","Threshold":100.0,
                   "TreatMissingData":"missing","EvaluateLowSampleCountPercentile":""}}
                """.formatted(newState, oldState);
    }

    /** A metric-math alarm: Trigger.Metrics instead of MetricName/Namespace. */
    public static String cloudWatchMetricMathAlarm() {
        return """
                {"AlarmName":"checkout-error-rate","AlarmDescription":null,"AWSAccountId":"123456789012",
                 "NewStateValue":"ALARM","NewStateReason":"Threshold Crossed","StateChangeTime":"2026-11-21T10:00:00.000+0000",
                 "Region":"US East (N. Virginia)","AlarmArn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-error-rate",
                 "OldStateValue":"OK",
                 "Trigger":{"Period":60,"EvaluationPeriods":3,"ComparisonOperator":"GreaterThanThreshold","Threshold":5.0,
                   "TreatMissingData":"missing","Metrics":[
                     {"Expression":"100*errors/requests","Id":"e1","Label":"error rate","ReturnData":true},
                     {"Id":"errors","MetricStat":{"Metric":{"Dimensions":[{"value":"app/checkout/50dc6c495c0c9188","name":"LoadBalancer"}],
                        "MetricName":"HTTPCode_Target_5XX_Count","Namespace":"AWS/ApplicationELB"},"Period":60,"Stat":"Sum"},"ReturnData":false},
                     {"Id":"requests","MetricStat":{"Metric":{"Dimensions":[{"value":"app/checkout/50dc6c495c0c9188","name":"LoadBalancer"}],
                        "MetricName":"RequestCount","Namespace":"AWS/ApplicationELB"},"Period":60,"Stat":"Sum"},"ReturnData":false}]}}
                """;
    }

    /** EventBridge's CloudWatch Alarm State Change event of a metric alarm (AWS's documented example). */
    public static String eventBridgeMetricAlarm(String state) {
        return """
                {"version":"0","id":"c4c1c1c9-6542-e61b-6ef0-8c4d36933a92","detail-type":"CloudWatch Alarm State Change",
                 "source":"aws.cloudwatch","account":"123456789012","time":"2026-11-21T17:04:40Z","region":"us-east-1",
                 "resources":["arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh"],
                 "detail":{"alarmName":"ServerCpuTooHigh",
                   "configuration":{"description":"Goes into alarm when server CPU utilization is too high! team=platform",
                     "metrics":[{"id":"30b6c6b2-a864-43a2-4877-c09a1afc3b87",
                       "metricStat":{"metric":{"dimensions":{"InstanceId":"i-12345678901234567"},"name":"CPUUtilization","namespace":"AWS/EC2"},
                       "period":300,"stat":"Average"},"returnData":true}]},
                   "previousState":{"reason":"Threshold Crossed: 1 out of the last 1 datapoints [0.0666851903306472 (01/10/19 13:46:00)] was not greater than the threshold (50.0)",
                     "reasonData":"{}","timestamp":"2026-11-21T17:03:40.985+0000","value":"OK"},
                   "state":{"reason":"Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater than the threshold (50.0)",
                     "reasonData":"{}","timestamp":"2026-11-21T17:04:40.989+0000","value":"%s"}}}
                """.formatted(state);
    }

    /** EventBridge's CloudWatch Alarm State Change event of a composite alarm. */
    public static String eventBridgeCompositeAlarm() {
        return """
                {"version":"0","id":"d3dfc86d-384d-24c8-0345-9f7986db0b80","detail-type":"CloudWatch Alarm State Change",
                 "source":"aws.cloudwatch","account":"123456789012","time":"2026-11-21T07:10:35Z","region":"us-east-1",
                 "resources":["arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServiceAggregatedAlarm"],
                 "detail":{"alarmName":"ServiceAggregatedAlarm",
                   "state":{"actionsSuppressedBy":"WaitPeriod","actionsSuppressedReason":"Actions suppressed by WaitPeriod",
                     "value":"ALARM","reason":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:SuppressionDemo.EventBridge.FirstChild transitioned to ALARM at Friday 30 December, 2022 07:10:33 UTC",
                     "reasonData":"{\\"triggeringAlarms\\":[{\\"arn\\":\\"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh\\",\\"state\\":{\\"value\\":\\"ALARM\\",\\"timestamp\\":\\"2022-12-30T07:10:33.000+0000\\"}}]}",
                     "timestamp":"2026-11-21T07:10:35.000+0000"},
                   "previousState":{"value":"OK","reason":"all children OK","timestamp":"2026-11-20T07:10:35.000+0000"},
                   "configuration":{"alarmRule":"ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)",
                     "actionsSuppressor":"ServiceMaintenanceAlarm","actionsSuppressorWaitPeriod":120,
                     "actionsSuppressorExtensionPeriod":180,"description":"Aggregated monitor severity=high service=web"}}}
                """;
    }

    /** The README's Datadog payload template, as Datadog fills it in. */
    public static String datadogTemplate(String transition, String alertType, String priority) {
        return """
                {"id":"7283947238947239","alert_id":"12345678","alert_transition":"%s","alert_type":"%s",
                 "alert_status":"Value 93.1 > 90 on host:web-1","aggreg_key":"a1b2c3","alert_scope":"host:web-1,env:prod",
                 "title":"[%s on {host:web-1,env:prod}] CPU high on web","body":"%%%%%%\\nCPU is 93%% on web-1\\n%%%%%%",
                 "tags":"env:prod,service:checkout,team:web,monitor,playbook:restart-ecs-service","hostname":"web-1",
                 "priority":"%s","last_updated":"1763719200000","org_id":"424242",
                 "link":"https://app.datadoghq.com/event/event?id=7283947238947239"}
                """.formatted(transition, alertType, transition, priority);
    }

    /** Datadog's default webhook payload (no template). */
    public static String datadogDefault(String titlePrefix) {
        return """
                {"body":"%%%%%%\\nDisk is 95%% full\\n%%%%%%","last_updated":"1763719200000","event_type":"query_alert_monitor",
                 "title":"%s Disk almost full","date":"1763719200000","org":{"id":"424242","name":"Acme"},"id":"99887766"}
                """.formatted(titlePrefix);
    }

    /** An Alertmanager webhook (version 4) with one firing and one resolved alert. */
    public static String alertmanagerWebhook() {
        return """
                {"version":"4","groupKey":"{}:{alertname=\\"HighErrorRate\\"}","truncatedAlerts":0,"status":"firing",
                 "receiver":"nightshift","groupLabels":{"alertname":"HighErrorRate"},
                 "commonLabels":{"alertname":"HighErrorRate","severity":"critical"},"commonAnnotations":{},
                 "externalURL":"http://alertmanager.example:9093",
                 "alerts":[
                   {"status":"firing","labels":{"alertname":"HighErrorRate","severity":"critical","service":"checkout",
                      "team":"web","instance":"web-1:8080","job":"checkout"},
                    "annotations":{"summary":"5xx over 5%","description":"checkout returns errors","playbook":"restart-ecs-service"},
                    "startsAt":"2026-11-21T10:00:00.123456789Z","endsAt":"0001-01-01T00:00:00Z",
                    "generatorURL":"http://prometheus.example:9090/graph?g0.expr=rate%28http_errors%5B5m%5D%29","fingerprint":"c6a3b1f2d4e5a6b7"},
                   {"status":"resolved","labels":{"alertname":"HighErrorRate","severity":"critical","service":"checkout",
                      "team":"web","instance":"web-2:8080","job":"checkout"},
                    "annotations":{"summary":"5xx over 5%"},
                    "startsAt":"2026-11-21T09:00:00Z","endsAt":"2026-11-21T09:30:00Z",
                    "generatorURL":"http://prometheus.example:9090/graph","fingerprint":"d7b4c2a3e5f6b7c8"}]}
                """;
    }
}
