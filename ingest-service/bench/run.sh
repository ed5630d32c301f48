#!/usr/bin/env bash
# The ingest benchmark: durable single-alert and batched POSTs against the ingest service, and the
# same load against Prometheus Alertmanager's POST /api/v2/alerts, in one run; prints both and the ratio.
#   ingest-service/bench/run.sh                 # defaults: 10 s warm-up, 20 s measured per phase
#   BENCH_SECONDS=30 BENCH_CONCURRENCY=256 BENCH_BATCH_CONCURRENCY=16 BENCH_BATCH=500 BENCH_ROUNDS=2 ingest-service/bench/run.sh
# Needs Java 17 and Maven; installs Debian's prometheus-alertmanager when it is missing (as root).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

if [ ! -x /usr/bin/prometheus-alertmanager ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq prometheus-alertmanager >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq prometheus-alertmanager >/dev/null
  fi
fi

# Build what the benchmark needs (offline when MVN_OFFLINE=1) and write the test classpath.
mvn_flags=(-B -q)
[ "${MVN_OFFLINE:-0}" = 1 ] && mvn_flags+=(-o)
mvn "${mvn_flags[@]}" install -pl schemas,testkit -DskipTests
mvn "${mvn_flags[@]}" -pl ingest-service test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt

cp="ingest-service/target/test-classes:ingest-service/target/classes:$(cat ingest-service/target/test-classpath.txt)"
exec java -Xmx1g -XX:+UseParallelGC ${BENCH_JAVA_OPTS:-} \
  -Dbench.warmup="${BENCH_WARMUP:-10}" -Dbench.seconds="${BENCH_SECONDS:-20}" \
  -Dbench.concurrency="${BENCH_CONCURRENCY:-256}" -Dbench.batch-concurrency="${BENCH_BATCH_CONCURRENCY:-16}" \
  -Dbench.batch="${BENCH_BATCH:-500}" -Dbench.rounds="${BENCH_ROUNDS:-2}" \
  -Dlogback.configurationFile="$here/logback-bench.xml" \
  -cp "$cp" dev.nightshift.ingest.bench.IngestBenchmark
