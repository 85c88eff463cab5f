package dev.fusionextract.emulator.fusion;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Writes deterministic CSV: a header and rows until at least {@code targetBytes} are written. */
final class CsvTable {

    static final byte[] HEADER = "ID,CODE,NAME,AMOUNT,CURRENCY,LAST_UPDATE_DATE\n".getBytes(StandardCharsets.US_ASCII);
    private static final String[] NAMES = {
        "Acme Supplies", "Société Générale", "Müller GmbH", "東京商事", "Nordic Timber AS", "O'Brien & Sons",
        "Grupo Ñandú", "Zürich Logistics", "Κρήτη Foods", "Blue Harbor Ltd"
    };
    private static final String[] CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CHF"};
    private static final char[] CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private CsvTable() {
    }

    /** Returns the number of data rows written (the header is not a row). */
    static long write(OutputStream out, long targetBytes, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        out.write(HEADER);
        long written = HEADER.length;
        long rows = 0;
        StringBuilder line = new StringBuilder(128);
        while (written < targetBytes) {
            rows++;
            line.setLength(0);
            line.append(rows).append(',');
            for (int i = 0; i < 8; i++) {
                line.append(CODE_CHARS[random.nextInt(CODE_CHARS.length)]);
            }
            String name = NAMES[random.nextInt(NAMES.length)];
            line.append(",\"").append(name.replace("\"", "\"\"")).append(' ').append(rows).append("\",");
            long cents = random.nextLong(1, 10_000_000);
            line.append(cents / 100).append('.').append(cents % 100 < 10 ? "0" : "").append(cents % 100).append(',');
            line.append(CURRENCIES[random.nextInt(CURRENCIES.length)]).append(',');
            line.append("2025-12-").append(10 + random.nextInt(9)).append("T07:").append(10 + random.nextInt(50))
                    .append(":00Z\n");
            byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
            out.write(bytes);
            written += bytes.length;
        }
        return rows;
    }
}
