package io.engage.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Files with secrets for the operator (a generated password, the demo's widget key): readable by the owner only. */
public final class OwnerOnlyFiles {

    private OwnerOnlyFiles() {
    }

    /**
     * Writes {@code content} to a new file at {@code file}, replacing any file there. The file is created with mode
     * 0600 before the first byte is written (writing first and restricting afterwards would leave a moment in which
     * anyone could read it).
     */
    public static void replace(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        create(file);
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /**
     * Creates an empty file readable and writable by the owner only (and its directories), failing with
     * {@link java.nio.file.FileAlreadyExistsException} when one is there already; on a file system without POSIX
     * permissions the directory's own protection applies.
     */
    public static void create(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
    }
}
