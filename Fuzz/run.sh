#!/usr/bin/env bash
# Builds the libFuzzer target FuzzDecode and runs it for SECONDS (default 60) on a
# corpus seeded from Fuzz/Corpus/ and from the IKE messages in Tests/Fixtures/ (captures
# and .hex files). Exits non-zero if the fuzzer finds a crash, printing the input as hex;
# the input is also kept as Fuzz/crash-<sha1> (ignored by git) so it can become a named
# regression test in Tests/IKEWireTests/FuzzRegressionTests.swift.
#
#   Fuzz/run.sh [SECONDS]
#   FUZZ_CORPUS=DIR   keep the growing corpus in DIR instead of a temporary folder
#   FUZZ_JOBS=N       run N fuzzer processes (default 1)
set -euo pipefail

seconds=${1:-60}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
scratch=${FUZZ_SCRATCH_PATH:-$here/.build-fuzz}
jobs=${FUZZ_JOBS:-1}

# `--sanitize=fuzzer` makes SwiftPM link libFuzzer's main instead of the target's; the
# swiftc flag must name both sanitizers in one option (given twice, swiftc keeps only the
# last, and IKEWire would get no coverage instrumentation).
build=(swift build -c release --scratch-path "$scratch" --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address)
echo "== fuzz: building FuzzDecode"
(cd "$here" && "${build[@]}" --product FuzzDecode)
bin="$(cd "$here" && "${build[@]}" --show-bin-path)/FuzzDecode"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus=${FUZZ_CORPUS:-$work/corpus}
mkdir -p "$corpus" "$work/artifacts"
cp "$here"/Corpus/* "$corpus"/ 2>/dev/null || true
python3 "$here/extract-seeds.py" "$corpus" "$root/Tests/Fixtures"

echo "== fuzz: FuzzDecode for ${seconds}s, corpus $corpus ($(ls "$corpus" | wc -l) files)"
set +e
# The Swift runtime's backtracer and ASan both handle the crash signal; keep ASan's report.
export SWIFT_BACKTRACE=enable=no
(cd "$work" && "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    -jobs="$jobs" -workers="$jobs" -artifact_prefix="$work/artifacts/" "$corpus" 2>&1) | tee "$work/fuzz.log" \
    | grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)'
status=${PIPESTATUS[0]}
set -e
if [ "$jobs" -gt 1 ]; then cat "$work"/fuzz-*.log 2>/dev/null | grep -E 'stat::|ERROR|Done' || true; fi

artifacts=("$work"/artifacts/*)
if [ "$status" -ne 0 ] || [ -e "${artifacts[0]}" ]; then
    echo "== fuzz: FAILED (libFuzzer exit $status)"
    for artifact in "${artifacts[@]}"; do
        [ -e "$artifact" ] || continue
        name="$(basename "$artifact" | cut -d- -f1)-$(sha1sum "$artifact" | cut -c1-40)"
        cp "$artifact" "$here/$name"
        echo "input ($(wc -c < "$artifact") bytes, kept as Fuzz/$name):"
        od -An -v -tx1 "$artifact" | tr -d ' \n'
        echo
    done
    exit 1
fi
echo "== fuzz: no crash in ${seconds}s"
