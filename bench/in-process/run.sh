#!/usr/bin/env bash
# In-process benchmark of the retrieval core: ./bench/in-process/run.sh [chunks]   (default 100000)
# Needs a built server (./mvnw -q install -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -pl server dependency:build-classpath -Dmdep.outputFile="$PWD/server/target/bench-classpath.txt" >/dev/null
CP="server/target/classes:$(cat server/target/bench-classpath.txt)"
OUT=$(mktemp -d)
javac -d "$OUT" -cp "$CP" bench/in-process/io/engage/retrieval/AgentIndexBench.java
java -Xmx6g -cp "$CP:$OUT" io.engage.retrieval.AgentIndexBench "${1:-100000}"
