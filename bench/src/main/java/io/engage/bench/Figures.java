package io.engage.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Machine-readable figures of a bench run, for {@link AllBench}: with {@code --results FILE} a bench writes one line
 * {@code name TAB value TAB unit} per figure. Each line is appended as soon as it is measured, so a bench that fails
 * half-way still leaves the figures it had.
 */
final class Figures {

    record Figure(String name, double value, String unit) {
    }

    /** null: figures are not written */
    private final Path file;

    private Figures(Path file) {
        this.file = file;
    }

    /** Figures written to {@code file} (made empty first); null → written nowhere. */
    static Figures to(String file) {
        if (file == null) {
            return new Figures(null);
        }
        Path path = Path.of(file);
        try {
            Files.writeString(path, "", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write --results " + file, e);
        }
        return new Figures(path);
    }

    synchronized void put(String name, double value, String unit) {
        if (file == null) {
            return;
        }
        try {
            Files.writeString(file, name + "\t" + value + "\t" + unit + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The figures in {@code file} by name (the last wins); a missing file reads as none. */
    static Map<String, Figure> read(Path file) {
        Map<String, Figure> figures = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return figures;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.split("\t", -1);
                if (fields.length == 3) {
                    figures.put(fields[0], new Figure(fields[0], Double.parseDouble(fields[1]), fields[2]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return figures;
    }
}
