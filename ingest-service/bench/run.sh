#!/usr/bin/env bash
# The ingest benchmark: durable single-alert and batched POSTs against the ingest service, and the
# same load against Prometheus Alertmanager's POST /api/v2/alerts, in one run; prints both and the ratio.
#   ingest-service/bench/run.sh                 # defaults: 10 s warm-up, 20 s measured per phase
#   BENCH_SECONDS=30 BENCH_CONCURRENCY=256 BENCH_BATCH_CONCURRENCY=16 BENCH_BATCH=500 BENCH_ROUNDS=2 ingest-service/bench/run.sh
# Needs Java 17 and Maven; installs Debian's prometheus-alertmanager when it is missing (as root, or
# with sudo). Works from a fresh clone: Maven builds ingest-service with the modules it needs in one
# reactor (-am), so nothing has to be installed in ~/.m2 first. MVN_OFFLINE=1 builds with mvn -o.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

logs="$root/ingest-service/target/bench"
mkdir -p "$logs"

# Runs a step with its output in a log file; on failure prints the log's tail and why it stopped.
step() {
  local what="$1" log="$logs/$2" status=0
  shift 2
  "$@" >"$log" 2>&1 || status=$?
  if [ "$status" != 0 ]; then
    echo "---- the last 40 lines of $log ----" >&2
    tail -n 40 "$log" >&2
    echo "----" >&2
    echo "bench: $what failed: '$*' exited with status $status; its whole output is in $log" >&2
    exit 1
  fi
}

alertmanager="${BENCH_ALERTMANAGER:-/usr/bin/prometheus-alertmanager}"
if [ ! -x "$alertmanager" ]; then
  echo "bench: installing Debian's prometheus-alertmanager (no $alertmanager) ..."
  if [ "$(id -u)" = 0 ]; then
    step "installing prometheus-alertmanager with apt-get" apt.log \
      sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus-alertmanager'
  elif command -v sudo >/dev/null; then
    step "installing prometheus-alertmanager with sudo apt-get" apt.log \
      sh -c 'sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus-alertmanager'
  else
    echo "bench: no $alertmanager, and neither root nor sudo to install it: install prometheus-alertmanager" \
      "(or set BENCH_ALERTMANAGER to an alertmanager binary) and run again" >&2
    exit 1
  fi
fi

mvn_flags=(-B)
[ "${MVN_OFFLINE:-0}" = 1 ] && mvn_flags+=(-o)
echo "bench: building ingest-service and the modules it needs (log: $logs/build.log) ..."
# test-compile through the reactor, then the test classpath of ingest-service (siblings resolve to their target/classes)
step "the Maven build" build.log \
  mvn "${mvn_flags[@]}" -pl ingest-service -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt

cp="ingest-service/target/test-classes:ingest-service/target/classes:$(cat ingest-service/target/test-classpath.txt)"
echo "bench: running (about $(( 20 + ${BENCH_ROUNDS:-2} * 4 * (${BENCH_WARMUP:-10} + ${BENCH_SECONDS:-20}) )) s of load after start-up) ..."
status=0
java -Xmx1g -XX:+UseParallelGC ${BENCH_JAVA_OPTS:-} \
  -Dbench.warmup="${BENCH_WARMUP:-10}" -Dbench.seconds="${BENCH_SECONDS:-20}" \
  -Dbench.concurrency="${BENCH_CONCURRENCY:-256}" -Dbench.batch-concurrency="${BENCH_BATCH_CONCURRENCY:-16}" \
  -Dbench.batch="${BENCH_BATCH:-500}" -Dbench.rounds="${BENCH_ROUNDS:-2}" -Dbench.alertmanager="$alertmanager" \
  -Dlogback.configurationFile="$here/logback-bench.xml" \
  -cp "$cp" dev.nightshift.ingest.bench.IngestBenchmark || status=$?
if [ "$status" != 0 ]; then
  echo "bench: the benchmark stopped with exit status $status (its own messages are above)" >&2
  exit "$status"
fi
