import CygnetDaemon
import Foundation

/// libFuzzer entry point for the daemon's inbound data plane after ESP open: the NAT-T
/// port's sorting, ESP opened and checked against traffic selectors from the input, TCP
/// segments merged for the TUN device, and the route prefixes of those selectors. The
/// format and the properties are documented on `DataPlaneFuzzHarness`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDataPlane(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    DataPlaneFuzzHarness.run(bytes)
    return 0
}

/// With `FUZZ_DATAPLANE_WRITE_SEEDS=DIR` in the environment, writes the harness's seeds
/// into DIR and exits; `Fuzz/run.sh` does this to seed the corpus.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzDataPlaneInitialize(
    _ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
) -> CInt {
    guard let directory = ProcessInfo.processInfo.environment["FUZZ_DATAPLANE_WRITE_SEEDS"] else { return 0 }
    let seeds = DataPlaneFuzzHarness.seeds()
    for seed in seeds {
        try? Data(seed.bytes).write(to: URL(fileURLWithPath: directory).appendingPathComponent("dataplane-\(seed.name)"))
    }
    print("FuzzDataPlane: wrote \(seeds.count) seeds to \(directory)")
    exit(seeds.isEmpty ? 1 : 0)
}
