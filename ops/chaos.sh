#!/usr/bin/env bash
# Chaos test on a real Flink cluster (ops/cluster.sh) and a real broker (`pond broker`): a seeded
# event stream flows into Pond while its TaskManager is killed with SIGKILL several times (a new
# one started each time); then the job is stopped with a savepoint and resumed at parallelism 1,
# stopped again and resumed at parallelism 2 by a newer build whose UserState has one more field
# (ops/newer-build.sh). At the end `pond verify` reads the outputs read_committed and checks them
# against a failure-free `pond replay` of the same events: every trigger once, none lost, none
# extra; tag changes and profiles consistent and none twice. Exits non-zero if anything fails.
#
#   ops/chaos.sh [--kills N] [--users U] [--days D] [--seconds S] [--seed S] [--no-upgrade]
#                [--garbage-rate R] [--broker-outages N] [--outage-seconds S] [--out-of-orderness HOURS]
#
# --garbage-rate: beside this share of the events a record of random bytes is produced (default
# 0.002); verify checks that each one is a dead letter. --broker-outages: after the TaskManager
# kills, the broker is killed with SIGKILL this many times (default 0), each time started again on
# its directory after --outage-seconds (default 60) while the events flow on. The shop's time runs
# thousands of times faster than the wall clock's here, so an outage's backlog is days of event time:
# give --out-of-orderness (whole hours, default 0: the job's 5 min) longer than the event time that
# flows in an outage, or the inputs that resume last after it have late events (docs/operations.md, Recover).
#
# --seconds: how long the first nine tenths of the stream flow (the events are paced to last that
# long). The last tenth flows after the final resume: a source's watermark is not in a savepoint, so
# a resumed job's event time moves only with new records, and the final check needs it to.
#
# The default is a short run: events flow for 150 s, through the 3 kills, the rescale and the
# upgrade, as far as they last. CI (ClusterChaosIT) runs a shorter one, --kills 2 --seconds 110,
# to keep `mvn verify` within its time. A longer one:
#   ops/chaos.sh --kills 12 --users 3000 --days 30 --seconds 600
# Environment: POND_CHAOS_DIR [target/chaos] for everything it writes; POND_KAFKA_PORT [19092],
# POND_REST_PORT [18081], POND_RPC_PORT [16123]; POND_TM_MEMORY [2g].
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KILLS=3 USERS=300 DAYS=12 SECONDS_=150 SEED=7 UPGRADE=1 GARBAGE=0.002 OUTAGES=0 OUTAGE_SECONDS=60 OOO_HOURS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) KILLS=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --days) DAYS=$2; shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --no-upgrade) UPGRADE=0; shift ;;
    --garbage-rate) GARBAGE=$2; shift 2 ;;
    --broker-outages) OUTAGES=$2; shift 2 ;;
    --outage-seconds) OUTAGE_SECONDS=$2; shift 2 ;;
    --out-of-orderness) OOO_HOURS=$2; shift 2 ;;
    *) echo "chaos.sh: unknown option $1" >&2; sed -n '10,15p' "$0" >&2; exit 2 ;;
  esac
