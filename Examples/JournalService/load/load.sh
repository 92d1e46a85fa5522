#!/usr/bin/env bash
# make load: the reference service under a school morning's load, on loopback.
#
#   1. journal-load seed: a fresh ledger with LOAD_PARENTS students and
#      parents (500) and LOAD_TEACHERS teachers (40), and the scripts' inputs;
#   2. journal-service (release) on 127.0.0.1:LOAD_PORT;
#   3. for LOAD_SECONDS (30), at once: wrk with diary.lua (parents reading,
#      LOAD_READERS connections, each pausing LOAD_DIARY_DELAY_MS) and wrk
#      with marks.lua (40 teachers' marks, LOAD_WRITERS connections, each
#      pausing LOAD_MARK_DELAY_MS); halfway, the head enters a breach
#      notice for teacher-01 with curl;
#   4. the service's memory, then SIGTERM (it drains and syncs);
#   5. journal-load check (acknowledged marks kept, refusals appended
#      nothing, the voids equal clause 11's rule) and schoolledger rebuild --check.
#
# Prints the figures per route and the checks; exits non-zero when a check fails.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
SWIFT="${SWIFT:-swift}"
seconds="${LOAD_SECONDS:-30}"
port="${LOAD_PORT:-8091}"
work="${LOAD_WORK:-$(mktemp -d /tmp/journal-load.XXXXXX)}"
readers="${LOAD_READERS:-64}"
writers="${LOAD_WRITERS:-12}"
export LOAD_DIARY_DELAY_MS="${LOAD_DIARY_DELAY_MS:-23}"
export LOAD_MARK_DELAY_MS="${LOAD_MARK_DELAY_MS:-48}"
export LOAD_RUN="$work/run"
export LOAD_SCRIPTS="$here/load"

command -v wrk >/dev/null || { echo "load: wrk is missing (apt-get install wrk)"; exit 1; }
cd "$here"
"$SWIFT" build -c release --product journal-service >/dev/null
"$SWIFT" build -c release --product journal-load >/dev/null
bin="$("$SWIFT" build -c release --show-bin-path)"
schoolledger="$(cd "$root" && "$SWIFT" build --show-bin-path)/schoolledger"
[ -x "$schoolledger" ] || (cd "$root" && "$SWIFT" build --product schoolledger >/dev/null)

rm -rf "$work/ledger" "$work/run"
"$bin/journal-load" seed --ledger "$work/ledger" --out "$work/run" --jwt-secret "$work/jwt-secret" \
  --parents "${LOAD_PARENTS:-500}" --teachers "${LOAD_TEACHERS:-40}"

"$bin/journal-service" --ledger "$work/ledger" --jwt-secret "$work/jwt-secret" --port "$port" >"$work/service.log" 2>&1 &
service=$!
trap 'kill -TERM $service 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

echo "load: ${seconds} s on 127.0.0.1:$port, $readers diary connections (pause ${LOAD_DIARY_DELAY_MS} ms), $writers mark connections (pause ${LOAD_MARK_DELAY_MS} ms); nproc $(nproc)"
wrk -t2 -c"$readers" -d"${seconds}s" -s "$here/load/diary.lua" "http://127.0.0.1:$port" >"$work/diary.out" 2>&1 &
reads=$!
wrk -t"$writers" -c"$writers" -d"${seconds}s" -s "$here/load/marks.lua" "http://127.0.0.1:$port" >"$work/marks.out" 2>&1 &
writes=$!
sleep "$((seconds / 2))"
notice="$(curl -s -o "$work/notice.answer" -w '%{http_code} %{time_total}' -X POST "http://127.0.0.1:$port/v1/breach-notices" \
  -H "Authorization: Bearer $(cat "$work/run/head.txt")" -H 'Content-Type: application/json' --data @"$work/run/notice.json")"
wait "$reads" "$writes"
grep '^route' "$work/diary.out" "$work/marks.out" -h || { cat "$work/diary.out" "$work/marks.out"; exit 1; }
echo "route POST /v1/breach-notices (halfway): status ${notice% *}, ${notice#* } s, $(cat "$work/notice.answer")"
echo "service memory: $(grep -E '^(VmRSS|VmHWM)' /proc/$service/status | tr -s ' \t' ' ' | paste -sd ',' | sed 's/VmHWM/peak/; s/VmRSS/now/')"

kill -TERM "$service"
wait "$service" || true
trap - EXIT
tail -1 "$work/service.log"

status=0
"$bin/journal-load" check --ledger "$work/ledger" --out "$work/run" || status=1
if "$schoolledger" rebuild --ledger "$work/ledger" --check >"$work/rebuild.out" 2>&1; then
  echo "check: rebuild --check is clean: $(tail -1 "$work/rebuild.out"): holds"
else
  echo "check: rebuild --check: FAILS"; cat "$work/rebuild.out"; status=1
fi
echo "load: the run's files are in $work"
exit $status
