package dev.nightshift.workers.executor;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;

/**
 * Sorts the failure of an action's call, for the runner that decides whether to send the step again as a new
 * request: worth another try when the outside system was unreachable, throttled us or failed on its side (5xx);
 * permanent when it refused the request (4xx: bad input, missing permission, unknown resource). A call that
 * changes something is worth another try only when the failure shows the change was not made (throttled,
 * unavailable, or never connected): after a timeout or a 500 it may have been, and a new request would make it twice.
 */
public final class FailureClassifier {
    private FailureClassifier() {
    }

    /** Whether a new request could succeed where this call failed (a read, or a change known not to have been made). */
    public static boolean retryable(Throwable error, boolean changes) {
        return changes ? retryable(error) && notMade(error) : retryable(error);
    }

    /** Whether the failure is transient: throttled, unreachable or failed on the other side. */
    public static boolean retryable(Throwable error) {
        for (Throwable t = error; t != null; t = next(t)) {
            if (t instanceof SdkServiceException service) {
                return service.isThrottlingException() || service.statusCode() >= 500;
            }
            if (t instanceof SdkClientException || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Whether the failure proves the call changed nothing: refused before it was served, or never sent. */
    static boolean notMade(Throwable error) {
        for (Throwable t = error; t != null; t = next(t)) {
            if (t instanceof SdkServiceException service) {
                return service.isThrottlingException() || service.statusCode() == 503;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof HttpConnectTimeoutException
                    || t instanceof SocketTimeoutException && String.valueOf(t.getMessage()).startsWith("connect timed out")) {
                return true;
            }
        }
        return false;
    }

    /** A one-line description without request ids or credentials. */
    public static String describe(Throwable error) {
        if (error instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage();
        }
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    private static Throwable next(Throwable t) {
        return t.getCause() == t ? null : t.getCause();
    }
}
