/// A preallocated, 64-byte-aligned packet buffer for the symmetric benchmarks, cut into
/// the regions a transform works on (header, IV, payload, ICV) once, before timing.
///
/// The owner frees it with ``deallocate()``; slices are valid until then.
struct BenchPacketBuffer {
    let bytes: UnsafeMutableRawBufferPointer

    /// `byteCount` zeroed bytes.
    init(byteCount: Int) {
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
    }

    /// Bytes `offset..<offset + count`.
    func slice(_ offset: Int, _ count: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    func deallocate() {
        bytes.deallocate()
    }
}