done
for n in "$KILLS" "$USERS" "$DAYS" "$SECONDS_" "$SEED" "$OUTAGES" "$OUTAGE_SECONDS" "$OOO_HOURS"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "chaos.sh: not a whole number: $n" >&2; exit 2; }
done
[[ "$GARBAGE" =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || { echo "chaos.sh: --garbage-rate must be between 0 and 1: $GARBAGE" >&2; exit 2; }

WORK=${POND_CHAOS_DIR:-$ROOT/target/chaos}
rm -rf "$WORK" && mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
KAFKA=localhost:${POND_KAFKA_PORT:-19092}
export POND_CLUSTER_DIR=$WORK/cluster POND_REST_PORT=${POND_REST_PORT:-18081} POND_RPC_PORT=${POND_RPC_PORT:-16123}
export POND_TM_MEMORY=${POND_TM_MEMORY:-2g}
JAR=$ROOT/target/pond.jar
CLUSTER=$ROOT/ops/cluster.sh
START=2026-01-01T00:00:00Z
GROUP=pond-chaos
# A partition that gets no record after a restore holds event time back until it counts as idle:
# 10 s here instead of a minute, so the test need not wait that long for the timers to fire.
RUN_ARGS=(--bootstrap-servers "$KAFKA" --group-id "$GROUP" --transactional-id-prefix "$GROUP" --replication-factor 1
  --idleness 10s)
OOO_ARGS=()
[ "$OOO_HOURS" -gt 0 ] && OOO_ARGS=(--out-of-orderness "${OOO_HOURS}h")
RUN_ARGS+=("${OOO_ARGS[@]}")
[ -f "$JAR" ] || { echo "chaos.sh: no $JAR; build it with: mvn -q -DskipTests package" >&2; exit 2; }

pond() { java -jar "$JAR" "$@"; }  # in the foreground; what runs in the background is started as java itself, to be stopped
say() { echo "chaos: $(date +%T) $*"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

BROKER_PID= GEN_PID=
cleanup() {
  [ -n "$GEN_PID" ] && kill "$GEN_PID" 2>/dev/null || true
  "$CLUSTER" stop > /dev/null 2>&1 || true
  if [ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null; then wait "$BROKER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

# `pond broker` on $WORK/kafka; started again on the same directory after a kill, it has what it had.
start_broker() {
  local log=$WORK/broker-$1.log
  java -jar "$JAR" broker --port "${KAFKA#*:}" --dir "$WORK/kafka" > "$log" 2>&1 &
  BROKER_PID=$!
  for _ in $(seq 120); do grep -q "Kafka is up" "$log" && return 0; kill -0 $BROKER_PID || { cat "$log"; exit 1; }; sleep 0.5; done
  echo "chaos.sh: the broker did not come up:" >&2; cat "$log" >&2; exit 1
}

say "broker at $KAFKA, cluster REST at localhost:$POND_REST_PORT, files in $WORK"
start_broker 0
"$CLUSTER" start

# The same seeded events twice: as files for the replay, and into Kafka while the job runs.
GEN_ARGS=(--users "$USERS" --days "$DAYS" --seed "$SEED" --start "$START")
pond generate "${GEN_ARGS[@]}" --out "$WORK/events" > "$WORK/generate-files.log"
# Into Kafka with garbage beside the events; a producer that waits out a broker outage (its sends
# block while it has no metadata) instead of failing after 15 s.
printf 'max.block.ms=300000\ndelivery.timeout.ms=300000\n' > "$WORK/producer.properties"
PRODUCE_ARGS=("${GEN_ARGS[@]}" --bootstrap-servers "$KAFKA" --garbage-rate "$GARBAGE" --client-properties "$WORK/producer.properties")
EVENTS=$(cat "$WORK"/events/*.jsonl | wc -l)
HEAD=$(( EVENTS - EVENTS / 10 ))
RATE=$(( (HEAD + SECONDS_ - 1) / SECONDS_ ))
JOB=$("$CLUSTER" submit -- "${RUN_ARGS[@]}" --create-topics --partitions 4)
"$CLUSTER" await-running "$JOB"
say "job $JOB runs; streaming $HEAD of $EVENTS events at $RATE per second"
java -jar "$JAR" generate "${PRODUCE_ARGS[@]}" --rate "$RATE" --limit "$HEAD" \
  > "$WORK/generate-kafka.log" 2>&1 &
GEN_PID=$!

RANDOM=$SEED
RECOVERIES=()
for k in $(seq "$KILLS"); do
  sleep $((3 + RANDOM % 8))
  "$CLUSTER" kill-tm > /dev/null
  t0=$(now_ms)
  "$CLUSTER" add-tm > /dev/null
  "$CLUSTER" await-checkpoint "$JOB"
  RECOVERIES+=($(($(now_ms) - t0)))
  say "kill $k: TaskManager killed with SIGKILL, a new one started; a checkpoint completed $((RECOVERIES[-1])) ms later"
done

OUTAGE_RECOVERIES=()
for k in $(seq "$OUTAGES"); do
  sleep $((3 + RANDOM % 8))
  kill -9 "$BROKER_PID"; wait "$BROKER_PID" 2>/dev/null || true
  sleep "$OUTAGE_SECONDS"
  start_broker "$k"
  grep -q "as it was left" "$WORK/broker-$k.log" || { echo "chaos.sh: the broker did not start on what it left:" >&2; cat "$WORK/broker-$k.log" >&2; exit 1; }
  t0=$(now_ms)
  "$CLUSTER" await-checkpoint "$JOB" 300
  OUTAGE_RECOVERIES+=($(($(now_ms) - t0)))
  say "outage $k: broker killed with SIGKILL for ${OUTAGE_SECONDS} s, started again on its directory; a checkpoint completed $((OUTAGE_RECOVERIES[-1])) ms later"
done

SP=$("$CLUSTER" stop-job "$JOB")
JOB=$("$CLUSTER" submit -s "$SP" -p 1 -- "${RUN_ARGS[@]}")
"$CLUSTER" await-checkpoint "$JOB"
say "rescaled 2 -> 1: stopped with savepoint $SP, resumed as job $JOB"

NEWER=$ROOT/target/pond-job.jar
if [ "$UPGRADE" = 1 ]; then
  NEWER=$("$ROOT/ops/newer-build.sh" "$WORK/newer")
  say "built the newer version (UserState + upgradeNote): $NEWER"
fi
SP=$("$CLUSTER" stop-job "$JOB")
JOB=$("$CLUSTER" submit -s "$SP" -p 2 --jar "$NEWER" -- "${RUN_ARGS[@]}")
"$CLUSTER" await-checkpoint "$JOB"
say "rescaled 1 -> 2$([ "$UPGRADE" = 1 ] && echo ' with the newer build'): resumed from $SP as job $JOB"

wait "$GEN_PID" || { GEN_PID=; echo "chaos.sh: producing the events failed:" >&2; cat "$WORK/generate-kafka.log" >&2; exit 1; }
GEN_PID=
say "the first $HEAD events produced: $(cat "$WORK/generate-kafka.log")"
java -jar "$JAR" generate "${PRODUCE_ARGS[@]}" --rate "$RATE" --skip "$HEAD" \
  > "$WORK/generate-tail.log" 2>&1 || { echo "chaos.sh: producing the last events failed:" >&2; cat "$WORK/generate-tail.log" >&2; exit 1; }
say "the last $((EVENTS - HEAD)) events produced after the resume: $(cat "$WORK/generate-tail.log")"
pond lag --bootstrap-servers "$KAFKA" --group-id "$GROUP" --await 5m
# Triggers are compared up to 6 hours before the stream's end: the live watermark must be past that
# (every timer up to there fired) before the job stops. Its savepoint commits the last transactions.
UNTIL=$(python3 -c 'import datetime, sys
print((datetime.datetime(2026, 1, 1) + datetime.timedelta(days=int(sys.argv[1]), hours=-6 - int(sys.argv[2]))).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$DAYS" "$OOO_HOURS")
UNTIL_MS=$(python3 -c 'import datetime, sys
print(int(datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp() * 1000))' "$UNTIL")
"$CLUSTER" await-watermark "$JOB" "$UNTIL_MS"
SP=$("$CLUSTER" stop-job "$JOB")
say "caught up, event time past $UNTIL, stopped with savepoint $SP"

pond replay "${OOO_ARGS[@]}" --clicks "$WORK/events/clicks.jsonl" --reads "$WORK/events/reads.jsonl" \
  --orders "$WORK/events/orders.jsonl" --out "$WORK/replay" > "$WORK/replay.log"
# Every record of random bytes the two producers sent is one dead letter, no more, no fewer.
GARBAGE_SENT=$(cat "$WORK/generate-kafka.log" "$WORK/generate-tail.log" | awk '{ if (match($0, /, and [0-9]+ records of random bytes/)) { split(substr($0, RSTART), w, " "); n += w[3] } } END { print n + 0 }')
status=0
pond verify --bootstrap-servers "$KAFKA" --replay "$WORK/replay" --until "$UNTIL" --expect-dead-letters "$GARBAGE_SENT" \
  | tee "$WORK/verify.txt" || status=$?
say "kills $KILLS, recovery to a completed checkpoint (ms): ${RECOVERIES[*]}"
[ "$OUTAGES" -gt 0 ] && say "broker outages $OUTAGES of ${OUTAGE_SECONDS} s, recovery to a completed checkpoint (ms): ${OUTAGE_RECOVERIES[*]}"
say "$EVENTS events and $GARBAGE_SENT records of random bytes"
[ "$status" -eq 0 ] && say "PASSED" || say "FAILED (see $WORK)"
exit "$status"
