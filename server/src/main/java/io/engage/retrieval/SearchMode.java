package io.engage.retrieval;

import io.engage.common.WireEnum;

/** Which retrieval runs: keywords (BM25) and vectors fused, or one side alone (playground, evaluation). */
public enum SearchMode implements WireEnum {
    HYBRID, KEYWORD, VECTOR
}
