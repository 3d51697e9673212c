#!/usr/bin/env bash
# A real Flink standalone session cluster on this machine, from Maven Central artifacts: the
# JobManager and each TaskManager are separate JVMs started with Flink's own entrypoints and
# flink-conf/config.yaml, and the job artifact (target/pond-job.jar: Flink provided) is submitted
# with Flink's CLI front end, as ops would.
#
#   ops/cluster.sh start                     build the lib (once), start a JobManager and a TaskManager
#   ops/cluster.sh add-tm                    start one more TaskManager
#   ops/cluster.sh kill-tm                   kill -9 the newest TaskManager (a dying machine)
#   ops/cluster.sh submit [-s SAVEPOINT] [-p N] [--jar JAR] -- RUN_ARGS...
#                                            submit `pond run RUN_ARGS`; prints the job id
#   ops/cluster.sh await-running JOBID       wait until every task of the job runs
#   ops/cluster.sh await-checkpoint JOBID    wait until a checkpoint triggered from now on completes:
#                                            after a failure, the job runs again and its state is safe
#   ops/cluster.sh await-watermark JOBID MS  wait until the scoring operator's event time (its events'
#                                            input watermark, on every subtask) reaches MS (epoch millis)
#   ops/cluster.sh stop-job JOBID            stop the job with a savepoint; prints its path
#   ops/cluster.sh status                    the cluster's overview and jobs
#   ops/cluster.sh stop                      stop every process this script started
#   ops/cluster.sh flink ARGS...             Flink's CLI (bin/flink) against this cluster
#   ops/cluster.sh sql ARGS...               Flink's SQL client (bin/sql-client.sh, embedded gateway)
#                                            against this cluster, e.g. with the jars for Pond's tables:
#                                            sql -j ops/flink-lib/target/sql-jars/<jar> ... -i sql/pond-tables.sql
#
# Environment (defaults in brackets): POND_CLUSTER_DIR [target/cluster] holds logs, checkpoints,
# savepoints and pids; POND_REST_PORT [8081]; POND_RPC_PORT [6123] for the JobManager, the ports
# after it for the TaskManagers (two each, in the order they start); POND_TM_MEMORY [the
# config's 4g]; POND_JAR [target/pond-job.jar]. Flink's scripts would read env.java.opts.all from
# config.yaml; this script passes the same options itself.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CONF=$ROOT/flink-conf
LIB=$ROOT/ops/flink-lib/target/lib
OPT=$ROOT/ops/flink-lib/target/opt
DIR=${POND_CLUSTER_DIR:-$ROOT/target/cluster}
REST_PORT=${POND_REST_PORT:-8081}
RPC_PORT=${POND_RPC_PORT:-6123}
JAR=${POND_JAR:-$ROOT/target/pond-job.jar}
REST=http://localhost:$REST_PORT
mkdir -p "$DIR"/{log,pids,tmp,checkpoints,savepoints}
DIR=$(cd "$DIR" && pwd)

# Java 17 and Flink: the --add-opens of pond.jar's manifest and of Flink's own scripts.
JAVA_OPENS=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED)
# env.java.opts.all of config.yaml (Avro's fast reader).
CONF_OPTS=(-Dorg.apache.avro.fastread=true)
# What differs from config.yaml on this machine: where files go, and the ports.
DYN=(-Drest.port="$REST_PORT" -Djobmanager.rpc.address=localhost -Djobmanager.rpc.port="$RPC_PORT"
  -Djobmanager.bind-host=localhost -Dtaskmanager.host=localhost -Dtaskmanager.bind-host=localhost
  -Dexecution.checkpointing.dir="file://$DIR/checkpoints" -Dexecution.checkpointing.savepoint-dir="file://$DIR/savepoints"
  -Dio.tmp.dirs="$DIR/tmp" -Dweb.upload.dir="$DIR/tmp/upload")
if [ -n "${POND_TM_MEMORY:-}" ]; then DYN+=(-Dtaskmanager.memory.process.size="$POND_TM_MEMORY"); fi

die() { echo "cluster.sh: $*" >&2; exit 1; }

lib() {
  if [ ! -f "$LIB/flink-table-planner-loader-2.2.0.jar" ] || [ ! -f "$OPT/flink-python-2.2.0.jar" ]; then
    echo "assembling Flink's lib from Maven Central into $LIB"
    mvn -q -f "$ROOT/ops/flink-lib/pom.xml" package
  fi
}

