package dev.nightshift.triage.ownership;

import dev.nightshift.schema.Alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code kind:name} ids of the resources an alert is about, for ownership patterns: from its
 * resource ({@code dynamodb:orders-eu}, {@code dynamodb:table/orders-eu} and the ARN
 * {@code arn:aws:dynamodb:eu-west-1:123:table/orders-eu} all give {@code dynamodb:orders-eu}; the ARNs of
 * load balancers and Auto Scaling groups give {@code elb:} and {@code asg:} ids, as their dimensions do) and
 * from the CloudWatch dimensions among its labels (TableName, ClusterName+ServiceName,
 * FunctionName, InstanceId, DBInstanceIdentifier, QueueName, LoadBalancer, AutoScalingGroupName).
 * Each id once, in that order; an alert has a handful at most, so a list is checked instead of a set
 * hashing every id (this runs for every alert).
 */
public final class ResourceIds {
    private static final List<String> TYPE_PREFIXES = List.of("table/", "service/", "function:", "function/", "instance/",
            "loadbalancer/", "targetgroup/", "cluster/", "db:", "db/", "queue/", "autoScalingGroupName/", "stage/");
    /** ARN service names whose kind in ownership patterns (and in the dimensions below) is another name. */
    private static final Map<String, String> ARN_KINDS = Map.of("elasticloadbalancing", "elb", "autoscaling", "asg");
    private static final String GROUP_NAME = "autoScalingGroupName/";

    static {
        if (!TYPE_PREFIXES.stream().allMatch(prefix -> prefix.endsWith("/") || prefix.endsWith(":"))) {
            throw new IllegalStateException("ResourceIds.add looks for type prefixes only in names with a '/' or ':'");
        }
    }

    private ResourceIds() {
    }

    public static List<String> of(Alert alert) {
        List<String> ids = new ArrayList<>(4);
        String resource = alert.getResource();
        if (resource != null && !resource.isBlank()) {
            if (resource.startsWith("arn:")) {
                String[] parts = resource.split(":", 6);
                if (parts.length == 6) {
                    String name = parts[5];
                    int group = name.indexOf(GROUP_NAME);   // autoScalingGroup:<uuid>:autoScalingGroupName/<name>
                    add(ids, ARN_KINDS.getOrDefault(parts[2], parts[2]), group > 0 ? name.substring(group) : name);
                }
            } else {
                int colon = resource.indexOf(':');
                if (colon > 0) {
                    add(ids, resource.substring(0, colon), resource.substring(colon + 1));
                }
            }
        }
        String[] dimensions = dimensions(alert.getLabels());
        dimension(ids, "dynamodb", dimensions[TABLE]);
        String cluster = dimensions[CLUSTER];
        String service = dimensions[SERVICE];
        if (cluster != null && service != null) {
            addOnce(ids, "ecs:" + cluster + "/" + service);
        }
        dimension(ids, "lambda", dimensions[FUNCTION]);
        dimension(ids, "ec2", dimensions[INSTANCE]);
        dimension(ids, "rds", dimensions[DB_INSTANCE]);
        dimension(ids, "sqs", dimensions[QUEUE]);
        dimension(ids, "elb", dimensions[LOAD_BALANCER]);
        dimension(ids, "asg", dimensions[GROUP]);
        return ids;
    }

    private static final int TABLE = 0;
    private static final int CLUSTER = 1;
    private static final int SERVICE = 2;
    private static final int FUNCTION = 3;
    private static final int INSTANCE = 4;
    private static final int DB_INSTANCE = 5;
    private static final int QUEUE = 6;
    private static final int LOAD_BALANCER = 7;
    private static final int GROUP = 8;
    private static final List<String> DIMENSIONS = List.of("TableName", "ClusterName", "ServiceName", "FunctionName", "InstanceId",
            "DBInstanceIdentifier", "QueueName", "LoadBalancer", "AutoScalingGroupName");

    /**
     * The values of the dimensions above, by their index. An alert has a few labels: looking at each once costs
     * less than looking each dimension up (a label set larger than the dimensions is looked up instead).
     */
    private static String[] dimensions(Map<String, String> labels) {
        String[] values = new String[DIMENSIONS.size()];
        if (labels.size() > values.length) {
            for (int i = 0; i < values.length; i++) {
                values[i] = labels.get(DIMENSIONS.get(i));
            }
            return values;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            int index = switch (label.getKey()) {
                case "TableName" -> TABLE;
                case "ClusterName" -> CLUSTER;
                case "ServiceName" -> SERVICE;
                case "FunctionName" -> FUNCTION;
                case "InstanceId" -> INSTANCE;
                case "DBInstanceIdentifier" -> DB_INSTANCE;
                case "QueueName" -> QUEUE;
                case "LoadBalancer" -> LOAD_BALANCER;
                case "AutoScalingGroupName" -> GROUP;
                default -> -1;
            };
            if (index >= 0) {
                values[index] = label.getValue();
            }
        }
        return values;
    }

    private static void add(List<String> ids, String kind, String name) {
        addOnce(ids, kind + ":" + name);
        if (name.indexOf('/') < 0 && name.indexOf(':') < 0) {
            return;   // every type prefix ends in one of these
        }
        for (String prefix : TYPE_PREFIXES) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                addOnce(ids, kind + ":" + name.substring(prefix.length()));
                break;
            }
        }
    }

    private static void dimension(List<String> ids, String kind, String value) {
        if (value != null && !value.isBlank()) {
            addOnce(ids, kind + ":" + value);
        }
    }

    private static void addOnce(List<String> ids, String id) {
        if (!ids.contains(id)) {
            ids.add(id);
        }
    }
}
