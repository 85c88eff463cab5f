package dev.fusionextract.fusion;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The occurrences of a recurring Fusion job: the job requests Fusion made from it on its schedule. Oracle documents
 * no way to find them. Public automation code that drives these APIs lists {@code GET .../jobscheduler/v1/jobRequests}
 * and takes the items whose {@code jobRequest.requestParameters.parentRequest} is the recurring request's id, or
 * whose {@code jobRequest.clientRequestUuid} or {@code requestParameters.requestExecutionContext} starts with
 * {@code <id>,}. Each of those shapes is accepted, with the fields directly on the item, under {@code jobRequest},
 * or under {@code jobDetails.jobRequest}; the id is {@code jobRequestId} (on the item or under {@code jobDetails}),
 * the status as for a job's status answer.
 */
public final class Occurrences {

    /** One occurrence as the list shows it. */
    public record Occurrence(String jobRequestId, String status, JobState state) {
    }

    /** What one look found, and whether it saw the whole list (false when a bound or the budget stopped it). */
    public record Found(List<Occurrence> occurrences, boolean complete) {
    }

    static final int PAGE_SIZE = 100;
    /** At most this many pages (5,000 job requests) are read in one look. */
    static final int MAX_PAGES = 50;

    private Occurrences() {
    }

    /**
     * Pages through the job requests list for the occurrences of {@code parent}. Stops at the end of the list, at
     * {@link #MAX_PAGES}, when {@code goOn} says the budget is spent, or, when the list comes newest first, at the
     * first page whose every job is older than the parent (occurrences are made after it).
     */
    public static Found of(FusionBatchClient fusion, JobRequestId parent, BooleanSupplier goOn) {
        List<Occurrence> found = new ArrayList<>();
        long parentNumber = number(parent.value()).orElse(Long.MIN_VALUE);
        int offset = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            if (!goOn.getAsBoolean()) {
                return new Found(found, false);
            }
            FusionBatchClient.JobPage listed = fusion.jobRequests(offset, PAGE_SIZE);
            List<Long> ids = new ArrayList<>();
            for (JsonNode item : listed.items()) {
                Optional<String> id = jobRequestId(item);
                id.flatMap(Occurrences::number).ifPresent(ids::add);
                if (id.isPresent() && !id.get().equals(parent.value()) && isOccurrenceOf(item, parent.value())) {
                    String status = status(item);
                    found.add(new Occurrence(id.get(), status, status.isEmpty() ? JobState.RUNNING
                            : JobStatusTable.classify(JobStatusTable.normalise(status))));
                }
            }
            boolean newestFirstAndOlder = ids.size() == listed.items().size() && !ids.isEmpty() && descending(ids)
                    && ids.get(0) < parentNumber;
            if (!listed.hasMore() || listed.items().isEmpty() || newestFirstAndOlder) {
                return new Found(found, true);
            }
            offset += listed.items().size();
        }
        return new Found(found, false);
    }

    /** Whether a listed job request was made by the recurring request {@code parentId}, in any of the known shapes. */
    static boolean isOccurrenceOf(JsonNode item, String parentId) {
        for (JsonNode request : List.of(item, item.path("jobRequest"), item.path("jobDetails").path("jobRequest"))) {
            for (JsonNode parameters : List.of(request.path("requestParameters"), request)) {
                JsonNode parent = parameters.path("parentRequest");
                if ((parent.isTextual() || parent.isNumber()) && parent.asText().trim().equals(parentId)) {
                    return true;
                }
                if (startsWithId(parameters.path("requestExecutionContext"), parentId)) {
                    return true;
                }
            }
            if (startsWithId(request.path("clientRequestUuid"), parentId)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithId(JsonNode value, String parentId) {
        return value.isTextual() && value.asText().trim().startsWith(parentId + ",");
    }

    static Optional<String> jobRequestId(JsonNode item) {
        for (JsonNode id : List.of(item.path("jobRequestId"), item.path("jobDetails").path("jobRequestId"), item.path("requestId"))) {
            if ((id.isTextual() || id.isIntegralNumber()) && !id.asText().isBlank()) {
                return Optional.of(id.asText().trim());
            }
        }
        return Optional.empty();
    }

    static String status(JsonNode item) {
        for (JsonNode status : List.of(item.path("jobStatus"), item.path("jobDetails").path("jobStatus"), item.path("jobProgress").path("status"),
                item.path("jobDetails").path("jobProgress").path("status"), item.path("state"))) {
            if (status.isTextual() && !status.asText().isBlank()) {
                return status.asText().trim();
            }
        }
        return "";
    }

    private static Optional<Long> number(String id) {
        try {
            return Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean descending(List<Long> ids) {
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i) > ids.get(i - 1)) {
                return false;
            }
        }
        return true;
    }
}
