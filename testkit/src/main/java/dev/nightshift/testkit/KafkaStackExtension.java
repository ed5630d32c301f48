package dev.nightshift.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands a test the {@link KafkaStack}: started on first use, once per test JVM, and stopped when
 * the JUnit run ends (or, failing that, when the JVM exits).
 */
public final class KafkaStackExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaStackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) throws ParameterResolutionException {
        return stack(context);
    }

    /** The stack of this JVM, for code that has an {@link ExtensionContext}. */
    public static KafkaStack stack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("stack", key -> new Resource(KafkaStack.start()), Resource.class)
                .stack;
    }

    private static final class Resource implements ExtensionContext.Store.CloseableResource {
        private final KafkaStack stack;
        private final Thread onExit;

        Resource(KafkaStack stack) {
            this.stack = stack;
            this.onExit = new Thread(stack::close, "kafka-stack-shutdown");
            Runtime.getRuntime().addShutdownHook(onExit);
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException alreadyExiting) {
                return;
            }
            stack.close();
        }
    }
}
