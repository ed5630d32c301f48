package dev.nightshift.notifier.secrets;

/**
 * A secret setting could not be given its value: the setting is empty, its reference is malformed, or the store did
 * not hand the secret over. The message names the setting and the store; it never carries the secret.
 */
public class SecretException extends RuntimeException {
    public SecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
