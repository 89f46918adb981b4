package io.engage.knowledge;

import static io.engage.support.Fuzz.elements;
import static org.assertj.core.api.Assertions.assertThat;

import io.engage.support.Fuzz;
import io.engage.support.Fuzz.Gen;
import io.engage.support.TestDocuments;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever bytes and file name an upload has, parsing and chunking it either yields text chunks or fails
 * with a {@link DocumentParseException} or {@link UnsupportedDocumentTypeException} whose message is for people (no
 * Java names) — never another exception, which the ingestion worker could only report as an internal error. Inputs:
 * random bytes, truncated and corrupted PDF and DOCX, small zip bombs, odd HTML, Markdown and text, misleading file
 * names. Tries scale with {@code -Dengage.fuzz.tries-factor}; a failure names the seed ({@code -Dengage.fuzz.seed}).
 */
class DocumentParserFuzzTest {

    private static final byte[] PDF = TestDocuments.pdf("Fuzz page one\nThe DS-3 costs 120 euros.", "Page two");
    private static final byte[] DOCX = TestDocuments.docx("Fuzz paragraph", "The DS-3 costs 120 euros.");

    private final DocumentParser parser = new DocumentParser(200_000);
    private final Chunker chunker = Chunker.defaults();

    private record Upload(String filename, byte[] content, String kind) {
        @Override
        public String toString() {
            return kind + " named " + Fuzz.abbreviate(filename, 80) + " (" + content.length + " bytes)";
        }
    }

    @Test
    void anyUploadParsesToChunksOrFailsWithAPlainMessage() {
        Fuzz.forAll("document parser", Fuzz.tries(200), uploads(), upload -> {
            try {
                ParsedDocument document = parser.parse(upload.content(), upload.filename());
                assertThat(document.sections()).isNotEmpty();
                chunker.chunk(document);
            } catch (DocumentParseException | UnsupportedDocumentTypeException e) {
                assertThat(e.getMessage()).isNotBlank()
                        .doesNotContainPattern("Exception|\\b(?:java|org|com|io)\\.[a-z]+\\.");
            }
        });
    }

    private static Gen<Upload> uploads() {
        Gen<String> names = Fuzz.frequency(
                Fuzz.weight(4, elements("manual.pdf", "guide.docx", "page.html", "notes.md", "notes.txt",
                        "image.png", "noextension", ".pdf", "x.docx.exe", "x.txt.pdf", "a.MD")),
                Fuzz.weight(1, elements("../../etc/passwd", "..\\..\\win.ini", "\u0000.pdf", "", "\u202etxt.exe")),
                Fuzz.weight(1, random -> "f".repeat(1 + random.nextInt(5000)) + ".txt"));
        return random -> {
            String name = names.next(random);
            return switch (random.nextInt(11)) {
                case 0 -> new Upload(name, randomBytes(random), "random bytes");
                case 1 -> new Upload(name, Arrays.copyOf(PDF, 1 + random.nextInt(PDF.length - 1)), "truncated PDF");
                case 2 -> new Upload(name, Arrays.copyOf(DOCX, 1 + random.nextInt(DOCX.length - 1)),
                        "truncated DOCX");
                case 3 -> new Upload(name, corrupt(PDF, random), "corrupted PDF");
                case 4 -> new Upload(name, corrupt(DOCX, random), "corrupted DOCX");
                case 5 -> new Upload(name, Fuzz.zipBomb(random.nextBoolean()), "zip bomb (lite)");
                case 6 -> new Upload(name, oddHtml(random), "odd HTML");
                case 7 -> new Upload(name, Fuzz.nastyStrings(3000).next(random).getBytes(StandardCharsets.UTF_8),
                        "odd text");
                case 8 -> new Upload(name, ("---\n" + Fuzz.nastyStrings(200).next(random) + "\n---\n# "
                        + Fuzz.nastyStrings(200).next(random)).getBytes(StandardCharsets.UTF_8), "odd Markdown");
                case 9 -> new Upload(name, elements(PDF, DOCX).next(random), "valid document");
                default -> new Upload(name, elements(new byte[] {(byte) 0xfe, (byte) 0xff, 0, 'a'},
                        new byte[] {(byte) 0xc3, 0x28, (byte) 0xff}, "%PDF-1.7\n1 0 obj\n<<".getBytes(
                                StandardCharsets.ISO_8859_1), "PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1),
                        new byte[] {0}).next(random), "magic numbers only");
            };
        };
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(20_000)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] corrupt(byte[] document, Random random) {
        byte[] copy = document.clone();
        for (int i = 0, n = 1 + random.nextInt(50); i < n; i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private static byte[] oddHtml(Random random) {
        return elements("<html><body>", "<", "<!DOCTYPE html><title>\u0000</title>",
                "<div>".repeat(20_000) + "deep" + "</div>".repeat(20_000), "<h1>" + "x".repeat(100_000) + "</h1>",
                "<table>" + "<tr><th>a</th><td>b</td></tr>".repeat(3000) + "</table>",
                "<pre>" + "\t\u0000\r".repeat(1000) + "</pre>",
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><html>&e;</html>")
                .next(random).getBytes(StandardCharsets.UTF_8);
    }
}
