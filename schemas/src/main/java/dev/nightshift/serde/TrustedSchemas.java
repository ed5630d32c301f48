package dev.nightshift.serde;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Avro refuses to load a class named by a schema unless it is trusted. The pipeline's generated
 * classes (one package) are trusted, and whatever was trusted before stays trusted.
 */
final class TrustedSchemas {
    static final String PACKAGE = "dev.nightshift.schema";
    private static volatile boolean installed;

    private TrustedSchemas() {
    }

    static void install() {
        if (installed) {
            return;
        }
        synchronized (TrustedSchemas.class) {
            if (!installed) {
                ClassSecurityPredicate ours = type -> PACKAGE.equals(type.getPackageName());
                ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours));
                installed = true;
            }
        }
    }
}
