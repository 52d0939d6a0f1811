import CygnetDaemon
import Foundation

/// libFuzzer entry point for the RADIUS answer path: decoding, the authenticator checks and
/// what the EAP backend makes of an answer. The format and the properties are documented
/// on `RADIUSFuzzHarness`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRADIUS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    RADIUSFuzzHarness.run(bytes)
    return 0
}

/// With `FUZZ_RADIUS_WRITE_SEEDS=DIR` in the environment, writes the harness's seeds into
/// DIR and exits; `Fuzz/run.sh` does this to seed the corpus.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzRADIUSInitialize(
    _ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
) -> CInt {
    guard let directory = ProcessInfo.processInfo.environment["FUZZ_RADIUS_WRITE_SEEDS"] else { return 0 }
    let seeds = RADIUSFuzzHarness.seeds()
    for seed in seeds {
        try? Data(seed.bytes).write(to: URL(fileURLWithPath: directory).appendingPathComponent("radius-\(seed.name)"))
    }
    print("FuzzRADIUS: wrote \(seeds.count) seeds to \(directory)")
    exit(seeds.isEmpty ? 1 : 0)
}
