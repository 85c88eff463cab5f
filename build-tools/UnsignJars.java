import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step (run by each function's package phase, {@code java build-tools/UnsignJars.java <dir> <prefix>...}):
 * rewrites the jars in {@code dir} whose names start with a prefix without their signature files
 * ({@code META-INF/*.SF}, {@code *.RSA}, {@code *.DSA}, {@code *.EC}). Class-data sharing never archives a class
 * from a signed jar, and the OCI SDK's jars are signed; unsigned, their classes go into the function image's
 * archive. Safe because nothing checks those signatures at run time but the JVM's own jar verification, which an
 * unsigned jar skips; the jars' integrity was checked by Maven's checksums when they were downloaded. BouncyCastle
 * stays signed: a JCE provider must be signed on Oracle's JDK.
 */
public final class UnsignJars {

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int rewritten = 0;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                for (int i = 1; i < args.length; i++) {
                    if (name.startsWith(args[i]) && unsign(jar)) {
                        rewritten++;
                        break;
                    }
                }
            }
        }
        System.out.println("UnsignJars: " + rewritten + " jar(s) in " + dir + " rewritten without signature files");
    }

    static boolean signature(String entry) {
        String upper = entry.toUpperCase(Locale.ROOT);
        return upper.startsWith("META-INF/") && upper.indexOf('/', "META-INF/".length()) < 0
                && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC"));
    }

    private static boolean unsign(Path jar) throws IOException {
        Path copy = jar.resolveSibling(jar.getFileName() + ".unsigned");
        boolean signed = false;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (signature(entry.getName())) {
                    signed = true;
                    continue;
                }
                ZipEntry kept = new ZipEntry(entry.getName());
                kept.setTime(entry.getTime());
                out.putNextEntry(kept);
                in.transferTo(out);
                out.closeEntry();
            }
        }
        if (signed) {
            Files.move(copy, jar, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(copy);
        }
        return signed;
    }
}
