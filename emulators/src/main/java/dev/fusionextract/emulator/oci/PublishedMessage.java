package dev.fusionextract.emulator.oci;

/** A message published to a topic, as the emulator received it. */
public record PublishedMessage(String topicId, String messageId, String messageType, String title, String body) {
}
