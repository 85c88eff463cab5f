package dev.fusionextract.emulator.fusion;

import java.net.URI;
import java.util.List;

/**
 * How the simulator behaves for jobs of one extract definition: their output, the statuses they walk
 * through, the JSON shape of those statuses, and the listing quirks to play.
 */
public final class ExtractDefinition {

    /** Which paging fields the output-file listing carries. */
    public enum ListingStyle { TOTAL_AND_HAS_MORE, TOTAL_ONLY, HAS_MORE_ONLY }

    private final String name;
    private volatile OutputSpec output = OutputSpec.small();
    private volatile List<JobStep> script = JobStep.script("ENQUEUED", "RUNNING", "SUCCEEDED");
    private volatile StatusShape shape = StatusShape.DOCUMENTED;
    private volatile ListingStyle listingStyle = ListingStyle.TOTAL_AND_HAS_MORE;
    private volatile boolean wrongChecksum;
    private volatile URI enclosureBase;
    private volatile List<OutputContent> extraFiles = List.of();
    private volatile java.time.Duration runsFor;
    private volatile OccurrenceShape occurrenceShape = OccurrenceShape.PARENT_REQUEST;
    private volatile java.time.Duration occurrenceRunsFor = java.time.Duration.ofMinutes(1);

    private ExtractDefinition(String name) {
        this.name = name;
    }

    public static ExtractDefinition named(String name) {
        return new ExtractDefinition(name);
    }

    public String name() {
        return name;
    }

    public ExtractDefinition output(OutputSpec spec) {
        this.output = spec;
        return this;
    }

    public OutputSpec output() {
        return output;
    }

    /** The statuses a job walks through, one per status request; the last one sticks. */
    public ExtractDefinition script(List<JobStep> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a script needs at least one step");
        }
        this.script = List.copyOf(steps);
        return this;
    }

    public ExtractDefinition script(String... statuses) {
        return script(JobStep.script(statuses));
    }

    public List<JobStep> script() {
        return script;
    }

    public ExtractDefinition shape(StatusShape statusShape) {
        this.shape = statusShape;
        return this;
    }

    public StatusShape shape() {
        return shape;
    }

    public ExtractDefinition listingStyle(ListingStyle style) {
        this.listingStyle = style;
        return this;
    }

    public ListingStyle listingStyle() {
        return listingStyle;
    }

    /** The listing advertises a checksum that does not match the bytes served. */
    public ExtractDefinition wrongChecksum(boolean on) {
        this.wrongChecksum = on;
        return this;
    }

    public boolean wrongChecksum() {
        return wrongChecksum;
    }

    /** The listing's enclosure links point at this base (another host) instead of the simulator. */
    public ExtractDefinition enclosureBase(URI base) {
        this.enclosureBase = base;
        return this;
    }

    public URI enclosureBase() {
        return enclosureBase;
    }

    /**
     * Makes jobs run for a span of the simulator's clock instead of one step per status request: ENQUEUED at
     * first, RUNNING until {@code duration} after submission, then the script's last status.
     */
    public ExtractDefinition runsFor(java.time.Duration duration) {
        this.runsFor = duration;
        return this;
    }

    public java.time.Duration runsFor() {
        return runsFor;
    }

    /**
     * How the occurrences of a recurring job of this extract name their parent in the job requests list, and how
     * long each runs on the simulator's clock (RUNNING, then the script's last status).
     */
    public ExtractDefinition occurrences(OccurrenceShape shape, java.time.Duration runFor) {
        this.occurrenceShape = shape;
        this.occurrenceRunsFor = runFor;
        return this;
    }

    public OccurrenceShape occurrenceShape() {
        return occurrenceShape;
    }

    public java.time.Duration occurrenceRunsFor() {
        return occurrenceRunsFor;
    }

    /** Files served after the generated chunks, as they are (a bare CSV, a separate manifest). */
    public ExtractDefinition extraFiles(List<OutputContent> files) {
        this.extraFiles = List.copyOf(files);
        return this;
    }

    public List<OutputContent> extraFiles() {
        return extraFiles;
    }
}
