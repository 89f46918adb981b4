package io.engage.knowledge;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.junit.jupiter.api.Test;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

class DocumentParserTest {

    private final DocumentParser parser = new DocumentParser();

    // ---- PDF ----

    @Test
    void pdfTextFromEveryPageWithWrappedLinesJoinedAndPageNumbersAndOutlineDropped() throws Exception {
        byte[] pdf = pdf(
                List.of("The widget answers questions from your knowledge base.",
                        "It runs on every page of your site.",
                        "",
                        "Agents can hand over to a person."),
                List.of("Refunds are processed within five business days."));

        ParsedDocument document = parser.parse(pdf, "guide.pdf");

        assertThat(document.title()).isEqualTo("guide");
        assertThat(paragraphs(document)).containsExactly(
                "The widget answers questions from your knowledge base. It runs on every page of your site.",
                "Agents can hand over to a person.",
                "Refunds are processed within five business days.");
    }

    @Test
    void corruptPdfIsReportedReadably() {
        byte[] garbage = "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj << /Type /Catalog /Pages 9 0 R >> garbage garbage"
                .getBytes(UTF_8);

        assertThatThrownBy(() -> parser.parse(garbage, "broken.pdf"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("The PDF is damaged or encrypted and cannot be read");
    }

    @Test
    void truncatedPdfIsReportedReadably() throws Exception {
        byte[] pdf = pdf(List.of("A sentence that will be cut off."));

        assertThatThrownBy(() -> parser.parse(Arrays.copyOf(pdf, pdf.length / 2), "cut.pdf"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("The PDF is damaged or encrypted and cannot be read");
    }

    @Test
    void passwordProtectedPdfIsReportedReadably() throws Exception {
        byte[] pdf;
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            document.addPage(new PDPage());
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "user-secret",
                    new AccessPermission());
            policy.setEncryptionKeyLength(128);
            document.protect(policy);
            document.save(out);
            pdf = out.toByteArray();
        }

        assertThatThrownBy(() -> parser.parse(pdf, "secret.pdf"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessageContaining("password-protected");
    }

    @Test
    void textBeyondTheLimitIsRefusedNotCut() throws Exception {
        byte[] pdf = pdf(List.of("This sentence alone is longer than the tiny limit set for this test."));

        assertThatThrownBy(() -> new DocumentParser(20).parse(pdf, "long.pdf"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessageContaining("more than 20 characters");
        assertThatThrownBy(() -> new DocumentParser(20).parse("x".repeat(21).getBytes(UTF_8), "long.txt"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessageContaining("more than 20 characters");
    }

    // ---- DOCX ----

    @Test
    void docxHeadingsBuildTheHeadingPath() throws Exception {
        ParsedDocument document = parser.parse(pricingDocx(), "pricing.docx");

        assertThat(document.sections()).containsExactly(
                new Section(List.of(), List.of("Plans for every team.")),
                new Section(List.of("Pricing"), List.of("All prices are monthly.")),
                new Section(List.of("Pricing", "Starter plan"), List.of("Free for one agent.")),
                new Section(List.of("Pricing", "Enterprise plan"),
                        List.of("Contact sales for a quote.", "Seats | Unlimited")),
                new Section(List.of("Support"), List.of("Email us any time.")));
        assertThat(document.title()).isEqualTo("Pricing");
    }

    @Test
    void truncatedDocxIsReportedReadably() throws Exception {
        byte[] docx = pricingDocx();

        assertThatThrownBy(() -> parser.parse(Arrays.copyOf(docx, docx.length / 2), "cut.docx"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("The Word document is damaged or encrypted and cannot be read");
    }

    @Test
    void docxThatInflatesEnormouslyIsRefused() throws Exception {
        byte[] bomb = withLongFirstWord(pricingDocx(), 2_000_000);

        assertThatThrownBy(() -> parser.parse(bomb, "bomb.docx"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("The Word document expands to an unreasonable size and was refused");
    }

    // ---- HTML ----

    @Test
    void htmlKeepsOnlyTheMainContentAndNestsHeadings() {
        String html = """
                <html><head><title>Acme Help</title><style>.x { color: red }</style>
                <script>var tracking = 1;</script></head>
                <body>
                <header><a href="/">Acme</a><nav><a href="/pricing">Pricing</a></nav></header>
                <nav>Site menu</nav>
                <main>
                  <h1>Billing <a class="anchor" href="#billing">#</a></h1>
                  <p>Invoices are   sent <b>monthly</b>,&nbsp;by email.</p>
                  <h2>Refunds</h2>
                  <p>Refunds take five days.</p>
                  <aside>Related: shipping</aside>
                  <h3>Partial refunds</h3>
                  <p>Partial refunds<br>are prorated.</p>
                  <h2>Payment methods</h2>
                  <ul><li>Credit card</li><li>Bank transfer<ul><li>SEPA</li></ul></li></ul>
                  <script>alert('x')</script>
                  <form><label>Search</label><input name="q"></form>
                  <div aria-hidden="true">Hidden icon text</div>
                  <pre>curl https://api.acme.test \\
                  -H 'Accept: text/plain'</pre>
                </main>
                <footer>Copyright Acme</footer>
                </body></html>
                """;

        ParsedDocument document = parser.parseHtml(html, "https://acme.test/help");

        assertThat(document.title()).isEqualTo("Acme Help");
        assertThat(document.sections()).containsExactly(
                new Section(List.of("Billing"), List.of("Invoices are sent monthly, by email.")),
                new Section(List.of("Billing", "Refunds"), List.of("Refunds take five days.")),
                new Section(List.of("Billing", "Refunds", "Partial refunds"), List.of("Partial refunds are prorated.")),
                new Section(List.of("Billing", "Payment methods"), List.of("Credit card", "Bank transfer", "SEPA",
                        "curl https://api.acme.test \\\n  -H 'Accept: text/plain'")));
    }

    @Test
    void htmlWithoutMainUsesTheBodyAndTheArticleHeaderKeepsItsHeading() {
        String html = """
                <body>
                  <div role="banner">Acme logo</div>
                  <header>Site header</header>
                  <article>
                    <header><h1>Release notes</h1><p>By Ann, 3 min read</p></header>
                    <p>Version 2 adds widgets.</p>
                    <footer>Share this post</footer>
                  </article>
                </body>
                """;

        ParsedDocument document = parser.parseHtml(html, null);

        assertThat(document.title()).isEqualTo("Release notes");
        assertThat(document.sections()).containsExactly(
                new Section(List.of("Release notes"), List.of("Version 2 adds widgets.")));
    }

    @Test
    void tableRowsAreParagraphsLabelledWithTheirColumns() {
        String html = """
                <table>
                  <tr><th>Plan</th><th>Price</th></tr>
                  <tr><td>Starter</td><td>Free</td></tr>
                  <tr><td>Pro</td><td>$20</td></tr>
                </table>
                <table><tr><td>no</td><td>header</td></tr></table>
                """;

        assertThat(paragraphs(parser.parseHtml(html, ""))).containsExactly(
                "Plan | Price", "Plan: Starter; Price: Free", "Plan: Pro; Price: $20", "no | header");
    }

    @Test
    void htmlUploadIsDetectedAndDecodedFromItsBytes() throws Exception {
        String html = "<html><head><meta charset=\"windows-1252\"><title>Caf\u00e9</title></head><body><p>Cr\u00e8me"
                + " br\u00fbl\u00e9e.</p></body></html>";
        byte[] bytes = html.getBytes(Charset.forName("windows-1252"));

        ParsedDocument document = parser.parse(bytes, "menu.html");

        assertThat(document.title()).isEqualTo("Caf\u00e9");
        assertThat(paragraphs(document)).containsExactly("Cr\u00e8me br\u00fbl\u00e9e.");
    }

    // ---- Markdown and text ----

    @Test
    void markdownHeadingsBuildThePathAndListItemsAreParagraphs() throws Exception {
        String markdown = """
                ---
                layout: docs
                ---
                # Getting started

                Install the widget
                on your site.

                ## Steps

                - Create an agent
                - Copy the snippet

                ## Troubleshooting

                If the widget does not show, check the console.
                """;

        ParsedDocument document = parser.parse(markdown.getBytes(UTF_8), "start.md");

        assertThat(document.title()).isEqualTo("Getting started");
        assertThat(document.sections()).containsExactly(
                new Section(List.of("Getting started"), List.of("Install the widget on your site.")),
                new Section(List.of("Getting started", "Steps"), List.of("Create an agent", "Copy the snippet")),
                new Section(List.of("Getting started", "Troubleshooting"),
                        List.of("If the widget does not show, check the console.")));
        assertThat(parser.parseMarkdown(markdown, "Setup guide").title()).isEqualTo("Setup guide");
    }

    @Test
    void plainTextParagraphsAreSeparatedByBlankLines() throws Exception {
        String text = "First paragraph, line one\nand its wrapped second line.\n\nSecond paragraph.\r\n \r\n\r\n"
                + "Third   paragraph\twith  spaces.\n";

        ParsedDocument document = parser.parse(text.getBytes(UTF_8), "notes/faq.txt");

        assertThat(document.title()).isEqualTo("faq");
        assertThat(document.sections()).containsExactly(new Section(List.of(), List.of(
                "First paragraph, line one and its wrapped second line.",
                "Second paragraph.",
                "Third paragraph with spaces.")));
    }

    @Test
    void textThatIsNotUtf8IsDecodedWithTheDetectedCharset() throws Exception {
        String text = "Le caf\u00e9 est ouvert tous les jours. Nous servons des cr\u00e8mes br\u00fbl\u00e9es et des "
                + "cr\u00eapes \u00e0 la fran\u00e7aise, pr\u00e9par\u00e9es sur place.";

        ParsedDocument document = parser.parse(text.getBytes(Charset.forName("windows-1252")), "menu.txt");

        assertThat(paragraphs(document)).containsExactly(text);
    }

    // ---- refusals ----

    @Test
    void unsupportedTypesAreRefusedWithTheDetectedType() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("hello".getBytes(UTF_8));
            out.closeEntry();
        }

        assertThatThrownBy(() -> parser.parse(png, "logo.txt"))
                .isInstanceOfSatisfying(UnsupportedDocumentTypeException.class,
                        e -> assertThat(e.mediaType()).isEqualTo("image/png"));
        assertThatThrownBy(() -> parser.parse(zip.toByteArray(), "archive.zip"))
                .isInstanceOfSatisfying(UnsupportedDocumentTypeException.class,
                        e -> assertThat(e.mediaType()).isEqualTo("application/zip"));
        assertThat(DocumentParser.SUPPORTED).doesNotContain("image/png", "application/zip");
    }

    @Test
    void emptyDocumentsAreRefused() {
        assertThatThrownBy(() -> parser.parse(new byte[0], "empty.txt"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("The file is empty");
        assertThatThrownBy(() -> parser.parse(" \n\n \t\n".getBytes(UTF_8), "blank.txt"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("The document contains no extractable text");
        assertThatThrownBy(() -> parser.parse("<html><body><nav>Menu</nav></body></html>".getBytes(UTF_8), "a.html"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessage("The document contains no extractable text");
        assertThat(parser.parseText("   ", "t").sections()).isEmpty();
    }

    // ---- fixtures ----

    private static List<String> paragraphs(ParsedDocument document) {
        return document.sections().stream().flatMap(section -> section.paragraphs().stream()).toList();
    }

    /**
     * A PDF with one page per list of lines; an empty line leaves a gap (a new paragraph). Pages are numbered at the
     * bottom and have an outline (bookmark) entry each.
     */
    @SafeVarargs
    private static byte[] pdf(List<String>... pages) throws IOException {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDDocumentOutline outline = new PDDocumentOutline();
            document.getDocumentCatalog().setDocumentOutline(outline);
            for (int number = 1; number <= pages.length; number++) {
                PDPage page = new PDPage();
                document.addPage(page);
                PDOutlineItem bookmark = new PDOutlineItem();
                bookmark.setTitle("Bookmark " + number);
                bookmark.setDestination(page);
                outline.addLast(bookmark);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(font, 12);
                    content.setLeading(16);
                    content.newLineAtOffset(72, 700);
                    for (String line : pages[number - 1]) {
                        if (line.isEmpty()) {
                            content.newLine();
                        } else {
                            content.showText(line);
                        }
                        content.newLine();
                    }
                    content.endText();
                    content.beginText();
                    content.setFont(font, 10);
                    content.newLineAtOffset(300, 40);
                    content.showText(String.valueOf(number));
                    content.endText();
                }
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    private static byte[] pricingDocx() throws IOException {
        try (XWPFDocument document = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            // a blank POI document has no styles part: Tika maps paragraphs to h1/h2 by the style's name
            XWPFStyles styles = document.createStyles();
            for (int level = 1; level <= 2; level++) {
                CTStyle style = CTStyle.Factory.newInstance();
                style.setStyleId("Heading" + level);
                style.setType(STStyleType.PARAGRAPH);
                style.addNewName().setVal("heading " + level);
                styles.addStyle(new XWPFStyle(style, styles));
            }
            paragraph(document, null, "Plans for every team.");
            paragraph(document, "Heading1", "Pricing");
            paragraph(document, null, "All prices are monthly.");
            paragraph(document, "Heading2", "Starter plan");
            paragraph(document, null, "Free for one agent.");
            paragraph(document, "Heading2", "Enterprise plan");
            paragraph(document, null, "Contact sales for a quote.");
            XWPFTable table = document.createTable(1, 2);
            table.getRow(0).getCell(0).setText("Seats");
            table.getRow(0).getCell(1).setText("Unlimited");
            paragraph(document, "Heading1", "Support");
            paragraph(document, null, "Email us any time.");
            document.write(out);
            return out.toByteArray();
        }
    }

    private static void paragraph(XWPFDocument document, String style, String text) {
        XWPFParagraph paragraph = document.createParagraph();
        if (style != null) {
            paragraph.setStyle(style);
        }
        paragraph.createRun().setText(text);
    }

    /** The DOCX with a word of millions of letters in its body: tiny compressed, enormous inflated. */
    private static byte[] withLongFirstWord(byte[] docx, int letters) throws IOException {
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(docx));
                ZipOutputStream out = new ZipOutputStream(result)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] content = in.readAllBytes();
                out.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals("word/document.xml")) {
                    String xml = new String(content, UTF_8);
                    int firstText = xml.indexOf("</w:t>");
                    content = (xml.substring(0, firstText) + "a".repeat(letters) + xml.substring(firstText))
                            .getBytes(UTF_8);
                }
                out.write(content);
                out.closeEntry();
            }
        }
        return result.toByteArray();
    }
}
