package io.engage.knowledge;

import io.engage.common.WireEnum;

/** Where a source is in ingestion: queued → parsing → indexing → ready, or failed with a reason. */
public enum SourceStatus implements WireEnum {
    QUEUED, PARSING, INDEXING, READY, FAILED
}
