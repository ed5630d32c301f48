#!/usr/bin/env bash
# The triage benchmark: triage against a pass-through and a stateful floor (throughput, per round and as
# medians), and the p99 latency at a steady 5,000 alerts/s, all with exactly-once. Uses the broker and
# registry in KAFKA_BOOTSTRAP_SERVERS / SCHEMA_REGISTRY_URL when set, otherwise starts its own.
# Works from a fresh clone: it builds what it needs first (MAVEN_OFFLINE=1 builds offline).
# Usage: triage-streams/bench/run.sh [-Dbench.rounds=5 -Dbench.rate=5000 -Dbench.seconds=30 ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
log="triage-streams/target/bench-build.log"
mkdir -p triage-streams/target
mvn_flags=(-B)
[ -n "${MAVEN_OFFLINE:-}" ] && mvn_flags+=(-o)

# Runs one build step with its output in the log; on failure prints why and the end of the log.
step() {
  local what="$1"
  shift
  echo "bench: $what ..."
  if ! "$@" >>"$log" 2>&1; then
    echo "bench: could not $what; the end of Maven's output ($log):" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}

: >"$log"
command -v mvn >/dev/null || { echo "bench: Maven (mvn) is not on the PATH; it builds the benchmark" >&2; exit 1; }
command -v java >/dev/null || { echo "bench: java is not on the PATH" >&2; exit 1; }
step "build triage-streams and the modules it needs (tests skipped)" \
  mvn "${mvn_flags[@]}" install -DskipTests -pl triage-streams -am
step "write the benchmark's classpath" \
  mvn "${mvn_flags[@]}" dependency:build-classpath -pl triage-streams -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
CP="triage-streams/target/test-classes:triage-streams/target/classes:$(cat triage-streams/target/bench-classpath.txt)"
exec java -Xmx2g -XX:+UseParallelGC -Dlogback.configurationFile=triage-streams/bench/logback-bench.xml "$@" \
  -cp "$CP" dev.nightshift.triage.bench.TriageBenchmark
