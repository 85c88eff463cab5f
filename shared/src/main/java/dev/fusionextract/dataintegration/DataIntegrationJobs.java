package dev.fusionextract.dataintegration;

import com.oracle.bmc.dataintegration.DataIntegration;
import com.oracle.bmc.dataintegration.model.CreateConfigProvider;
import com.oracle.bmc.dataintegration.model.CreateTaskRunDetails;
import com.oracle.bmc.dataintegration.model.ParameterValue;
import com.oracle.bmc.dataintegration.model.RegistryMetadata;
import com.oracle.bmc.dataintegration.model.TaskRun;
import com.oracle.bmc.dataintegration.requests.CreateTaskRunRequest;
import com.oracle.bmc.dataintegration.requests.GetTaskRunRequest;
import com.oracle.bmc.model.BmcException;
import dev.fusionextract.failure.PermanentException;
import dev.fusionextract.fusion.JobState;
import dev.fusionextract.oci.OciCalls;
import dev.fusionextract.oci.OciClients;
import dev.fusionextract.pipeline.PipelineSettings;

import java.util.Map;
import java.util.Optional;

import static java.util.Map.entry;

/**
 * Runs the configured Data Integration task on landed files: {@code CreateTaskRun} with the landed prefix and
 * the manifest path bound as parameters and the run id as {@code opc-retry-token} (so a repeated start finds
 * the same task run), and {@code GetTaskRun} classified with one table.
 */
public final class DataIntegrationJobs {

    /**
     * The Data Integration client of a container, made once. Only submit- and poll-function ship the SDK's Data
     * Integration module; this is the one place that names its client class.
     */
    public static DataIntegration client(OciClients oci) {
        return oci.optional(DataIntegration.class, clients -> clients.build(
                com.oracle.bmc.dataintegration.DataIntegrationClient.builder(), clients.settings().dataIntegrationEndpoint()));
    }

    public static final String PREFIX_PARAMETER = "LANDED_PREFIX";
    public static final String MANIFEST_PARAMETER = "MANIFEST_PATH";

    /** Task-run states: NOT_STARTED, QUEUED, RUNNING, TERMINATING are still running; TERMINATED means cancelled. */
    private static final Map<TaskRun.Status, JobState> TABLE = Map.ofEntries(
            entry(TaskRun.Status.NotStarted, JobState.RUNNING),
            entry(TaskRun.Status.Queued, JobState.RUNNING),
            entry(TaskRun.Status.Running, JobState.RUNNING),
            entry(TaskRun.Status.Terminating, JobState.RUNNING),
            entry(TaskRun.Status.Success, JobState.SUCCEEDED),
            entry(TaskRun.Status.Error, JobState.FAILED),
            entry(TaskRun.Status.Terminated, JobState.FAILED));

    /** A task run's state as read. */
    public record TaskRunStatus(String key, String name, JobState state, Optional<String> message) {
    }

    private final DataIntegration client;
    private final OciCalls calls;
    private final PipelineSettings.DataIntegrationTask task;

    public DataIntegrationJobs(DataIntegration client, OciCalls calls, PipelineSettings.DataIntegrationTask task) {
        this.client = client;
        this.calls = calls;
        this.task = task;
    }

    public static JobState classify(TaskRun.Status status) {
        return TABLE.getOrDefault(status, JobState.RUNNING);
    }

    /** Starts (or, for a run id already used, finds) the task run; returns its key. */
    public String start(String runId, String landedPrefix, String manifestPath) {
        try {
            return calls.call("Starting Data Integration task " + task.taskKey(), () -> client.createTaskRun(CreateTaskRunRequest.builder()
                    .workspaceId(task.workspaceId()).applicationKey(task.applicationKey()).opcRetryToken(runId)
                    .createTaskRunDetails(CreateTaskRunDetails.builder()
                            .registryMetadata(RegistryMetadata.builder().aggregatorKey(task.taskKey()).build())
                            .configProvider(CreateConfigProvider.builder().bindings(Map.of(
                                    PREFIX_PARAMETER, ParameterValue.builder().simpleValue(landedPrefix).build(),
                                    MANIFEST_PARAMETER, ParameterValue.builder().simpleValue(manifestPath).build())).build())
                            .build())
                    .build())).getTaskRun().getKey();
        } catch (BmcException e) {
            throw new PermanentException("Data Integration refused to start task " + task.taskKey() + " in application "
                    + task.applicationKey() + " (HTTP " + e.getStatusCode() + ", " + e.getServiceCode() + "): check DI_WORKSPACE_OCID, "
                    + "DI_APPLICATION_KEY, DI_TASK_KEY (a published task) and a policy allowing the workspace's tasks to be executed.", e);
        }
    }

    public TaskRunStatus status(String taskRunKey) {
        try {
            TaskRun run = calls.call("Reading Data Integration task run " + taskRunKey, () -> client.getTaskRun(GetTaskRunRequest.builder()
                    .workspaceId(task.workspaceId()).applicationKey(task.applicationKey()).taskRunKey(taskRunKey).build())).getTaskRun();
            TaskRun.Status status = run.getStatus() == null ? TaskRun.Status.UnknownEnumValue : run.getStatus();
            return new TaskRunStatus(taskRunKey, status.getValue() == null ? "UNKNOWN" : status.getValue(), classify(status),
                    Optional.ofNullable(run.getErrorMessage()));
        } catch (BmcException e) {
            throw new PermanentException("Reading Data Integration task run " + taskRunKey + " failed (HTTP " + e.getStatusCode() + ", "
                    + e.getServiceCode() + ").", e);
        }
    }
}
