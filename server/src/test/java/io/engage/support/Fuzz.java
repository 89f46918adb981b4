package io.engage.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A small property-based testing harness for the fuzz tests: generators are functions of a {@link Random}, and
 * {@link #forAll} checks a property on {@code tries} generated cases. Every try has its own seed derived from the
 * run's seed, so a failure names the seed that reproduces the whole run ({@code -Dengage.fuzz.seed=...}).
 *
 * <p>Knobs (system properties, passed through by Maven's {@code -D}): {@code engage.fuzz.seed} fixes the seed (default:
 * random, printed); {@code engage.fuzz.tries-factor} multiplies every property's tries (default 1; e.g. 10 for a
 * long fuzzing session).
 *
 * <p>Deliberately not jqwik: from 1.10 on its maintainer asks that AI coding agents not use it, and its engine prints
 * a message addressed to them into the test output.
 */
public final class Fuzz {

    private static final long RUN_SEED = Long.getLong("engage.fuzz.seed", new Random().nextLong());
    private static final double TRIES_FACTOR = Double.parseDouble(System.getProperty("engage.fuzz.tries-factor", "1"));

    private Fuzz() {
    }

    /** A generator of values. */
    @FunctionalInterface
    public interface Gen<T> {
        T next(Random random);

        default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
            return random -> mapper.apply(next(random));
        }

        default <R> Gen<R> flatMap(Function<? super T, Gen<? extends R>> mapper) {
            return random -> mapper.apply(next(random)).next(random);
        }
    }

    /** One weighted alternative of {@link #frequency}. */
    public record Weighted<T>(int weight, Gen<? extends T> gen) {
    }

    public static long seed() {
        return RUN_SEED;
    }

    /** The tries a property runs: its default times {@code engage.fuzz.tries-factor}. */
    public static int tries(int defaultTries) {
        return Math.max(1, (int) Math.round(defaultTries * TRIES_FACTOR));
    }

    /**
     * Checks the property on {@code tries} generated cases; the first failing case fails the test with its try
     * number, the seed to rerun with and the case itself.
     */
    public static <T> void forAll(String property, int tries, Gen<T> gen, Consumer<T> check) {
        long propertySeed = RUN_SEED ^ property.hashCode();
        for (int i = 0; i < tries; i++) {
            Random random = new Random(propertySeed + 0x9E3779B97F4A7C15L * i);
            T value = gen.next(random);
            try {
                check.accept(value);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(String.format("Property '%s' falsified at try %d of %d (rerun with "
                        + "-Dengage.fuzz.seed=%d)%nCase: %s%n%s", property, i + 1, tries, RUN_SEED,
                        abbreviate(String.valueOf(value), 2000), e.getMessage()), e);
            }
        }
        System.out.printf("Property '%s': %d tries passed (seed %d)%n", property, tries, RUN_SEED);
    }

    public static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "... (" + text.length() + " chars)";
    }

    // ---- generators

    public static <T> Gen<T> constant(T value) {
        return random -> value;
    }

    public static <T> Gen<T> lazy(Supplier<Gen<T>> gen) {
        return random -> gen.get().next(random);
    }

    @SafeVarargs
    public static <T> Gen<T> elements(T... values) {
        return elements(Arrays.asList(values));
    }

    public static <T> Gen<T> elements(List<T> values) {
        List<T> copy = new ArrayList<>(values);
        return random -> copy.get(random.nextInt(copy.size()));
    }

    @SafeVarargs
    public static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        return random -> gens[random.nextInt(gens.length)].next(random);
    }

    @SafeVarargs
    public static <T> Gen<T> frequency(Weighted<T>... alternatives) {
        int total = Arrays.stream(alternatives).mapToInt(Weighted::weight).sum();
        return random -> {
            int pick = random.nextInt(total);
            for (Weighted<T> alternative : alternatives) {
                pick -= alternative.weight();
                if (pick < 0) {
                    return alternative.gen().next(random);
                }
            }
            throw new IllegalStateException("unreachable");
        };
    }

    public static <T> Weighted<T> weight(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    public static Gen<Integer> ints(int min, int max) {
        return random -> min + (int) (random.nextDouble() * ((long) max - min + 1));
    }

    public static Gen<Boolean> booleans() {
        return Random::nextBoolean;
    }

    public static <T> Gen<List<T>> lists(Gen<? extends T> element, int minSize, int maxSize) {
        return random -> {
            int size = minSize + random.nextInt(maxSize - minSize + 1);
            List<T> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(element.next(random));
            }
            return list;
        };
    }

    /** Strings of characters from {@code alphabet}, with lengths up to {@code maxLength}. */
    public static Gen<String> strings(String alphabet, int maxLength) {
        int[] codePoints = alphabet.codePoints().toArray();
        return random -> {
            int length = random.nextInt(maxLength + 1);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
            }
            return text.toString();
        };
    }

    /** Characters a fuzzer likes: ASCII, controls and NUL, quotes, bidi overrides, astral and unpaired surrogates. */
    public static final String NASTY_CHARS = "abcXYZ019 -_.,;:/\\'\"`<>&%+*?#@!$()[]{}|~^=\u0000\u0001\u0007\b\t\n\r"
            + "\u001b\u007f\u0085\u00a0\u00ad\u00e9\u00df\u0130\u0131\u200b\u200e\u202e\u2028\u2029\u3000\ufeff\ufffd"
            + "\uffff\u4e2d\u6587\u0627\u05d0\ud83d\ude00\ud800\udfff";

    public static Gen<String> nastyStrings(int maxLength) {
        return frequency(
                weight(6, strings(NASTY_CHARS, maxLength)),
                weight(2, elements("", " ", "\u0000", "null", "undefined", "NaN", "-1", "0", "1e309",
                        "true", "{}", "[]", "%00", "%", "%zz", "../../etc/passwd", "..\\..\\windows\\win.ini",
                        "<script>alert(1)</script>", "' OR '1'='1", "\"; DROP TABLE companies; --", "${jndi:ldap:x}",
                        "#{7*7}", "{{7*7}}", "\u202egnp.exe", "\ud800", "\udfff", "A".repeat(10_000))),
                weight(1, random -> "x".repeat(1 + random.nextInt(5000))));
    }

    /** About one megabyte of text (over the JSON body limit once quoted, or just under it). */
    public static Gen<String> hugeStrings() {
        return elements(1_048_576 - 64, 1_048_576 + 1).map(size -> "\u00e9".repeat(size / 2));
    }

    /** 10 MB that zip to a few kilobytes: a DOCX of one letter, or a plain zip of zeros. */
    public static byte[] zipBomb(boolean docx) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ZipOutputStream zip = new ZipOutputStream(bytes)) {
            if (docx) {
                zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
                zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats"
                        + ".org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/"
                        + "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>")
                        .getBytes(StandardCharsets.UTF_8));
                zip.putNextEntry(new ZipEntry("word/document.xml"));
            } else {
                zip.putNextEntry(new ZipEntry("zeros.bin"));
            }
            byte[] block = new byte[1 << 16];
            Arrays.fill(block, docx ? (byte) 'a' : 0);
            for (int i = 0; i < 160; i++) {
                zip.write(block);
            }
            zip.closeEntry();
            zip.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
