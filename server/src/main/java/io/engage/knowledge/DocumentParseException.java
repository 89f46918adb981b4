package io.engage.knowledge;

/** Thrown with a message readable by an end user, e.g. "The PDF is damaged or encrypted and cannot be read". */
class DocumentParseException extends Exception {

    DocumentParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
