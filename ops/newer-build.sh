#!/usr/bin/env bash
# Builds "the next version" of Pond for the upgrade test: this checkout's sources with one optional
# field added to the stored UserState (schemas/state/UserState.avsc), as a later release might add
# one. Its job jar must resume from a savepoint of this version with every user's state intact.
#
#   ops/newer-build.sh OUT_DIR      prints the path of the newer job jar (pond-job.jar)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:?usage: ops/newer-build.sh OUT_DIR}
rm -rf "$OUT" && mkdir -p "$OUT"
cp -r "$ROOT/pom.xml" "$ROOT/src" "$ROOT/schemas" "$ROOT/flink-conf" "$OUT/"
rm -rf "$OUT/src/test"
python3 - "$OUT/schemas/state/UserState.avsc" <<'PY'
import json, sys
path = sys.argv[1]
schema = json.load(open(path))
schema["fields"].append({"name": "upgradeNote", "type": ["null", "string"], "default": None,
                         "doc": "Added by ops/newer-build.sh: a field a newer release stores; null for every restored user."})
json.dump(schema, open(path, "w"), indent=2)
PY
(cd "$OUT" && mvn -q -o -DskipTests package > "$OUT/build.log" 2>&1) || { tail -20 "$OUT/build.log" >&2; exit 1; }
echo "$OUT/target/pond-job.jar"
