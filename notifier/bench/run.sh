#!/usr/bin/env bash
# The notifier's benchmark: an alert storm and a steady load through the whole pipeline (triage, the workers service in
# dry-run, the notifier), each service as shipped in a JVM of its own, against a fake Slack Web API that keeps Slack's
# pace per channel (429 with Retry-After over it) and a fake Jira, both in the benchmark's JVM. Prints the time until
# every incident is in Slack and in Jira, the Slack calls, the 429s and the duplicates; then, under a steady load, the
# p50/p99 from an incident's append to `incidents` to its Slack message, per round and as medians.
# Uses the broker and registry in KAFKA_BOOTSTRAP_SERVERS / SCHEMA_REGISTRY_URL when set, otherwise starts its own.
# Works from a fresh clone: it builds what it needs first, in this checkout (MAVEN_OFFLINE=1 builds offline).
# Usage: notifier/bench/run.sh [-Dbench.storm.alerts=20000 -Dbench.storm.fingerprints=2000 -Dbench.storm.teams=20
#        -Dbench.storm.seconds=30 -Dbench.rate=20 -Dbench.steady.teams=100 -Dbench.rounds=3 -Dbench.seconds=30 ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p notifier/target
log="notifier/target/bench-build.log"
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
# and the benchmark's own (the notifier's test classpath) point into this checkout's target directories.
step "build the notifier, triage-streams, remediation-workers and the modules they need (tests compiled, not run) and write the classpaths" \
  mvn "${mvn_flags[@]}" package dependency:build-classpath -DskipTests -pl notifier,triage-streams,remediation-workers -am \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt

root="$(pwd)"
for file in notifier/target/classpath.txt triage-streams/target/classpath.txt remediation-workers/target/classpath.txt \
  notifier/target/bench-classpath.txt; do
  [ -s "$file" ] || { echo "bench: the build wrote no $file; the end of Maven's output ($log):" >&2; tail -n 40 "$log" >&2; exit 1; }
done
# The benchmark prints its figures; its own logging (the in-JVM broker's too, warnings and errors) goes to a file beside
# the services' (notifier/target/bench-logs/).
mkdir -p notifier/target/bench-logs
cat >notifier/target/bench-logback.xml <<'EOF'
<configuration>
  <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>notifier/target/bench-logs/benchmark.log</file>
    <append>false</append>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="FILE"/></root>
</configuration>
EOF
CP="notifier/target/test-classes:notifier/target/classes:$(cat notifier/target/bench-classpath.txt)"
exec java -Xmx1g -XX:+UseParallelGC -Dlogback.configurationFile=notifier/target/bench-logback.xml \
  -Dbench.notifier.classpath="$root/notifier/target/classes:$(cat notifier/target/classpath.txt)" \
  -Dbench.workers.classpath="$root/remediation-workers/target/classes:$(cat remediation-workers/target/classpath.txt)" \
  -Dbench.triage.classpath="$root/triage-streams/target/classes:$(cat triage-streams/target/classpath.txt)" \
  "$@" -cp "$CP" dev.nightshift.notifier.bench.NotifierBenchmark
