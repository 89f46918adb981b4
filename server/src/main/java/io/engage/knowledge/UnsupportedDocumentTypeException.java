package io.engage.knowledge;

/** The content type is not one we ingest; carries the detected media type. */
class UnsupportedDocumentTypeException extends Exception {

    private final String mediaType;

    UnsupportedDocumentTypeException(String mediaType) {
        super("Files of type " + mediaType + " cannot be imported; upload a PDF, Word (.docx), HTML, Markdown or "
                + "plain-text file");
        this.mediaType = mediaType;
    }

    String mediaType() {
        return mediaType;
    }
}
