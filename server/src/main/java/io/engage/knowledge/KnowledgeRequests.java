package io.engage.knowledge;

import io.engage.common.ApiProblem;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;

/** Turns API bodies (JSON or multipart) into validated {@link KnowledgeService.NewSource}s. */
@Component
class KnowledgeRequests {

    /** JSON body of adding knowledge: {@code content} for text, {@code question}+{@code answer} for FAQ, {@code url}. */
    record AddKnowledgeRequest(
            @NotNull SourceType type,
            @Size(max = 500) String title,
            @Size(max = 500) String externalId,
            String content,
            @Size(max = 2000) String question,
            @Size(max = 20000) String answer,
            @Size(max = 2000) String url) {
    }

    private final long maxFileBytes;
    private final Ingestion ingestion;
    private final DocumentParser parser;

    KnowledgeRequests(KnowledgeProperties properties, Ingestion ingestion, DocumentParser parser) {
        this.maxFileBytes = properties.maxFileSize().toBytes();
        this.ingestion = ingestion;
        this.parser = parser;
    }

    KnowledgeService.NewSource fromJson(AddKnowledgeRequest r) {
        String externalId = blankToNull(r.externalId());
        return switch (r.type()) {
            case TEXT -> {
                String content = require(r.content(), "content");
                yield new KnowledgeService.NewSource(SourceType.TEXT, titleOr(r.title(), firstLine(content)),
                        externalId, null, null, DocumentParser.MARKDOWN, content.getBytes(StandardCharsets.UTF_8));
            }
            case FAQ -> {
                String question = require(r.question(), "question");
                String answer = require(r.answer(), "answer");
                yield new KnowledgeService.NewSource(SourceType.FAQ, titleOr(r.title(), question), externalId, null,
                        null, "application/json", ingestion.faqContent(question.strip(), answer.strip()));
            }
            case URL -> {
                String url = validUrl(require(r.url(), "url"));
                yield new KnowledgeService.NewSource(SourceType.URL, titleOr(r.title(), url), externalId, url, null,
                        null, url.getBytes(StandardCharsets.UTF_8));
            }
            case FILE -> throw ApiProblem.unprocessable("type", "files are uploaded as multipart/form-data with a "
                    + "'file' part");
        };
    }

    KnowledgeService.NewSource fromFile(MultipartFile file, String title, String externalId) throws IOException {
        if (file.isEmpty()) {
            throw ApiProblem.unprocessable("file", "is empty");
        }
        if (file.getSize() > maxFileBytes) {
            throw new ApiProblem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "File too large",
                    "The file is " + file.getSize() + " bytes; the limit is " + maxFileBytes + " bytes");
        }
        byte[] bytes = file.getBytes();
        String filename = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank() ? "upload"
                : file.getOriginalFilename();
        String mediaType;
        try {
            mediaType = parser.detect(bytes, filename);
        } catch (DocumentParseException e) {
            throw ApiProblem.unprocessable("file", e.getMessage());
        }
        if (!DocumentParser.SUPPORTED.contains(mediaType)) {
            throw CompanyKnowledgeController.unsupported(mediaType);
        }
        if (title != null && title.length() > 500) {
            throw ApiProblem.unprocessable("title", "size must be between 0 and 500");
        }
        return new KnowledgeService.NewSource(SourceType.FILE, titleOr(title, filename), blankToNull(externalId),
                null, filename, mediaType, bytes);
    }

    static String validUrl(String url) {
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw ApiProblem.unprocessable("url", "must be an http or https URL");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw ApiProblem.unprocessable("url", "must be an http or https URL");
        }
    }

    private static String require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.unprocessable(field, "must not be blank");
        }
        return value;
    }

    private static String titleOr(String title, String fallback) {
        String chosen = title == null || title.isBlank() ? fallback : title.strip();
        return chosen.length() > 500 ? chosen.substring(0, 500) : chosen;
    }

    private static String firstLine(String content) {
        String line = content.strip().lines().findFirst().orElse("Text").replaceFirst("^#+\\s*", "");
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
