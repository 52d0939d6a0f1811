#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for SECONDS (default 60):
#
# - FuzzDecode: the IKEWire decoder, on a corpus seeded from Fuzz/Corpus/ and from the
#   IKE messages in Tests/Fixtures/ (captures and .hex files);
# - FuzzResponder: a responder engine past IKE_SA_INIT/IKE_AUTH on the insecure test
#   provider (IKETestSupport.ResponderFuzzHarness), on a corpus seeded with the
#   harness's crafted inputs (written by the binary itself) and Fuzz/CorpusResponder/;
# - FuzzInitiator: an initiator engine on the insecure test provider fed mutated
#   responses (IKETestSupport.InitiatorFuzzHarness), on a corpus seeded with the
#   harness's crafted inputs (written by the binary itself);
# - FuzzESPOpen: ESPCore's open on one inbound SA of four suites, with and without ESN,
#   fed raw packets and packets sealed by the matching outbound SA (seeds written here);
# - FuzzDataPlane: the daemon's inbound data plane after ESP open (CygnetDaemon's
#   DataPlaneFuzzHarness): the NAT-T port's sorting, ESP opened and checked against
#   traffic selectors from the input (AES-GCM or NULL), TCP segments merged for the TUN
#   device, and the route prefixes of those selectors; seeded by the binary itself;
# - FuzzEAP: EAPCore's packet decoder (round trip) and its authenticator and peer for
#   MSCHAPv2 and MD5-Challenge, each fed a packet after 0-3 clean rounds; seeded by the
#   binary itself with each clean message;
# - FuzzRADIUS: the daemon's RADIUS answer path (CygnetDaemon's RADIUSFuzzHarness):
#   decoding, the Response Authenticator and Message-Authenticator checks, and what the
#   EAP backend makes of an answer (optionally signed first so the fuzzer gets past the
#   checks); seeded by the binary itself.
#
# With no TARGET all seven run, one after the other, SECONDS each (so `Fuzz/run.sh 60`, as
# .ci/run calls it, takes about seven minutes of fuzzing plus the build).
# Exits non-zero if a fuzzer finds a crash, printing the input as hex; the input is also
# kept as Fuzz/crash-<sha1> (ignored by git) so it can become a named regression test
# (Tests/IKEWireTests/FuzzRegressionTests.swift for FuzzDecode,
# Tests/IKECoreTests/FuzzResponderRegressionTests.swift for FuzzResponder,
# Tests/IKECoreTests/FuzzInitiatorRegressionTests.swift for FuzzInitiator, Tests/ESPCoreTests
# for FuzzESPOpen, Tests/CygnetDaemonTests/DataPlane for FuzzDataPlane, Tests/EAPCoreTests
# for FuzzEAP, Tests/CygnetDaemonTests/AAA for FuzzRADIUS).
#
#   Fuzz/run.sh [SECONDS] [TARGET]      TARGET: FuzzDecode, FuzzResponder, FuzzInitiator, FuzzESPOpen, FuzzDataPlane, FuzzEAP, FuzzRADIUS or all (default)
#   FUZZ_CORPUS=DIR   keep the growing corpus in DIR/<target> instead of a temporary folder
#   FUZZ_JOBS=N       run N fuzzer processes (default 1)
set -euo pipefail

seconds=${1:-60}
target=${2:-all}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
scratch=${FUZZ_SCRATCH_PATH:-$here/.build-fuzz}
jobs=${FUZZ_JOBS:-1}

case "$target" in
    all) targets=(FuzzDecode FuzzResponder FuzzInitiator FuzzESPOpen FuzzDataPlane FuzzEAP FuzzRADIUS) ;;
    FuzzDecode | FuzzResponder | FuzzInitiator | FuzzESPOpen | FuzzDataPlane | FuzzEAP | FuzzRADIUS) targets=("$target") ;;
    *) echo "unknown target '$target' (FuzzDecode, FuzzResponder, FuzzInitiator, FuzzESPOpen, FuzzDataPlane, FuzzEAP, FuzzRADIUS or all)" >&2; exit 2 ;;
