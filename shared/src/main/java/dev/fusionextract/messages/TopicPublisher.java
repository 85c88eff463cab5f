package dev.fusionextract.messages;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.ons.NotificationDataPlane;
import com.oracle.bmc.ons.model.MessageDetails;
import com.oracle.bmc.ons.requests.PublishMessageRequest;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.oci.OciCalls;

import java.nio.charset.StandardCharsets;

/**
 * Publishes RAW_TEXT messages to one OCI Notifications topic, through a client bound to the topic's own
 * endpoint. A message over OCI's 64 KB limit is refused before any call: messages carry references, not data.
 */
public final class TopicPublisher {

    public static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private final NotificationDataPlane client;
    private final OciCalls calls;
    private final String topicId;

    public TopicPublisher(NotificationDataPlane client, OciCalls calls, String topicId) {
        this.client = client;
        this.calls = calls;
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
            return calls.call("Publishing to topic " + topicId, () -> client.publishMessage(PublishMessageRequest.builder()
                    .topicId(topicId)
                    .messageType(PublishMessageRequest.MessageType.RawText)
                    .messageDetails(MessageDetails.builder().title(title).body(body).build())
                    .build())).getPublishResult().getMessageId();
        } catch (BmcException e) {
            throw new PermanentException("Publishing to topic " + topicId + " failed with HTTP " + e.getStatusCode() + " ("
                    + e.getServiceCode() + "): check the topic OCID, its endpoint, and a policy allowing 'use ons-topics'.", e);
        }
    }

    public String topicId() {
        return topicId;
    }
}
