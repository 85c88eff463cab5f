package dev.fusionextract.emulator.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.emulator.http.Exchanges;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Notifications data plane: {@code POST /20181201/topics/{topicId}/messages}. Records every message and, once
 * the publisher has its answer, hands it to the topic's subscribers (the hook a local event bus uses).
 */
public final class NotificationsService {

    /** OCI's limit on one message. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private final Clock clock;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final List<PublishedMessage> messages = new CopyOnWriteArrayList<>();
    private final Map<String, List<Consumer<PublishedMessage>>> subscribers = new ConcurrentHashMap<>();
    private final Map<String, java.util.ArrayDeque<java.time.Instant>> published = new ConcurrentHashMap<>();
    private volatile int perMinute;
    private volatile Clock limitClock;

    /**
     * Plays Notifications' publishing limit: at most {@code messages} per minute per topic (Oracle's Notifications
     * service limits give 60 PublishMessage calls per minute per topic), the rest answered 429 TooManyRequests with a
     * Retry-After, measured on {@code clock}.
     */
    public NotificationsService limitPublishing(int messages, Clock clock) {
        this.perMinute = messages;
        this.limitClock = clock;
        return this;
    }

    /** Seconds to wait before the topic takes another message, or 0 when it takes one now (and counts it). */
    private long throttled(String topicId) {
        if (perMinute <= 0) {
            return 0;
        }
        java.time.Instant now = limitClock.instant();
        java.util.ArrayDeque<java.time.Instant> recent = published.computeIfAbsent(topicId, t -> new java.util.ArrayDeque<>());
        synchronized (recent) {
            while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minusSeconds(60))) {
                recent.pollFirst();
            }
            if (recent.size() >= perMinute) {
                return Math.max(1, java.time.Duration.between(now, recent.peekFirst().plusSeconds(60)).toSeconds());
            }
            recent.addLast(now);
            return 0;
        }
    }

    NotificationsService(Clock clock) {
        this.clock = clock;
    }

    public NotificationsService createTopic(String topicId) {
        topics.add(topicId);
        return this;
    }

    /** Called, in order of subscription, for each message published to the topic after it was recorded. */
    public void subscribe(String topicId, Consumer<PublishedMessage> subscriber) {
        subscribers.computeIfAbsent(topicId, t -> new CopyOnWriteArrayList<>()).add(subscriber);
    }

    public List<PublishedMessage> messages() {
        return List.copyOf(messages);
    }

    public List<PublishedMessage> messages(String topicId) {
        return messages.stream().filter(m -> m.topicId().equals(topicId)).toList();
    }

    Optional<OciEmulator.Route> route(OciRequest r) {
        if (!(r.is("POST", 4) && r.segment(0).equals("20181201") && r.segment(1).equals("topics") && r.segment(3).equals("messages"))) {
            return Optional.empty();
        }
        return Optional.of(new OciEmulator.Route(OciOperation.PUBLISH_MESSAGE, () -> {
            String topicId = r.segment(2);
            JsonNode details = r.json();
            if (!topics.contains(topicId)) {
                OciEmulator.error(r.exchange, 404, "NotAuthorizedOrNotFound", "Topic " + topicId + " not found");
                return;
            }
            long wait = throttled(topicId);
            if (wait > 0) {
                r.exchange.getResponseHeaders().set("Retry-After", String.valueOf(wait));
                OciEmulator.error(r.exchange, 429, "TooManyRequests", "Topic " + topicId + " takes at most " + perMinute + " messages a minute");
                return;
            }
            String title = details.path("title").asText("");
            String body = details.path("body").asText("");
            if (title.getBytes(StandardCharsets.UTF_8).length + body.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
                OciEmulator.error(r.exchange, 400, "InvalidParameter", "The message is larger than 64 KB");
                return;
            }
            PublishedMessage message = new PublishedMessage(topicId, UUID.randomUUID().toString(),
                    r.header("messageType").orElse("JSON"), title, body);
            messages.add(message);
            ObjectNode answer = Exchanges.JSON.createObjectNode();
            answer.put("messageId", message.messageId());
            answer.put("timeStamp", clock.instant().toString());
            Exchanges.sendJson(r.exchange, 200, answer);
            for (Consumer<PublishedMessage> subscriber : subscribers.getOrDefault(topicId, List.of())) {
                subscriber.accept(message);
            }
        }));
    }
}
