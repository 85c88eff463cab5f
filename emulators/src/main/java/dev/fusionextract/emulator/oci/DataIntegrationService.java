package dev.fusionextract.emulator.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fusionextract.emulator.http.Exchanges;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Data Integration task runs under {@code /20200430/workspaces/{ws}/applications/{app}/taskRuns}: create (with
 * {@code opc-retry-token} idempotency), get (each read moves the run one step along its task's script), list.
 */
public final class DataIntegrationService {

    /** A task run as the emulator holds it. */
    public static final class TaskRunRecord {
        private final String key;
        private final String workspaceId;
        private final String applicationKey;
        private final String aggregatorKey;
        private final Map<String, String> bindings;
        private final String retryToken;
        private final List<String> script;
        private final String errorMessage;
        private int step = -1;

        TaskRunRecord(String key, String workspaceId, String applicationKey, String aggregatorKey, Map<String, String> bindings,
                      String retryToken, List<String> script, String errorMessage) {
            this.key = key;
            this.workspaceId = workspaceId;
            this.applicationKey = applicationKey;
            this.aggregatorKey = aggregatorKey;
            this.bindings = bindings;
            this.retryToken = retryToken;
            this.script = script;
            this.errorMessage = errorMessage;
        }

        public String key() {
            return key;
        }

        public String aggregatorKey() {
            return aggregatorKey;
        }

        /** Parameter name to simple value, as bound at creation. */
        public Map<String, String> bindings() {
            return bindings;
        }

        public String retryToken() {
            return retryToken;
        }

        synchronized String status() {
            return step < 0 ? script.get(0) : script.get(step);
        }

        synchronized String advance() {
            step = Math.min(step + 1, script.size() - 1);
            return script.get(step);
        }
    }

    private record Task(List<String> script, String errorMessage) {
    }

    private final Clock clock;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private final List<TaskRunRecord> runs = new CopyOnWriteArrayList<>();

    DataIntegrationService(Clock clock) {
        this.clock = clock;
    }

    /**
     * Publishes a task: runs of it walk {@code statuses} (NOT_STARTED, QUEUED, RUNNING, SUCCESS, ERROR, ...),
     * one step per read; the last one sticks. {@code errorMessage} is reported once a run is in ERROR.
     */
    public DataIntegrationService defineTask(String workspaceId, String applicationKey, String aggregatorKey,
                                             List<String> statuses, String errorMessage) {
        tasks.put(workspaceId + "/" + applicationKey + "/" + aggregatorKey, new Task(List.copyOf(statuses), errorMessage));
        return this;
    }

    public List<TaskRunRecord> runs() {
        return List.copyOf(runs);
    }

    Optional<OciEmulator.Route> route(OciRequest r) {
        List<String> s = r.segments;
        if (s.size() < 6 || !s.get(0).equals("20200430") || !s.get(1).equals("workspaces") || !s.get(3).equals("applications")) {
            return Optional.empty();
        }
        String workspace = s.get(2);
        String application = s.get(4);
        if (s.size() == 7 && s.get(5).equals("publishedObjects") && r.method.equals("GET")) {
            return Optional.of(new OciEmulator.Route(OciOperation.GET_PUBLISHED_OBJECT, () -> published(r, workspace, application, s.get(6))));
        }
        if (!s.get(5).equals("taskRuns")) {
            return Optional.empty();
        }
        if (s.size() == 6 && r.method.equals("POST")) {
            return Optional.of(new OciEmulator.Route(OciOperation.CREATE_TASK_RUN, () -> create(r, workspace, application)));
        }
        if (s.size() == 6 && r.method.equals("GET")) {
            return Optional.of(new OciEmulator.Route(OciOperation.LIST_TASK_RUNS, () -> list(r, workspace, application)));
        }
        if (s.size() == 7 && r.method.equals("GET")) {
            return Optional.of(new OciEmulator.Route(OciOperation.GET_TASK_RUN, () -> get(r, workspace, application, s.get(6))));
        }
        return Optional.empty();
    }

    /**
     * GetPublishedObject ({@code GET .../applications/{app}/publishedObjects/{key}}, the SDK's DataIntegrationClient):
     * a task published to the application, as an INTEGRATION_TASK (the SDK picks the subtype by {@code modelType}).
     * Like every OCI read of something absent or not allowed, a missing one is 404 NotAuthorizedOrNotFound.
     */
    private void published(OciRequest r, String workspace, String application, String key) throws java.io.IOException {
        if (!tasks.containsKey(workspace + "/" + application + "/" + key)) {
            OciEmulator.error(r.exchange, 404, "NotAuthorizedOrNotFound",
                    "No published object " + key + " in application " + application + " of workspace " + workspace);
            return;
        }
        ObjectNode body = Exchanges.JSON.createObjectNode();
        body.put("modelType", "INTEGRATION_TASK").put("key", key).put("name", "task-" + key).put("identifier", "TASK_" + key.length())
                .put("modelVersion", "20200430").put("objectVersion", 1);
        Exchanges.sendJson(r.exchange, 200, body);
    }

    private void create(OciRequest r, String workspace, String application) throws java.io.IOException {
        JsonNode details = r.json();
        String aggregatorKey = details.path("registryMetadata").path("aggregatorKey").asText("");
        Task task = tasks.get(workspace + "/" + application + "/" + aggregatorKey);
        if (task == null) {
            OciEmulator.error(r.exchange, 404, "NotAuthorizedOrNotFound",
                    "No published task " + aggregatorKey + " in application " + application + " of workspace " + workspace);
            return;
        }
        Optional<String> token = r.header("opc-retry-token");
        TaskRunRecord run;
        synchronized (runs) {
            Optional<TaskRunRecord> earlier = token.flatMap(t -> runs.stream().filter(x -> t.equals(x.retryToken)).findFirst());
            if (earlier.isPresent()) {
                run = earlier.get();
            } else {
                Map<String, String> bindings = new TreeMap<>();
                details.path("configProvider").path("bindings").fields()
                        .forEachRemaining(e -> bindings.put(e.getKey(), e.getValue().path("simpleValue").asText()));
                run = new TaskRunRecord(UUID.randomUUID().toString(), workspace, application, aggregatorKey, Map.copyOf(bindings),
                        token.orElse(null), task.script(), task.errorMessage());
                runs.add(run);
            }
        }
        Exchanges.sendJson(r.exchange, 200, json(run, run.status()));
    }

    private void get(OciRequest r, String workspace, String application, String key) throws java.io.IOException {
        Optional<TaskRunRecord> run = runs.stream()
                .filter(x -> x.key.equals(key) && x.workspaceId.equals(workspace) && x.applicationKey.equals(application)).findFirst();
        if (run.isEmpty()) {
            OciEmulator.error(r.exchange, 404, "NotAuthorizedOrNotFound", "No task run " + key);
            return;
        }
        Exchanges.sendJson(r.exchange, 200, json(run.get(), run.get().advance()));
    }

    private void list(OciRequest r, String workspace, String application) throws java.io.IOException {
        ObjectNode body = Exchanges.JSON.createObjectNode();
        ArrayNode items = body.putArray("items");
        runs.stream().filter(x -> x.workspaceId.equals(workspace) && x.applicationKey.equals(application))
                .forEach(run -> items.add(json(run, run.status())));
        Exchanges.sendJson(r.exchange, 200, body);
    }

    private ObjectNode json(TaskRunRecord run, String status) {
        ObjectNode node = Exchanges.JSON.createObjectNode();
        node.put("key", run.key);
        node.put("modelType", "TASK_RUN");
        node.put("name", run.aggregatorKey + "-run");
        node.put("status", status);
        node.put("timeUpdatedInMillis", clock.millis());
        node.putObject("registryMetadata").put("aggregatorKey", run.aggregatorKey);
        if (status.equals("ERROR") && run.errorMessage != null) {
            node.put("errorMessage", run.errorMessage);
        }
        return node;
    }
}
