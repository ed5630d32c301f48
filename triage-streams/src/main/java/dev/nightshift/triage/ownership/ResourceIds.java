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
        Map<String, String> labels = alert.getLabels();
        dimension(ids, "dynamodb", labels.get("TableName"));
        String cluster = labels.get("ClusterName");
        String service = labels.get("ServiceName");
        if (cluster != null && service != null) {
            addOnce(ids, "ecs:" + cluster + "/" + service);
        }
        dimension(ids, "lambda", labels.get("FunctionName"));
        dimension(ids, "ec2", labels.get("InstanceId"));
        dimension(ids, "rds", labels.get("DBInstanceIdentifier"));
        dimension(ids, "sqs", labels.get("QueueName"));
        dimension(ids, "elb", labels.get("LoadBalancer"));
        dimension(ids, "asg", labels.get("AutoScalingGroupName"));
        return ids;
    }

    private static void add(List<String> ids, String kind, String name) {
        addOnce(ids, kind + ":" + name);
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