esac

# `--sanitize=fuzzer` makes SwiftPM link libFuzzer's main instead of the target's; the
# swiftc flag must name both sanitizers in one option (given twice, swiftc keeps only the
# last, and IKEWire would get no coverage instrumentation).
build=(swift build -c release --scratch-path "$scratch" --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address)
for name in "${targets[@]}"; do
    echo "== fuzz: building $name"
    (cd "$here" && "${build[@]}" --product "$name")
done
bindir="$(cd "$here" && "${build[@]}" --show-bin-path)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The Swift runtime's backtracer and ASan both handle the crash signal; keep ASan's report.
export SWIFT_BACKTRACE=enable=no
failed=0

for name in "${targets[@]}"; do
    bin="$bindir/$name"
    corpus=${FUZZ_CORPUS:+$FUZZ_CORPUS/$name}
    corpus=${corpus:-$work/corpus-$name}
    artifacts="$work/artifacts-$name"
    mkdir -p "$corpus" "$artifacts"
    case "$name" in
        FuzzDecode)
            cp "$here"/Corpus/* "$corpus"/ 2>/dev/null || true
            python3 "$here/extract-seeds.py" "$corpus" "$root/Tests/Fixtures"
            ;;
        FuzzResponder)
            cp "$here"/CorpusResponder/* "$corpus"/ 2>/dev/null || true
            FUZZ_RESPONDER_WRITE_SEEDS="$corpus" "$bin" >/dev/null
            ;;
        FuzzInitiator)
            FUZZ_INITIATOR_WRITE_SEEDS="$corpus" "$bin" >/dev/null
            ;;
        FuzzDataPlane)
            FUZZ_DATAPLANE_WRITE_SEEDS="$corpus" "$bin" >/dev/null
            ;;
        FuzzEAP)
            FUZZ_EAP_WRITE_SEEDS="$corpus" "$bin" >/dev/null
            ;;
        FuzzRADIUS)
            FUZZ_RADIUS_WRITE_SEEDS="$corpus" "$bin" >/dev/null
            ;;
        FuzzESPOpen)
            # One seed per suite and ESN setting: a sealed record and a raw one.
            for flags in 00 01 02 03 04 05 06 07; do
                printf "\x$flags\x09\x04ABCDEFGHIJKLMNOPQRSTUVWXYZ012345\x00\x03012345678901234567890123" >"$corpus/seed-$flags"
            done
            ;;
    esac

    echo "== fuzz: $name for ${seconds}s, corpus $corpus ($(ls "$corpus" | wc -l) files)"
    set +e
    (cd "$work" && "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -jobs="$jobs" -workers="$jobs" -artifact_prefix="$artifacts/" "$corpus" 2>&1) | tee "$work/fuzz-$name.log" \
        | grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)'
    status=${PIPESTATUS[0]}
    set -e
    if [ "$jobs" -gt 1 ]; then cat "$work"/fuzz-[0-9]*.log 2>/dev/null | grep -E 'stat::|ERROR|Done' || true; fi

    found=("$artifacts"/*)
    if [ "$status" -ne 0 ] || [ -e "${found[0]}" ]; then
        echo "== fuzz: $name FAILED (libFuzzer exit $status)"
        for artifact in "${found[@]}"; do
            [ -e "$artifact" ] || continue
            kept="$(basename "$artifact" | cut -d- -f1)-$(sha1sum "$artifact" | cut -c1-40)"
            cp "$artifact" "$here/$kept"
            echo "input ($(wc -c < "$artifact") bytes, kept as Fuzz/$kept):"
            od -An -v -tx1 "$artifact" | tr -d ' \n'
            echo
        done
        failed=1
    else
        echo "== fuzz: $name: no crash in ${seconds}s"
    fi
done
exit "$failed"
