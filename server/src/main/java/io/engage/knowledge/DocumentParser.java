package io.engage.knowledge;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.tika.detect.DefaultDetector;
import org.apache.tika.detect.DefaultEncodingDetector;
import org.apache.tika.detect.Detector;
import org.apache.tika.detect.EncodingDetector;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.microsoft.OfficeParserConfig;
import org.apache.tika.parser.microsoft.ooxml.OOXMLParser;
import org.apache.tika.parser.pdf.PDFParser;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.sax.ToXMLContentHandler;
import org.apache.tika.sax.WriteOutContentHandler;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Reduces uploaded files and HTML to {@link ParsedDocument}s. Tika turns PDF and DOCX into XHTML; that XHTML, HTML
 * pages and rendered Markdown then go through one HTML-to-sections walk, so headings mean the same for every format.
 * Thread-safe.
 */
final class DocumentParser {

    static final String PDF = "application/pdf";
    static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    static final String HTML = "text/html";
    static final String MARKDOWN = "text/markdown";
    static final String TEXT = "text/plain";

    /** Media types accepted for upload: PDF, DOCX, HTML, Markdown, plain text. */
    static final Set<String> SUPPORTED = Set.of(PDF, DOCX, HTML, MARKDOWN, TEXT);

    /**
     * Default cap on the text of one document. A longer one is refused rather than cut: a knowledge base that
     * silently lost the end of a manual would answer wrongly.
     */
    static final int DEFAULT_MAX_CHARS = 10_000_000;

    static final String NO_TEXT = "The document contains no extractable text";

    /** Other names Tika gives the types we accept. */
    private static final Map<String, String> ALIASES = Map.of(
            "application/xhtml+xml", HTML,
            "text/x-web-markdown", MARKDOWN,
            "text/x-markdown", MARKDOWN);

    /** Tika's name for an encrypted Office Open XML container, i.e. a password-protected Word file. */
    private static final String PROTECTED_OOXML = "application/x-tika-ooxml-protected";

    private static final String HEADINGS = "h1, h2, h3, h4, h5, h6";

    /** Page furniture and non-content; the ARIA roles mark the same landmarks on sites built from divs. */
    private static final String NOISE = "nav, aside, footer, script, style, noscript, template, svg, canvas, iframe, "
            + "object, embed, [hidden], [aria-hidden=true], [role=navigation], [role=banner], [role=contentinfo], "
            + "[role=complementary], [role=search]";

