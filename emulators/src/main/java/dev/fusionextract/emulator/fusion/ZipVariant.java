package dev.fusionextract.emulator.fusion;

/** How the generated ZIP chunks are written. */
public enum ZipVariant {
    /** DEFLATED entries with data descriptors, as a streaming writer produces them. */
    DEFLATED,
    /** STORED entries whose sizes and CRC follow in a data descriptor ({@code java.util.zip} cannot read these). */
    STORED_WITH_DATA_DESCRIPTOR,
    /** DEFLATED entries with ZIP64 extra fields and a ZIP64 end record, whatever their size. */
    ZIP64,
    /** Like DEFLATED, but the first chunk holds an entry whose name climbs out of its folder. */
    ZIP_SLIP,
    /** One chunk holding a single entry of zeros whose size is the spec's whole volume: ratio about 1000:1. */
    ZIP_BOMB
}