# Flink's BashJavaUtils, as bin/config.sh calls it: the JVM options (line 1) and the memory
# settings as dynamic properties (line 2) that config.yaml's process sizes come to.
memory() {
  java -cp "$LIB/*" -Dlog.file="$DIR/log/bash-java-utils.log" -Dlog4j.configurationFile="file:$ROOT/ops/log4j-cli.properties" \
    org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$CONF" "${DYN[@]}" \
    | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

alive() { [ -f "$DIR/pids/$1" ] && kill -0 "$(cat "$DIR/pids/$1")" 2>/dev/null; }

start_jm() {
  alive jm && die "a JobManager runs already (pid $(cat "$DIR/pids/jm"))"
  local r; mapfile -t r < <(memory GET_JM_RESOURCE_PARAMS)
  [ "${#r[@]}" -eq 2 ] || die "Flink could not size the JobManager; see $DIR/log/bash-java-utils.log"
  # shellcheck disable=SC2086 # r[0] and r[1] are lists of options
  nohup java ${r[0]} "${JAVA_OPENS[@]}" "${CONF_OPTS[@]}" -Dlog.file="$DIR/log/jobmanager.log" \
    -Dlog4j.configurationFile="file:$ROOT/ops/log4j-cluster.properties" -cp "$LIB/*" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$CONF" "${DYN[@]}" ${r[1]} \
    > "$DIR/log/jobmanager.out" 2>&1 &
  echo $! > "$DIR/pids/jm"
  for _ in $(seq 120); do
    alive jm || die "the JobManager died; see $DIR/log/jobmanager.log"
    curl -sf "$REST/overview" > /dev/null && { echo "JobManager up at $REST (pid $(cat "$DIR/pids/jm"))"; return; }
    sleep 0.5
  done
  die "the JobManager's REST endpoint did not come up within a minute"
}

add_tm() {
  local r n; mapfile -t r < <(memory GET_TM_RESOURCE_PARAMS)
  [ "${#r[@]}" -eq 2 ] || die "Flink could not size the TaskManager; see $DIR/log/bash-java-utils.log"
  n=$(find "$DIR/log" -name 'taskmanager-*.out' | wc -l) # one per TaskManager ever started here
  # Each TaskManager its own RPC ports, never one a killed TaskManager had: the JobManager's Pekko
  # quarantines a dead peer's address, and a new TaskManager on it could not register.
  local ports=(-Dtaskmanager.rpc.port=$((RPC_PORT + 1 + 2 * n)) -Dmetrics.internal.query-service.port=$((RPC_PORT + 2 + 2 * n)))
  # shellcheck disable=SC2086
  nohup java ${r[0]} "${JAVA_OPENS[@]}" "${CONF_OPTS[@]}" -Dlog.file="$DIR/log/taskmanager-$n.log" \
    -Dlog4j.configurationFile="file:$ROOT/ops/log4j-cluster.properties" -cp "$LIB/*" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$CONF" "${DYN[@]}" "${ports[@]}" ${r[1]} \
    > "$DIR/log/taskmanager-$n.out" 2>&1 &
  echo $! > "$DIR/pids/tm-$n"
  echo $! > "$DIR/pids/tm-newest"
  for _ in $(seq 120); do
    kill -0 "$(cat "$DIR/pids/tm-$n")" 2>/dev/null || {
      # What it said, here: a test's directory may be gone by the time anyone reads the log.
      grep -E "ERROR|Exception|Caused by" "$DIR/log/taskmanager-$n.log" 2>/dev/null | tail -15 >&2
      tail -5 "$DIR/log/taskmanager-$n.out" >&2
      die "TaskManager $n died; see $DIR/log/taskmanager-$n.log"; }
    # The REST overview still lists a killed TaskManager for a while: its own log is the sure sign.
    grep -q "Successful registration at resource manager" "$DIR/log/taskmanager-$n.log" 2>/dev/null \
      && { echo "TaskManager $n registered (pid $(cat "$DIR/pids/tm-$n"))"; return; }
    sleep 0.5
  done
  die "TaskManager $n did not register within a minute"
}

flink_cli() {
  FLINK_CONF_DIR=$CONF java "${JAVA_OPENS[@]}" -Dlog.file="$DIR/log/flink-cli.log" \
    -Dlog4j.configurationFile="file:$ROOT/ops/log4j-cli.properties" -cp "$LIB/*" \
    org.apache.flink.client.cli.CliFrontend "$@"
}

# As bin/sql-client.sh runs it: lib/ and the client's, gateway's and Python's jars of opt/, the session
# pointed at this cluster's REST endpoint.
sql_client() {
  lib > /dev/null
  FLINK_CONF_DIR=$CONF java "${JAVA_OPENS[@]}" -Dlog.file="$DIR/log/sql-client.log" \
    -Dlog4j.configurationFile="file:$ROOT/ops/log4j-cli.properties" \
    -cp "$OPT/flink-sql-client-2.2.0.jar:$OPT/flink-sql-gateway-2.2.0.jar:$OPT/flink-python-2.2.0.jar:$LIB/*" \
    org.apache.flink.table.client.SqlClient -D execution.target=remote -D rest.address=localhost \
    -D rest.port="$REST_PORT" "$@"
}

submit() {
  local cli=(run -d -m "localhost:$REST_PORT" "${DYN[@]}") jar=$JAR
  while [ $# -gt 0 ]; do
    case "$1" in
      -s) cli+=(-s "$2"); shift 2 ;;
      -p) cli+=(-p "$2"); shift 2 ;;
      --jar) jar=$2; shift 2 ;;
      --) shift; break ;;
      *) die "submit: unknown option $1 (options before --, then the arguments of pond run)" ;;
    esac
  done
  [ -f "$jar" ] || die "no $jar; build it with: mvn -q -DskipTests package"
  local out; out=$(flink_cli "${cli[@]}" "$jar" run "$@" 2>&1) || { echo "$out" >&2; die "submission failed"; }
  local id; id=$(echo "$out" | sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' | head -1)
  [ -n "$id" ] || { echo "$out" >&2; die "no job id in the CLI's answer"; }
  echo "$id"
}

