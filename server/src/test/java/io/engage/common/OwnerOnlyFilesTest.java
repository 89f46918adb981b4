package io.engage.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret file is the owner's alone, also when it replaces a file that others could read. */
class OwnerOnlyFilesTest {

    @TempDir
    Path dir;

    @Test
    void createsTheFileAndItsDirectoryForTheOwnerOnly() throws Exception {
        Path file = dir.resolve("data/admin-password");
        OwnerOnlyFiles.replace(file, "secret\n");
        assertThat(Files.readString(file)).isEqualTo("secret\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void replacesAWorldReadableFileWithAnOwnerOnlyOne() throws Exception {
        Path file = dir.resolve("demo-widget-key");
        Files.writeString(file, "an older, longer value\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        OwnerOnlyFiles.replace(file, "new\n");
        assertThat(Files.readString(file)).isEqualTo("new\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
