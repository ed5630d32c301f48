#!/usr/bin/env bash
# The playbook runner's benchmark: triage, the runner and the executors, each service as shipped in a JVM of its own,
# exactly-once, the workers in dry-run; at a steady rate of alerts, the p50/p99 time from an alert's append to
# alerts.raw to its incident's first step's outcome on remediation.outcomes, and from a step's outcome to the next
# step's request on actions.<action> (LogAppendTime), per round and as medians. Uses the broker and registry in
# KAFKA_BOOTSTRAP_SERVERS / SCHEMA_REGISTRY_URL when set, otherwise starts its own.
# Works from a fresh clone: it builds what it needs first, in this checkout (MAVEN_OFFLINE=1 builds offline).
# Usage: remediation-workers/bench/run.sh [-Dbench.rate=1000 -Dbench.rounds=3 -Dbench.seconds=30 -Dbench.triage=false ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p remediation-workers/target
log="remediation-workers/target/bench-build.log"
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
# One reactor build, nothing installed: each service's runtime classpath (target/classpath.txt, as ./pipeline uses it)
# and the benchmark's own (the workers' test classpath) point into this checkout's target directories.
step "build remediation-workers, triage-streams and the modules they need (tests compiled, not run) and write the classpaths" \
  mvn "${mvn_flags[@]}" package dependency:build-classpath -DskipTests -pl remediation-workers,triage-streams -am \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt

root="$(pwd)"
for file in remediation-workers/target/classpath.txt triage-streams/target/classpath.txt remediation-workers/target/bench-classpath.txt; do
  [ -s "$file" ] || { echo "bench: the build wrote no $file; the end of Maven's output ($log):" >&2; tail -n 40 "$log" >&2; exit 1; }
done
# The benchmark prints its figures; its own logging (the in-JVM broker's too, warnings and errors) goes to a file beside
# the services' (remediation-workers/target/bench-logs/).
mkdir -p remediation-workers/target/bench-logs
cat >remediation-workers/target/bench-logback.xml <<'EOF'
<configuration>
  <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>remediation-workers/target/bench-logs/benchmark.log</file>
    <append>false</append>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="FILE"/></root>
</configuration>
EOF
CP="remediation-workers/target/test-classes:remediation-workers/target/classes:$(cat remediation-workers/target/bench-classpath.txt)"
exec java -Xmx1g -XX:+UseParallelGC -Dlogback.configurationFile=remediation-workers/target/bench-logback.xml \
  -Dbench.workers.classpath="$root/remediation-workers/target/classes:$(cat remediation-workers/target/classpath.txt)" \
  -Dbench.triage.classpath="$root/triage-streams/target/classes:$(cat triage-streams/target/classpath.txt)" \
  "$@" -cp "$CP" dev.nightshift.workers.bench.RunnerBenchmark