await_running() {
  local id=$1 timeout=${2:-120}
  for _ in $(seq $((timeout * 2))); do
    if curl -sf "$REST/jobs/$id" | python3 -c '
import json, sys
job = json.load(sys.stdin)
sys.exit(0 if job["state"] == "RUNNING" and all(v["status"] == "RUNNING" for v in job["vertices"]) else 1)'; then
      return 0
    fi
    sleep 0.5
  done
  die "job $id did not run within ${timeout}s: $(curl -s "$REST/jobs/$id" | head -c 300)"
}

await_checkpoint() {
  local id=$1 timeout=${2:-180} since; since=$(($(date +%s%N) / 1000000))
  for _ in $(seq $((timeout * 2))); do
    if curl -sf "$REST/jobs/$id/checkpoints" | python3 -c '
import json, sys
latest = (json.load(sys.stdin).get("latest") or {}).get("completed") or {}
sys.exit(0 if latest.get("trigger_timestamp", 0) >= int(sys.argv[1]) else 1)' "$since"; then
      return 0
    fi
    sleep 0.5
  done
  die "job $id completed no checkpoint within ${timeout}s"
}

await_watermark() {
  local id=$1 target=$2 timeout=${3:-180} vertex
  vertex=$(curl -sf "$REST/jobs/$id" | python3 -c '
import json, sys
print(next(v["id"] for v in json.load(sys.stdin)["vertices"] if "User scoring" in v["name"]))') \
    || die "job $id has no User scoring vertex"
  for _ in $(seq $((timeout * 2))); do
    # The scoring operator's own event time: the watermark it has passed on (timers fire up to it).
    # Not the task's currentInputWatermark: a live job connects the users' events with the model
    # updates, idle for good, and that metric, the lower of the two inputs, stays at its start.
    if python3 - "$REST/jobs/$id/vertices/$vertex/metrics" "$target" <<'PY'
import json, sys, urllib.parse, urllib.request
url, target = sys.argv[1], int(sys.argv[2])
try:
    ids = [m["id"] for m in json.load(urllib.request.urlopen(url))]
    wanted = [i for i in ids if i.endswith(".User_scoring.currentOutputWatermark")]
    values = json.load(urllib.request.urlopen(url + "?get=" + urllib.parse.quote(",".join(wanted)))) if wanted else []
except OSError:
    sys.exit(1)  # the job is (re)starting; ask again
marks = [int(float(m["value"])) for m in values]
sys.exit(0 if marks and min(marks) >= target else 1)
PY
    then
      return 0
    fi
    sleep 0.5
  done
  die "the event time of job $id did not reach $target within ${timeout}s"
}

stop_job() {
  local out; out=$(flink_cli stop -m "localhost:$REST_PORT" --savepointPath "file://$DIR/savepoints" "$1" 2>&1) \
    || { echo "$out" >&2; die "stop with savepoint failed"; }
  echo "$out" | sed -n 's/.*Savepoint completed\. Path: \(.*\)$/\1/p' | head -1
}

stop_all() {
  rm -f "$DIR/pids/tm-newest"
  for f in "$DIR"/pids/tm-* "$DIR/pids/jm"; do
    [ -f "$f" ] || continue
    local p; p=$(cat "$f")
    if kill "$p" 2>/dev/null; then
      for _ in $(seq 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$p" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  echo "cluster stopped"
}

case "${1:-}" in
  start) lib; start_jm; add_tm ;;
  add-tm) lib; add_tm ;;
  kill-tm)
    alive tm-newest || die "no TaskManager of this script runs"
    p=$(cat "$DIR/pids/tm-newest"); kill -9 "$p"
    for f in "$DIR"/pids/tm-[0-9]*; do [ "$(cat "$f")" = "$p" ] && rm -f "$f"; done
    rm -f "$DIR/pids/tm-newest"; echo "killed TaskManager pid $p with SIGKILL" ;;
  submit) shift; submit "$@" ;;
  await-running) await_running "${2:?job id}" "${3:-120}" ;;
  await-checkpoint) await_checkpoint "${2:?job id}" "${3:-180}" ;;
  await-watermark) await_watermark "${2:?job id}" "${3:?epoch millis}" "${4:-180}" ;;
  stop-job) stop_job "${2:?job id}" ;;
  status) curl -sf "$REST/overview" && echo && curl -sf "$REST/jobs/overview" && echo ;;
  stop) stop_all ;;
  flink) shift; flink_cli "$@" ;;
  sql) shift; sql_client "$@" ;;
  *) sed -n '2,31p' "$0"; exit 2 ;;
esac
