package dev.fusionextract.transfer;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EntryMeterTest {

    /** Byte by byte, the plain reading of the rule the meter implements word by word. */
    private static long referenceRows(byte[] data) {
        long lines = 0;
        boolean quoted = false;
        for (byte c : data) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\n' && !quoted) {
                lines++;
            }
        }
        if (data.length > 0 && data[data.length - 1] != '\n') {
            lines++;
        }
        return Math.max(0, lines - 1);
    }

    @Test
    void countsRowsAsAByteByByteReadingWouldWhateverThePiecesAndAlignment() {
        SplittableRandom random = new SplittableRandom(7);
        // Quotes and newlines dense or sparse, beside bytes that differ from them by one bit or have the top bit set.
        byte[] alphabet = {'"', '\n', 'a', ',', '\r', (byte) 0xA2, (byte) 0x8A, (byte) 0xC3, 0x0B, 0x23, 0x02, 0};
        for (int round = 0; round < 2000; round++) {
            int length = random.nextInt(300);
            int common = 2 + random.nextInt(alphabet.length - 1);
            byte[] data = new byte[length];
            for (int i = 0; i < length; i++) {
                data[i] = alphabet[random.nextInt(random.nextInt(8) == 0 ? 2 : common)];
            }
            byte[] padded = new byte[length + 16];
            int start = random.nextInt(9);
            System.arraycopy(data, 0, padded, start, length);
            EntryMeter meter = new EntryMeter(true);
            for (int at = 0; at < length; ) {
                int piece = Math.min(length - at, 1 + random.nextInt(40));
                meter.update(padded, start + at, piece);
                at += piece;
            }
            CRC32 crc = new CRC32();
            crc.update(data);
            assertEquals(referenceRows(data), meter.rows(), "round " + round);
            assertEquals(crc.getValue(), meter.crc32(), "round " + round);
        }
    }

    @Test
    void findsExactlyTheBytesThatMatch() {
        for (int b = 0; b < 256; b++) {
            long word = 0x0101010101010101L * b;
            long mask = EntryMeter.bytesEqual(word ^ (0xFFL << 24), 0x0101010101010101L * b); // all but the fourth byte match
            assertEquals(0x8080808000808080L, mask, "byte " + b);
        }
    }
}
