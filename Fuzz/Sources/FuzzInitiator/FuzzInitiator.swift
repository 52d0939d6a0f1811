import Foundation
import IKETestSupport

/// libFuzzer entry point for the initiator engine: what it makes of mutated responses.
///
/// Each input starts from an initiator that has sent IKE_SA_INIT, or IKE_AUTH after a
/// scripted valid IKE_SA_INIT response, or that is established (first byte modulo 3),
/// all on the ⚠️ insecure test-only provider, then delivers the input's records: raw
/// datagrams, datagrams patched with the live SA's SPIs, inner payload chains sealed
/// with the responder's keys (so they pass the ICV check and reach the IKE_AUTH,
/// CREATE_CHILD_SA and INFORMATIONAL response handlers), commands that make the
/// initiator send requests, and time steps that fire timers. The format is documented
/// on `InitiatorFuzzHarness`; the property is that nothing traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInitiator(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    InitiatorFuzzHarness.run(bytes)
    return 0
}

/// With `FUZZ_INITIATOR_WRITE_SEEDS=DIR` in the environment, writes the harness's
/// crafted seeds (valid responses at each starting point, error answers, widened
/// selectors) into DIR and exits; `Fuzz/run.sh` does this to seed the corpus.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitiatorInitialize(
    _ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
) -> CInt {
    guard let directory = ProcessInfo.processInfo.environment["FUZZ_INITIATOR_WRITE_SEEDS"] else { return 0 }
    let seeds = InitiatorFuzzHarness.seeds()
    for seed in seeds {
        let url = URL(fileURLWithPath: directory).appendingPathComponent("initiator-\(seed.name)")
        try? Data(seed.bytes).write(to: url)
    }
    print("FuzzInitiator: wrote \(seeds.count) seeds to \(directory)")
    exit(seeds.isEmpty ? 1 : 0)
}
