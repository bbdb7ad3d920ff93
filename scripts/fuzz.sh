#!/usr/bin/env bash
# Builds baton-fuzz with libFuzzer and the address sanitizer and runs each fuzz target for FUZZ_SECONDS seconds
# (default 60) or, with FUZZ_RUNS, for a number of executions (FUZZ_SECONDS then only caps the time, default
# 900): FUZZ_RUNS=N for every target, or per target as FUZZ_RUNS="query=30000 xml=1500" (a target not named
# runs for the time). It starts from the seed corpus in Tests/Fuzz/TARGET. Prints each target's executions, coverage
# and corpus size; exits non-zero on the first crash, leak, hang or out-of-memory, with the input saved as
# .build-fuzz/crash-TARGET-* (add it to Tests/Fuzz/TARGET once fixed, so the tests replay it).
# FUZZ_SEED=N fixes libFuzzer's random seed and, with FUZZ_RUNS, makes a run repeatable: the same inputs in the
# same order on any machine (Swift's hashing is made deterministic too), which is what CI runs, so that what it
# runs has been run here first. Without a seed every run explores afresh.
#   FUZZ_SECONDS=300 FUZZ_TARGETS="query index" scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${FUZZ_RUNS:-}
if [ -n "$runs" ]; then seconds=${FUZZ_SECONDS:-900}; else seconds=${FUZZ_SECONDS:-60}; fi
targets=${FUZZ_TARGETS:-"query frontmatter index html xml office markdown"}
echo "Building baton-fuzz with libFuzzer and AddressSanitizer (.build-fuzz)…"
swift build --scratch-path .build-fuzz --product baton-fuzz -Xswiftc -sanitize=fuzzer,address \
  -Xswiftc -DBATON_LIBFUZZER -Xswiftc -use-ld=lld 2>&1 | grep -v "Cannot export local symbol" | tail -1
binary=.build-fuzz/debug/baton-fuzz
# With a seed, addresses are not randomised either (where setarch allows it): libFuzzer learns from the values
# the code compares, and an address among them would make two runs differ.
norandom=""
if [ -n "${FUZZ_SEED:-}" ] && setarch "$(uname -m)" -R true 2>/dev/null; then norandom="setarch $(uname -m) -R"; fi
summary=""
for target in $targets; do
  corpus=$(mktemp -d "${TMPDIR:-/tmp}/baton-fuzz-$target.XXXXXX")
  cp Tests/Fuzz/"$target"/* "$corpus"/
  seeds=$(ls "$corpus" | wc -l)
  log=.build-fuzz/fuzz-$target.log
  # This target's number of executions: the one number, or its entry in the list.
  target_runs=""
  for entry in $runs; do
    case "$entry" in
      "$target="*) target_runs=${entry#*=} ;;
      *=*) ;;
      *) target_runs=$entry ;;
    esac
  done
  if [ -n "$target_runs" ]; then echo "Fuzzing $target for $target_runs executions from $seeds seeds…"
  else echo "Fuzzing $target for $seconds s from $seeds seeds…"; fi
  status=0
  LSAN_OPTIONS="suppressions=$PWD/Tests/Fuzz/lsan-suppressions.txt:print_suppressions=0" \
  SWIFT_DETERMINISTIC_HASHING=1 SWIFT_BACKTRACE=enable=no BATON_FUZZ_TARGET=$target $norandom "$binary" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 \
    -max_len=65536 -artifact_prefix=.build-fuzz/crash-"$target"- -print_final_stats=1 ${FUZZ_SEED:+-seed=$FUZZ_SEED} ${target_runs:+-runs=$target_runs} \
    >"$log" 2>&1 || status=$?
  done_runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
  size=$(ls "$corpus" | wc -l)
  rm -rf "$corpus"
  if [ "$status" -ne 0 ]; then
    echo "FAILED: $target (exit $status); the end of $log:"
    tail -40 "$log"
    exit 1
  fi
  line="$target: $done_runs executions, coverage $cov edges, corpus $seeds → $size inputs, no crash"
  echo "  $line"
  summary="$summary$line"$'\n'
done
echo
if [ -n "$runs" ]; then echo "Fuzzing done (executions: $runs):"; else echo "Fuzzing done ($seconds s a target):"; fi
printf '%s' "$summary"
