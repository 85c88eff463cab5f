package dev.fusionextract.messages;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.ons.NotificationDataPlane;
import com.oracle.bmc.ons.model.MessageDetails;
import com.oracle.bmc.ons.requests.PublishMessageRequest;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.failure.TransientException;

import java.nio.charset.StandardCharsets;

/**
 * Publishes RAW_TEXT messages to one OCI Notifications topic, through a client bound to the topic's own
 * endpoint. A message over OCI's 64 KB limit is refused before any call: messages carry references, not data.
 */
public final class TopicPublisher {

    public static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private final NotificationDataPlane client;
    private final String topicId;

    public TopicPublisher(NotificationDataPlane client, String topicId) {
        this.client = client;
        this.topicId = topicId;
    }

    /** Returns the message id OCI gave the message. */
    public String publish(String title, String body) {
        int size = title.getBytes(StandardCharsets.UTF_8).length + body.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_MESSAGE_BYTES) {
            throw new PermanentException("A message for topic " + topicId + " is " + size + " bytes, over the " + MAX_MESSAGE_BYTES
                    + "-byte limit of OCI Notifications; messages must carry references (run id, job id), not data.");
        }
        try {
            return client.publishMessage(PublishMessageRequest.builder()
                    .topicId(topicId)
                    .messageType(PublishMessageRequest.MessageType.RawText)
                    .messageDetails(MessageDetails.builder().title(title).body(body).build())
                    .build()).getPublishResult().getMessageId();
        } catch (BmcException e) {
            String message = "Publishing to topic " + topicId + " failed with HTTP " + e.getStatusCode() + " (" + e.getServiceCode() + ")";
            if (e.isTimeout() || e.getStatusCode() <= 0 || e.getStatusCode() == 429 || e.getStatusCode() >= 500) {
                throw new TransientException(message + "; try again later.", e);
            }
            throw new PermanentException(message + ": check the topic OCID and a policy allowing 'use ons-topics'.", e);
        }
    }

    public String topicId() {
        return topicId;
    }
}