    private static final Pattern BLANK_LINE = Pattern.compile("\\R\\s*\\R");
    private static final Pattern INVISIBLE = Pattern.compile("[\\u00AD\\u200B\\u2060\\uFEFF]");
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Cc}]+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern EXTRA_BLANK_LINES = Pattern.compile("\\n{3,}");
    /** A PDF line that is only a page number: "7", "- 7 -", "Page 7", "Page 7 of 12", "7 / 12" (not "2024"). */
    private static final Pattern PAGE_NUMBER = Pattern.compile("(?i)(?:page\\s+\\d{1,4}|\\d{1,3})"
            + "(?:\\s*(?:/|of)\\s*\\d{1,4})?|[-\\u2013\\u2014]\\s*\\d{1,4}\\s*[-\\u2013\\u2014]");
    /** Jekyll/Hugo front matter: metadata, not text, and its closing "---" would otherwise make a heading. */
    private static final Pattern FRONT_MATTER = Pattern.compile("\\A---\\R.*?\\R(?:---|\\.\\.\\.)[ \\t]*(?:\\R|\\z)",
            Pattern.DOTALL);

    /** Attachments and embedded objects would land out of place, and each one is more parser attack surface. */
    private static final EmbeddedDocumentExtractor SKIP_EMBEDDED = new EmbeddedDocumentExtractor() {
        @Override
        public boolean shouldParseEmbedded(Metadata metadata) {
            return false;
        }

        @Override
        public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml) {
            // never called: shouldParseEmbedded refuses every embedded document
        }
    };

    private static final Parser MARKDOWN_PARSER = Parser.builder().build();
    private static final HtmlRenderer MARKDOWN_RENDERER = HtmlRenderer.builder().build();

    private final int maxChars;

    /**
     * Tika, made on first use: loading its type registry and parsers took over a second of every start-up, for
     * something only uploads need ({@link #warmUp} loads it in the background once the server is ready). Tika's
     * detectors and these parsers are thread-safe, so one set serves every parser instance.
     */
    private static final class Tika {
        static final Detector DETECTOR = new DefaultDetector();
        // Only the two parsers we need: no OCR or external-command parsers, and little attack surface.
        static final AutoDetectParser PARSER = new AutoDetectParser(DETECTOR, new PDFParser(), new OOXMLParser());
        static final EncodingDetector ENCODINGS = new DefaultEncodingDetector();
    }

    /** Loads Tika now, so that the first upload does not wait for it. */
    static void warmUp() {
        Tika.PARSER.getParsers();
    }

    DocumentParser() {
        this(DEFAULT_MAX_CHARS);
    }

    /** @param maxChars the most characters of text one document may have */
    DocumentParser(int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive");
        }
        this.maxChars = maxChars;
    }

    /**
     * Detects the type from the bytes and the file name (Tika's detector; .md/.markdown → text/markdown), then parses.
     * A document without a title of its own is titled after the file name.
     */
    ParsedDocument parse(byte[] content, String filename)
            throws DocumentParseException, UnsupportedDocumentTypeException {
        if (content.length == 0) {
            throw new DocumentParseException("The file is empty", null);
        }
        String mediaType = detect(content, filename);
        ParsedDocument document = switch (mediaType) {
            case PDF, DOCX -> parseWithTika(content, mediaType);
            case HTML -> parseHtml(content, null, "");
            case MARKDOWN -> parseMarkdown(decode(content), null);
            case TEXT -> parseText(decode(content), null);
            case PROTECTED_OOXML -> throw new DocumentParseException(
                    "The document is password-protected; remove the password and upload it again", null);
            default -> throw new UnsupportedDocumentTypeException(mediaType);
        };
        requireText(document);
        return document.title() != null ? document
                : new ParsedDocument(titleFromFilename(filename), document.sections());
    }

    /** Plain text: paragraphs are separated by blank lines; the lines of one block are joined. */
    ParsedDocument parseText(String text, String title) {
        List<String> paragraphs = new ArrayList<>();
        for (String block : BLANK_LINE.split(text)) {
            String paragraph = normalize(block);
            if (!paragraph.isEmpty()) {
                paragraphs.add(paragraph);
            }
        }
        List<Section> sections = paragraphs.isEmpty() ? List.of() : List.of(new Section(List.of(), paragraphs));
        return new ParsedDocument(blankToNull(title), sections);
    }

    /** Markdown, rendered by commonmark and read as HTML; # headings build the heading path. */
    ParsedDocument parseMarkdown(String markdown, String title) {
        String body = FRONT_MATTER.matcher(markdown).replaceFirst("");
        Document html = Jsoup.parse(MARKDOWN_RENDERER.render(MARKDOWN_PARSER.parse(body)));
        if (title != null && !title.isBlank()) {
            html.title(title);
        }
        return reduce(html, false);
    }

    /**
     * HTML reduced to its main content: {@code <main>}, {@code [role=main]} or a lone {@code <article>} when present,
     * without navigation, page header and footer, asides, scripts, forms and hidden elements. h1–h6 build the heading
     * path; the title is the {@code <title>}, else the first h1.
     */
    ParsedDocument parseHtml(String html, String baseUri) {
        return reduce(Jsoup.parse(html, baseUri == null ? "" : baseUri), false);
    }

    /** HTML as bytes. Without a charset (from an HTTP header) a byte-order mark or meta tag decides, else UTF-8. */
    ParsedDocument parseHtml(byte[] html, Charset charset, String baseUri) {
        try {
            return reduce(Jsoup.parse(new ByteArrayInputStream(html), charset == null ? null : charset.name(),
                    baseUri == null ? "" : baseUri), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from memory does not fail
        }
    }

    /** Text bytes of unknown charset: UTF-8 when they are valid UTF-8 (ASCII included), else Tika's detection. */
    static String decode(byte[] content) {
        String text;
        try {
            text = UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            text = new String(content, detectCharset(content));
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    // ---- detection and Tika ----

    /** The media type of an upload (magic numbers first, then the file name); aliases folded into SUPPORTED names. */
    String detect(byte[] content, String filename) throws DocumentParseException {
        Metadata metadata = new Metadata();
        if (filename != null) {
            metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        }
        String detected;
        try (TikaInputStream in = TikaInputStream.get(content)) {
            detected = Tika.DETECTOR.detect(in, metadata).getBaseType().toString();
        } catch (IOException | RuntimeException e) {
            // a corrupted container can break Tika's detectors themselves (an NPE in commons-compress's zip reader)
            throw new DocumentParseException("The file could not be read", e);
        }
        String type = ALIASES.getOrDefault(detected, detected);
        return type.equals(TEXT) && hasMarkdownExtension(filename) ? MARKDOWN : type;
    }

    private static boolean hasMarkdownExtension(String filename) {
        if (filename == null) {
            return false;
        }
        String name = filename.toLowerCase(Locale.ROOT);
        return name.endsWith(".md") || name.endsWith(".markdown");
    }

    private ParsedDocument parseWithTika(byte[] content, String mediaType) throws DocumentParseException {
        ToXMLContentHandler xhtml = new ToXMLContentHandler();
        try (TikaInputStream in = TikaInputStream.get(content)) {
            Tika.PARSER.parse(in, new WriteOutContentHandler(xhtml, maxChars), new Metadata(), parseContext());
        } catch (IOException | SAXException | TikaException e) {
            throw new DocumentParseException(describeFailure(e, mediaType), e);
        }
        return reduce(Jsoup.parse(xhtml.toString()), mediaType.equals(PDF));
    }

    private static ParseContext parseContext() {
        PDFParserConfig pdf = new PDFParserConfig();
        pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR); // OCR would run the external tesseract binary
        pdf.setExtractBookmarksText(false); // the outline repeats the headings as a list at the end
        pdf.setExtractAnnotationText(false); // link targets and reviewers' notes, not the document's text
        OfficeParserConfig office = new OfficeParserConfig();
        office.setIncludeHeadersAndFooters(false); // running heads and page numbers would repeat in every chunk
        ParseContext context = new ParseContext();
        context.set(PDFParserConfig.class, pdf);
        context.set(OfficeParserConfig.class, office);
        context.set(EmbeddedDocumentExtractor.class, SKIP_EMBEDDED);
        return context;
    }

    private String describeFailure(Exception failure, String mediaType) {
        String kind = mediaType.equals(PDF) ? "PDF" : "Word document";
        if (WriteLimitReachedException.isWriteLimitReached(failure)) {
            return tooLong();
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof EncryptedDocumentException || cause instanceof InvalidPasswordException
                    || cause instanceof org.apache.poi.EncryptedDocumentException) {
                return "The " + kind + " is password-protected; remove the password and upload it again";
            }
            // POI ("Zip bomb detected!") and Tika's SecureContentHandler ("Suspected zip bomb") say so in the message
            String message = cause.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("zip bomb")) {
                return "The " + kind + " expands to an unreasonable size and was refused";
            }
        }
        return "The " + kind + " is damaged or encrypted and cannot be read";
    }

    private void requireText(ParsedDocument document) throws DocumentParseException {
        if (document.sections().isEmpty()) {
            throw new DocumentParseException(NO_TEXT, null);
        }
        long chars = document.sections().stream()
                .flatMap(section -> section.paragraphs().stream())
                .mapToLong(String::length)
                .sum();
        if (chars > maxChars) {
            throw new DocumentParseException(tooLong(), null);
        }
    }

    private String tooLong() {
        return String.format(Locale.ROOT, "The document has more than %,d characters of text; split it into smaller "
                + "files", maxChars);
    }

    private static Charset detectCharset(byte[] content) {
        try (TikaInputStream in = TikaInputStream.get(content)) {
            Charset detected = Tika.ENCODINGS.detect(in, new Metadata());
            return detected != null ? detected : Charset.forName("windows-1252");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from memory does not fail
        }
    }

    private static String titleFromFilename(String filename) {
        if (filename == null) {
            return null;
        }
        String name = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        return blankToNull(normalize(dot > 0 ? name.substring(0, dot) : name));
    }

    // ---- HTML to sections ----

    private static ParsedDocument reduce(Document document, boolean dropPageNumbers) {
        removeNoise(document);
        Element content = mainContent(document);
        SectionCollector collector = new SectionCollector(dropPageNumbers);
        NodeTraversor.filter(collector, content);
        String title = blankToNull(normalize(document.title()));
        if (title == null) {
            Element h1 = content.selectFirst("h1");
            title = h1 == null ? null : blankToNull(headingText(h1));
        }
        return new ParsedDocument(title, collector.sections());
    }

    private static void removeNoise(Document document) {
        document.select(NOISE).remove();
        for (Element form : document.select("form")) {
            // ASP.NET WebForms pages wrap the whole page in one form: keep a form that holds the content
            if (form.selectFirst("main, article, [role=main], h1") == null) {
                form.remove();
            }
        }
        for (Element header : document.select("header")) {
            // An article's or section's own header holds its title heading; the page header is chrome
            Element parent = header.parent();
            if (parent != null && parent.closest("article, section, main") != null) {
                for (Element heading : header.select(HEADINGS)) {
                    header.before(heading);
                }
            }
            header.remove();
        }
    }

    private static Element mainContent(Document document) {
        for (Element main : document.select("main, [role=main]")) {
            if (!main.text().isBlank()) {
                return main;
            }
        }
        List<Element> articles = document.select("article");
        if (articles.size() == 1 && !articles.get(0).text().isBlank()) {
            return articles.get(0);
        }
        return document.body();
    }

    private static String headingText(Element heading) {
        Element copy = heading.clone();
        // the "#" or "¶" permalink that documentation generators append to headings
        for (Element anchor : copy.select("a[href^=#]")) {
            if (anchor.text().codePoints().noneMatch(Character::isLetterOrDigit)) {
                anchor.remove();
            }
        }
        return normalize(copy.text());
    }

    private static int headingLevel(Element element) {
        String name = element.normalName();
        return name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6'
                ? name.charAt(1) - '0' : 0;
    }

    /** Collapses whitespace runs (including non-breaking spaces and control characters) and drops invisible ones. */
    private static String normalize(String text) {
        return WHITESPACE.matcher(INVISIBLE.matcher(text).replaceAll("")).replaceAll(" ").strip();
    }

    /** Code and other preformatted text keeps its lines; only trailing spaces and extra blank lines go. */
    private static String preformatted(String text) {
        String lines = INVISIBLE.matcher(text).replaceAll("").lines()
                .map(String::stripTrailing)
                .collect(Collectors.joining("\n"));
        return EXTRA_BLANK_LINES.matcher(lines).replaceAll("\n\n").strip();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private record Heading(int level, String text) { }

    /** Walks the content in document order: headings update the path, block-level text becomes paragraphs. */
    private static final class SectionCollector implements NodeFilter {

        private final boolean dropPageNumbers;
        private final List<Section> sections = new ArrayList<>();
        private final List<Heading> headings = new ArrayList<>();
        private List<String> paragraphs = new ArrayList<>();
        private final StringBuilder pending = new StringBuilder();

        SectionCollector(boolean dropPageNumbers) {
            this.dropPageNumbers = dropPageNumbers;
        }

        @Override
        public FilterResult head(Node node, int depth) {
            if (node instanceof TextNode text) {
                pending.append(text.getWholeText());
                return FilterResult.CONTINUE;
            }
            if (!(node instanceof Element element)) {
                return FilterResult.CONTINUE;
            }
            int level = headingLevel(element);
            if (level > 0) {
                endParagraph();
                heading(level, headingText(element));
                return FilterResult.SKIP_CHILDREN;
            }
            String name = element.normalName();
            if (name.equals("br")) {
                pending.append('\n');
            } else if (name.equals("pre")) {
                endParagraph();
                addParagraph(preformatted(element.wholeText()));
                return FilterResult.SKIP_CHILDREN;
            } else if (name.equals("tr") && element.selectFirst(HEADINGS + ", table") == null) {
                // a data row is one paragraph; a row holding headings or tables is page layout and is walked
                endParagraph();
                addParagraph(rowText(element));
                return FilterResult.SKIP_CHILDREN;
            } else if (element.isBlock()) {
                endParagraph();
            }
            return FilterResult.CONTINUE;
        }

        @Override
        public FilterResult tail(Node node, int depth) {
            if (node instanceof Element element && element.isBlock()) {
                endParagraph();
            }
            return FilterResult.CONTINUE;
        }

        List<Section> sections() {
            endParagraph();
            endSection();
            return sections;
        }

        private void heading(int level, String text) {
            if (text.isEmpty()) {
                return;
            }
            endSection();
            // a heading closes every open heading of its level or deeper: a new h2 goes back under the current h1
            headings.removeIf(open -> open.level() >= level);
            headings.add(new Heading(level, text));
        }

        private void endSection() {
            if (!paragraphs.isEmpty()) {
                sections.add(new Section(headings.stream().map(Heading::text).toList(), paragraphs));
                paragraphs = new ArrayList<>();
            }
        }

        private void endParagraph() {
            if (pending.isEmpty()) {
                return;
            }
            String text = pending.toString();
            pending.setLength(0);
            addParagraph(normalize(dropPageNumbers ? withoutPageNumbers(text) : text));
        }

        private void addParagraph(String text) {
            if (!text.isEmpty()) {
                paragraphs.add(text);
            }
        }

        private static String withoutPageNumbers(String text) {
            return text.lines()
                    .filter(line -> !PAGE_NUMBER.matcher(line.strip()).matches())
                    .collect(Collectors.joining("\n"));
        }

        /**
         * One table row as text. Under a header row each value is labelled with its column ("Plan: Pro; Price: 20"), so
         * the row still makes sense alone in a chunk; otherwise the cells are joined with " | ".
         */
        private static String rowText(Element row) {
            List<String> cells = cellTexts(row);
            List<String> header = headerOf(row);
            if (header.size() != cells.size() || header.equals(cells)) {
                return cells.stream().filter(cell -> !cell.isEmpty()).collect(Collectors.joining(" | "));
            }
            List<String> labelled = new ArrayList<>();
            for (int i = 0; i < cells.size(); i++) {
                if (!cells.get(i).isEmpty()) {
                    labelled.add(header.get(i).isEmpty() ? cells.get(i) : header.get(i) + ": " + cells.get(i));
                }
            }
            return String.join("; ", labelled);
        }

        /** The cells of the table's first row when they are all th, else empty. */
        private static List<String> headerOf(Element row) {
            Element table = row.closest("table");
            Element first = table == null ? null : table.selectFirst("tr");
            if (first == null || first.children().stream().noneMatch(cell -> cell.normalName().equals("th"))
                    || first.children().stream().anyMatch(cell -> cell.normalName().equals("td"))) {
                return List.of();
            }
            return cellTexts(first);
        }

        private static List<String> cellTexts(Element row) {
            return row.children().stream()
                    .filter(cell -> cell.normalName().equals("td") || cell.normalName().equals("th"))
                    .map(cell -> normalize(cell.text()))
                    .toList();
        }
    }
}
