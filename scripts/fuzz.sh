#!/usr/bin/env bash
# Runs each libFuzzer target of Fuzz/ for SECONDS seconds on its committed
# corpus (Fuzz/Corpus/<target>), writing new inputs to .build/fuzz/<target>
# (the committed corpus does not grow by itself) and any crash, leak, timeout
# or out-of-memory input to .build/fuzz/artifacts/. Prints one line per
# target and a total; exits non-zero when any target found something.
#
#   scripts/fuzz.sh SECONDS          (make fuzz / make stress call it)
set -uo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/Fuzz/.build/release"
out="$root/.build/fuzz"
mkdir -p "$out/artifacts"
total=0
failures=0
for pair in FuzzRecord:record FuzzImport:import FuzzCommand:command; do
    target=${pair%%:*}
    corpus=${pair##*:}
    mkdir -p "$out/$corpus"
    log="$out/$target.log"
    # -timeout: one input may take 10 s at most (a hang is a finding);
    # -malloc_limit_mb: no single allocation above 256 MiB;
    # -rss_limit_mb: the whole process stays under 2 GiB (AddressSanitizer included).
    "$bin/$target" "$out/$corpus" "$root/Fuzz/Corpus/$corpus" \
        -max_total_time="$seconds" -timeout=10 -malloc_limit_mb=256 -rss_limit_mb=2048 \
        -max_len=65536 -artifact_prefix="$out/artifacts/$target-" -print_final_stats=1 > "$log" 2>&1
    status=$?
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
    runs=${runs:-0}
    total=$((total + runs))
    if [ "$status" -ne 0 ]; then
        failures=$((failures + 1))
        echo "fuzz $target: FOUND A PROBLEM after $runs executions (exit $status), see $log and $out/artifacts/"
        grep -E "ERROR|broken promise|Fatal error" "$log" | head -5
    else
        echo "fuzz $target: $runs executions in ${seconds} s, nothing found"
    fi
done
echo "fuzz executions: $total, targets with findings: $failures"
[ "$failures" -eq 0 ]
