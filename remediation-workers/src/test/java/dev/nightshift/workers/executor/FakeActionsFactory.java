package dev.nightshift.workers.executor;

import dev.nightshift.workers.WorkersFactory;
import dev.nightshift.workers.actions.ActionCatalog;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * For the workers started by tests (in this JVM or another): when {@code fake-aws.url} is set, the catalog holds the
 * {@link FakeActions} calling the fake there instead of the real actions. Without the property nothing changes.
 */
@Factory
@Requires(property = "fake-aws.url")
class FakeActionsFactory {
    @Singleton
    @Replaces(bean = ActionCatalog.class, factory = WorkersFactory.class)
    ActionCatalog fakeActions(@Value("${fake-aws.url}") String url) {
        return new ActionCatalog(FakeActions.all(url));
    }
}
