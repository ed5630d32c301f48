package dev.nightshift.ingest.normalize;

import java.util.Locale;
import java.util.Map;

/**
 * Names the resource a CloudWatch metric is about from its namespace and dimensions, in the form
 * the remediation actions read ({@code dynamodb:table/orders}, {@code ecs:CLUSTER/SERVICE},
 * {@code ec2:instance/i-...}); otherwise {@code <namespace>:<dimension>/<value>} of the first
 * dimension.
 */
public final class AwsResources {
    private AwsResources() {
    }

    public static String resource(String namespace, Map<String, String> dimensions) {
        if (dimensions == null || dimensions.isEmpty()) {
            return null;
        }
        String ns = namespace == null ? "" : namespace;
        switch (ns) {
            case "AWS/DynamoDB":
                if (dimensions.containsKey("TableName")) {
                    return "dynamodb:table/" + dimensions.get("TableName");
                }
                break;
            case "AWS/ECS":
                if (dimensions.containsKey("ClusterName") && dimensions.containsKey("ServiceName")) {
                    return "ecs:" + dimensions.get("ClusterName") + "/" + dimensions.get("ServiceName");
                }
                if (dimensions.containsKey("ClusterName")) {
                    return "ecs:cluster/" + dimensions.get("ClusterName");
                }
                break;
            case "AWS/EC2":
                if (dimensions.containsKey("InstanceId")) {
                    return "ec2:instance/" + dimensions.get("InstanceId");
                }
                if (dimensions.containsKey("AutoScalingGroupName")) {
                    return "autoscaling:group/" + dimensions.get("AutoScalingGroupName");
                }
                break;
            case "AWS/RDS":
                if (dimensions.containsKey("DBInstanceIdentifier")) {
                    return "rds:db/" + dimensions.get("DBInstanceIdentifier");
                }
                if (dimensions.containsKey("DBClusterIdentifier")) {
                    return "rds:cluster/" + dimensions.get("DBClusterIdentifier");
                }
                break;
            case "AWS/Lambda":
                if (dimensions.containsKey("FunctionName")) {
                    return "lambda:function/" + dimensions.get("FunctionName");
                }
                break;
            case "AWS/SQS":
                if (dimensions.containsKey("QueueName")) {
                    return "sqs:queue/" + dimensions.get("QueueName");
                }
                break;
            case "AWS/ApplicationELB", "AWS/NetworkELB":
                if (dimensions.containsKey("TargetGroup")) {
                    return "elb:" + dimensions.get("TargetGroup");
                }
                if (dimensions.containsKey("LoadBalancer")) {
                    return "elb:loadbalancer/" + dimensions.get("LoadBalancer");
                }
                break;
            case "AWS/ElastiCache":
                if (dimensions.containsKey("CacheClusterId")) {
                    return "elasticache:cluster/" + dimensions.get("CacheClusterId");
                }
                break;
            case "AWS/Kinesis":
                if (dimensions.containsKey("StreamName")) {
                    return "kinesis:stream/" + dimensions.get("StreamName");
                }
                break;
            default:
                break;
        }
        Map.Entry<String, String> first = dimensions.entrySet().iterator().next();
        String prefix = ns.startsWith("AWS/") ? ns.substring(4).toLowerCase(Locale.ROOT) : ns.isEmpty() ? "cloudwatch" : ns;
        return prefix + ":" + first.getKey() + "/" + first.getValue();
    }

    /** The region code of an ARN ({@code arn:aws:cloudwatch:eu-west-1:123:alarm:x}), or null. */
    public static String regionOf(String arn) {
        String part = arnPart(arn, 3);
        return part == null || part.isEmpty() ? null : part;
    }

    /** The account of an ARN, or null. */
    public static String accountOf(String arn) {
        String part = arnPart(arn, 4);
        return part == null || part.isEmpty() ? null : part;
    }

    private static String arnPart(String arn, int index) {
        if (arn == null || !arn.startsWith("arn:")) {
            return null;
        }
        String[] parts = arn.split(":", 7);
        return parts.length > index ? parts[index] : null;
    }

    /** The CloudWatch console page of an alarm. */
    public static String consoleLink(String region, String alarmName) {
        if (region == null || alarmName == null) {
            return null;
        }
        String encoded = java.net.URLEncoder.encode(alarmName, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        return "https://" + region + ".console.aws.amazon.com/cloudwatch/home?region=" + region + "#alarmsV2:alarm/" + encoded;
    }
}
