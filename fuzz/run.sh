#!/usr/bin/env bash
# `make fuzz`: builds every fuzz target with cargo-fuzz (libFuzzer) on stable Rust and runs each
# for FUZZ_SECONDS, new inputs kept in fuzz/work/ (not in git), the seeds read from
# fuzz/corpus/. Exits non-zero when a target crashes (a panic, a broken invariant, an input
# taking more than FUZZ_TIMEOUT seconds or more than FUZZ_RSS_MB of memory); the input that did
# it is left in fuzz/artifacts/TARGET/ (docs/reliability.md says how it becomes a regression
# test). Environment:
#   FUZZ_SECONDS   seconds per target (default 20)
#   FUZZ_TARGETS   the targets to run (default: all)
#   FUZZ_SANITIZER none (default) or address: see docs/reliability.md
#   FUZZ_TIMEOUT   seconds one input may take (default 10)
#   FUZZ_RSS_MB    memory one run may take (default 2048)
#   FUZZ_NICE      niceness of the runs (default 10: the machine is shared)
#   CARGO_FUZZ     the cargo-fuzz binary (default: installed in fuzz/.tools by the Makefile)
set -uo pipefail
cd "$(dirname "$0")"

seconds=${FUZZ_SECONDS:-20}
sanitizer=${FUZZ_SANITIZER:-none}
timeout=${FUZZ_TIMEOUT:-10}
rss=${FUZZ_RSS_MB:-2048}
niceness=${FUZZ_NICE:-10}
cargo_fuzz=${CARGO_FUZZ:-$PWD/.tools/bin/cargo-fuzz}
targets=${FUZZ_TARGETS:-profile_toml sheet_csv sheet_xlsx values uscc rulebook rubric serve evaluation_round}

# The largest input each target is given: a workbook or a rulebook is larger than a value.
max_len() {
    case $1 in
        values | uscc) echo 256 ;;
        sheet_xlsx | evaluation_round | rulebook | rubric) echo 65536 ;;
        *) echo 16384 ;;
    esac
}

dict() {
    case $1 in
        profile_toml | serve) echo "-dict=dict/toml.dict" ;;
        sheet_csv | sheet_xlsx | evaluation_round) echo "-dict=dict/sheet.dict" ;;
    esac
}

# -Zsanitizer is a nightly flag: RUSTC_BOOTSTRAP=1 lets the stable compiler take it. Without a
# sanitizer the coverage instrumentation alone needs nothing unstable, but the variable does
# no harm either way.
export RUSTC_BOOTSTRAP=1

if [ -z "${FUZZ_TARGETS:-}" ]; then
    nice -n "$niceness" "$cargo_fuzz" build --sanitizer "$sanitizer" || exit 2
else
    for target in $targets; do
        nice -n "$niceness" "$cargo_fuzz" build --sanitizer "$sanitizer" "$target" || exit 2
    done
fi

failed=()
summary=()
for target in $targets; do
    mkdir -p "work/$target" "artifacts/$target"
    log="work/$target.log"
    echo "== fuzz $target for ${seconds}s"
    # shellcheck disable=SC2046
    nice -n "$niceness" "$cargo_fuzz" run --sanitizer "$sanitizer" "$target" \
        "work/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss" \
        -max_len="$(max_len "$target")" $(dict "$target") \
        -print_final_stats=1 \
        2>&1 | tee "$log" | grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|==[0-9]+==|.*panicked|SUMMARY|Done )'
    status=${PIPESTATUS[0]}
    runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
    speed=$(grep -oE '^stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$')
    last=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -n 1)
    cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | grep -oE '[0-9]+')
    ft=$(grep -oE 'ft: [0-9]+' <<<"$last" | grep -oE '[0-9]+')
    corpus=$(grep -oE 'corp: [0-9]+' <<<"$last" | grep -oE '[0-9]+')
    summary+=("$(printf '%-16s %5s  runs %9s  exec/s %6s  cov %6s  ft %6s  corpus %5s' \
        "$target" "$([ "$status" = 0 ] && echo ok || echo CRASH)" "${runs:--}" "${speed:--}" \
        "${cov:--}" "${ft:--}" "${corpus:--}")")
    if [ "$status" != 0 ]; then
        failed+=("$target")
        echo "!! $target failed (exit $status): see fuzz/$log and fuzz/artifacts/$target/"
    fi
done

echo
echo "target           result       executions          speed        coverage   features   corpus"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "crashed: ${failed[*]}"
    exit 1
fi
