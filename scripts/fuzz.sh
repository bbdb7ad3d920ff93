#!/usr/bin/env bash
# Builds baton-fuzz with libFuzzer and the address sanitizer and runs each fuzz target for FUZZ_SECONDS seconds
# (default 60), starting from the seed corpus in Tests/Fuzz/TARGET. Prints each target's executions, coverage
# and corpus size; exits non-zero on the first crash, leak, hang or out-of-memory, with the input saved as
# .build-fuzz/crash-TARGET-* (add it to Tests/Fuzz/TARGET once fixed, so the tests replay it).
# FUZZ_SEED=N fixes libFuzzer's random seed, so a run explores the same inputs each time (CI does this: what it
# runs has been run here first, for longer); without it every run explores afresh.
#   FUZZ_SECONDS=300 FUZZ_TARGETS="query index" scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-"query frontmatter index html xml"}
echo "Building baton-fuzz with libFuzzer and AddressSanitizer (.build-fuzz)…"
swift build --scratch-path .build-fuzz --product baton-fuzz -Xswiftc -sanitize=fuzzer,address \
  -Xswiftc -DBATON_LIBFUZZER -Xswiftc -use-ld=lld 2>&1 | grep -v "Cannot export local symbol" | tail -1
binary=.build-fuzz/debug/baton-fuzz
summary=""
for target in $targets; do
  corpus=$(mktemp -d "${TMPDIR:-/tmp}/baton-fuzz-$target.XXXXXX")
  cp Tests/Fuzz/"$target"/* "$corpus"/
  seeds=$(ls "$corpus" | wc -l)
  log=.build-fuzz/fuzz-$target.log
  echo "Fuzzing $target for $seconds s from $seeds seeds…"
  status=0
  SWIFT_BACKTRACE=enable=no BATON_FUZZ_TARGET=$target "$binary" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 \
    -max_len=65536 -artifact_prefix=.build-fuzz/crash-"$target"- -print_final_stats=1 ${FUZZ_SEED:+-seed=$FUZZ_SEED} \
    >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
  size=$(ls "$corpus" | wc -l)
  rm -rf "$corpus"
  if [ "$status" -ne 0 ]; then
    echo "FAILED: $target (exit $status); the end of $log:"
    tail -40 "$log"
    exit 1
  fi
  line="$target: $runs executions, coverage $cov edges, corpus $seeds → $size inputs, no crash"
  echo "  $line"
  summary="$summary$line"$'\n'
done
echo
echo "Fuzzing done ($seconds s a target):"
printf '%s' "$summary"
