package dev.nightshift.workers.playbook;

import java.util.Optional;

/**
 * The values a step's templates and condition read, by name: {@code incident.resource},
 * {@code alert.labels.TableName}, {@code environment}, {@code steps.scale.readCapacityUnits}, ...
 * (the names {@link TemplateNames} knows). Empty when the incident or the step has no such value.
 */
@FunctionalInterface
public interface Variables {
    Optional<String> get(String name);
}
