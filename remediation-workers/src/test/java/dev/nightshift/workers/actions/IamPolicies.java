package dev.nightshift.workers.actions;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** The least-privilege policies in {@code deploy/iam/}, one per action, read as the IAM actions they allow. */
final class IamPolicies {
    private IamPolicies() {
    }

    static Path directory() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/iam"))) {
                return dir.resolve("deploy/iam");
            }
        }
        throw new AssertionError("no deploy/iam above " + here);
    }

    static Path policy(String action) {
        return directory().resolve(action + ".json");
    }

    /** The IAM actions the action's policy allows. */
    static Set<String> actions(String action) throws IOException {
        JsonNode policy = AwsFake.JSON.readTree(Files.readString(policy(action)));
        Set<String> allowed = new TreeSet<>();
        for (JsonNode statement : policy.path("Statement")) {
            JsonNode actions = statement.path("Action");
            if (actions.isTextual()) {
                allowed.add(actions.asText());
            } else {
                actions.forEach(a -> allowed.add(a.asText()));
            }
        }
        return allowed;
    }
}
