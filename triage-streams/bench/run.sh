#!/usr/bin/env bash
# The triage benchmark: triage vs pass-through throughput (and their ratio) and the p99 latency at a
# steady 5,000 alerts/s, both with exactly-once. Uses the broker and registry in
# KAFKA_BOOTSTRAP_SERVERS / SCHEMA_REGISTRY_URL when set, otherwise starts its own.
# Usage: triage-streams/bench/run.sh [-Dbench.alerts=800000 -Dbench.rate=5000 -Dbench.seconds=25 ...]
#        triage-streams/bench/run.sh state-serde [-Dbench.fingerprints=20000]   (the state store serde alone)
set -euo pipefail
cd "$(dirname "$0")/../.."
MVN="mvn -B -q"
[ -n "${MAVEN_OFFLINE:-}" ] && MVN="$MVN -o"
$MVN install -pl schemas,testkit -DskipTests >/dev/null
$MVN test-compile -pl triage-streams >/dev/null
$MVN dependency:build-classpath -pl triage-streams -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
CP="triage-streams/target/test-classes:triage-streams/target/classes:$(cat triage-streams/target/bench-classpath.txt)"
MAIN=dev.nightshift.triage.bench.TriageBenchmark
if [ "${1:-}" = state-serde ]; then
  MAIN=dev.nightshift.triage.bench.StateSerdeBenchmark
  shift
fi
exec java -Xmx2g -XX:+UseParallelGC -Dlogback.configurationFile=triage-streams/bench/logback-bench.xml "$@" \
  -cp "$CP" "$MAIN"
