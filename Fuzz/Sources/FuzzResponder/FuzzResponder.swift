import Foundation
import IKETestSupport

/// libFuzzer entry point for the responder engine, past IKE_SA_INIT.
///
/// Each input starts from a responder that has answered a scripted, valid IKE_SA_INIT
/// (and, when the first byte is odd, IKE_AUTH), all on the ⚠️ insecure test-only
/// provider, then delivers the input's records: raw datagrams, datagrams patched with the
/// live SA's SPIs, inner payload chains sealed with the SA's own keys (so they pass the
/// ICV check and reach the IKE_AUTH, CREATE_CHILD_SA and INFORMATIONAL handlers),
/// commands, and time steps that fire timers. The format is documented on
/// `ResponderFuzzHarness`; the property is that nothing traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponder(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    ResponderFuzzHarness.run(bytes)
    return 0
}

/// With `FUZZ_RESPONDER_WRITE_SEEDS=DIR` in the environment, writes the harness's
/// crafted seeds (valid IKE_AUTH, CREATE_CHILD_SA, rekeys, deletes, liveness, the
/// responder's own requests answered) into DIR and exits; `Fuzz/run.sh` does this to
/// seed the corpus, so the seeds always match the current engine.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzResponderInitialize(
    _ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
) -> CInt {
    guard let directory = ProcessInfo.processInfo.environment["FUZZ_RESPONDER_WRITE_SEEDS"] else { return 0 }
    let seeds = ResponderFuzzHarness.seeds()
    for seed in seeds {
        let url = URL(fileURLWithPath: directory).appendingPathComponent("responder-\(seed.name)")
        try? Data(seed.bytes).write(to: url)
    }
    print("FuzzResponder: wrote \(seeds.count) seeds to \(directory)")
    exit(seeds.isEmpty ? 1 : 0)
}
