#!/usr/bin/env bash
# make stress: the long runs of the reliability suite, then one report.
#
#   scripts/stress.sh ROUNDS FUZZ_SECONDS
#
# 1. The tests that take a stress level, with SCHOOLLEDGER_STRESS_ROUNDS=ROUNDS:
#    SIGKILL loops (batched and group-committed appends, breach notices being
#    voided, blue/green rebuilds), two service processes appending while the
#    CLI rebuilds, verifies and audits, a million-line import in bounded
#    memory, a full and a read-only file system, damaged files on open,
#    hostile input and commands, the invalidator's 1,000-history oracle,
#    clause 11's 1,000 random histories by every path, the read-model row
#    properties at twice make test's histories, the rights matrix,
#    and a synchronous PostgreSQL replica promoted after its primary is killed. Each test adds what it tried to a counter file.
# 2. Each libFuzzer target for FUZZ_SECONDS (scripts/fuzz.sh).
# 3. The counters, and failures: 0 or the exit status says otherwise.
set -uo pipefail
rounds=${1:-60}
fuzz_seconds=${2:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
report="$root/.build/stress-report.tsv"
log="$root/.build/stress.log"
rm -f "$report"
start=$(date +%s)

SCHOOLLEDGER_STRESS_ROUNDS=$rounds SCHOOLLEDGER_STRESS_REPORT=$report scripts/test-postgres.sh run swift test -Xswiftc -warnings-as-errors \
    --filter "ClauseElevenRandomPathsTests|PostgresReplicaTests|JournalRowsPropertyTests|OutboxRowsPropertyTests|ParentRowsPropertyTests|ProjectionPropertyTests|CrashTests|InvalidatorCrashTests|ProjectionProcessTests|MultiProcessTests|LargeImportTests|FileSystemTests|OpeningTests|InvalidatorOracleTests|HostileInputTests|JournalCommandTests|RightsMatrixTests|IntegrityRulesTests" \
    > "$log" 2>&1
test_status=$?
grep -E "✘" "$log" | head -20
summary=$(grep -E "Test run with" "$log" | tail -1)
tests=$(echo "$summary" | grep -Eo 'with [0-9]+ test' | grep -Eo '[0-9]+' || echo 0)
issues=$(echo "$summary" | grep -Eo '[0-9]+ issue' | grep -Eo '[0-9]+' || echo 0)
skipped=$(grep -c "skipped:" "$log" || true)
grep -E "skipped:" "$log" | sed 's/^/  /'

scripts/fuzz.sh "$fuzz_seconds" | tee "$root/.build/stress-fuzz.log"
fuzz_status=${PIPESTATUS[0]}
fuzz_runs=$(grep -Eo 'fuzz executions: [0-9]+' "$root/.build/stress-fuzz.log" | grep -Eo '[0-9]+$' || echo 0)
fuzz_findings=$(grep -Eo 'targets with findings: [0-9]+' "$root/.build/stress-fuzz.log" | grep -Eo '[0-9]+$' || echo 1)

count() { awk -F'\t' -v name="$1" '$1 == name { total += $2 } END { print total + 0 }' "$report" 2>/dev/null || echo 0; }
failures=$(( ${issues:-0} + ${fuzz_findings:-0} ))
if [ "$test_status" -ne 0 ] && [ "$failures" -eq 0 ]; then failures=1; fi
echo
echo "== make stress: $(( $(date +%s) - start )) s (rounds per kill loop: $rounds, fuzzing: ${fuzz_seconds} s per target) =="
printf '%-40s %12s\n' \
    "tests run" "${tests:-0}" \
    "tests skipped (reason above)" "$skipped" \
    "kills survived (SIGKILL)" "$(count 'kills survived')" \
    "fuzz executions" "$fuzz_runs" \
    "hostile inputs tried" "$(count 'hostile inputs')" \
    "refusals checked (rights matrix)" "$(count 'refusals checked')" \
    "random histories against the oracle" "$(count 'random histories against the oracle')" \
    "lines imported (bounded memory)" "$(count 'import lines')" \
    "processes run side by side" "$(count 'processes run side by side')" \
    "failures" "$failures"
echo "logs: $log, $root/.build/stress-fuzz.log"
[ "$test_status" -eq 0 ] && [ "$fuzz_status" -eq 0 ]
