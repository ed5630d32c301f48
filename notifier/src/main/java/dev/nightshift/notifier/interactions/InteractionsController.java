package dev.nightshift.notifier.interactions;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * Slack's interactivity requests ({@code POST /v1/slack/interactions}, the Request URL of the Slack app's
 * Interactivity settings): the signing headers and the body exactly as received go to {@link SlackInteractions},
 * whose answer is sent back. Blocking work (a look-up, the broker's acknowledgement) runs off the event loop.
 */
@Controller("/v1/slack")
@ExecuteOn(TaskExecutors.BLOCKING)
public class InteractionsController {
    private final SlackInteractions interactions;

    public InteractionsController(SlackInteractions interactions) {
        this.interactions = interactions;
    }

    @Post("/interactions")
    @Consumes(MediaType.ALL)
    @Produces(MediaType.TEXT_PLAIN)
    public HttpResponse<String> interaction(@Header("X-Slack-Request-Timestamp") @Nullable String timestamp,
                                            @Header("X-Slack-Signature") @Nullable String signature,
                                            @Body @Nullable byte[] body) {
        SlackInteractions.Answer answer = interactions.handle(timestamp, signature, body == null ? new byte[0] : body);
        return HttpResponse.<String>status(io.micronaut.http.HttpStatus.valueOf(answer.status())).body(answer.body());
    }
}
