#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Counts heap allocations through `libCygnetMallocCounter.so` (the `CMallocCounter`
/// target), a malloc wrapper that only a process started with `LD_PRELOAD` naming it
/// loads. Nothing links the library, so the daemon keeps glibc's allocator untouched.
public struct AllocationCounter: Sendable {
    /// Name of the environment variable set on the re-executed process, to stop a loop
    /// when the preload does not take.
    static let reexecMarker = "CYGNET_BENCH_PRELOADED"
    /// The library's file name, next to the `cygnet` executable in the build folder.
    public static let libraryName = "libCygnetMallocCounter.so"

    private let read: @convention(c) () -> UInt64

    /// The counter of this process, or `nil` when the library is not preloaded.
    public static var current: AllocationCounter? {
        #if os(Linux)
        // RTLD_DEFAULT is the null handle on glibc.
        guard let symbol = dlsym(nil, "cygnet_malloc_counter_count") else { return nil }
        return AllocationCounter(read: unsafeBitCast(symbol, to: (@convention(c) () -> UInt64).self))
        #else
        return nil
        #endif
    }

    /// Allocation calls made by the process so far.
    public var count: UInt64 { read() }

    /// Where the library should be: `$CYGNET_MALLOC_COUNTER`, or beside the running
    /// executable.
    public static var libraryPath: String? {
        if let path = ProcessInfo.processInfo.environment["CYGNET_MALLOC_COUNTER"] {
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return nil
        }
        let path = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent(libraryName).path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Why counting is unavailable, for the report; `nil` when it is available.
    public static var unavailableReason: String? {
        if current != nil { return nil }
        if ProcessInfo.processInfo.environment[reexecMarker] != nil {
            return "\(libraryName) was preloaded but its counter is not visible"
        }
        if libraryPath == nil { return "\(libraryName) not found beside the executable (build the whole package)" }
        return "not preloaded"
    }

    /// Re-executes this process with the counting library preloaded, unless it already is
    /// (or the library cannot be found, or this is already the re-executed process).
    /// Returns only when it does not re-execute.
    public static func reexecutePreloadedIfNeeded() {
        #if os(Linux)
        guard current == nil, ProcessInfo.processInfo.environment[reexecMarker] == nil,
            let library = libraryPath,
            let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        else { return }
        var environment = ProcessInfo.processInfo.environment
        environment[reexecMarker] = "1"
        environment["LD_PRELOAD"] = [library, environment["LD_PRELOAD"]].compactMap { $0 }.joined(separator: ":")
        let arguments = [executable] + CommandLine.arguments.dropFirst()
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        fflush(nil)  // all output streams
        execve(executable, argv, envp)
        // execve returned: it failed. Carry on without counting.
        for pointer in argv + envp { free(pointer) }
        #endif
    }
}
