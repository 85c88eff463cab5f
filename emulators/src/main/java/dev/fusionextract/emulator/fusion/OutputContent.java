package dev.fusionextract.emulator.fusion;

import java.io.IOException;
import java.io.OutputStream;

/** One output file of a job: a name and bytes that can be written again and again, always the same. */
public interface OutputContent {

    String name();

    void writeTo(OutputStream out) throws IOException;

    static OutputContent ofBytes(String name, byte[] bytes) {
        byte[] copy = bytes.clone();
        return new OutputContent() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(copy);
            }
        };
    }
}
