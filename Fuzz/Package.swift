// swift-tools-version:6.1
// The libFuzzer targets. A package of its own so that the main build never sees fuzzer
// flags: `Fuzz/run.sh` builds it with `-sanitize=fuzzer,address` applied to every Swift
// module (IKEWire included, so libFuzzer gets coverage from the decoder itself).
import Foundation
import PackageDescription

// A dependency given by path is known by the name of its folder, which differs between a
// developer's checkout and CI's clone.
let rootIdentity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

let package = Package(
    name: "CygnetFuzz",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "FuzzDecode",
            dependencies: [
                .product(name: "IKEWire", package: rootIdentity),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "FuzzEAP",
            dependencies: [
                .product(name: "EAPCore", package: rootIdentity),
                .product(name: "IKECrypto", package: rootIdentity),
                .product(name: "IKEWire", package: rootIdentity),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "FuzzESPOpen",
            dependencies: [
                .product(name: "ESPCore", package: rootIdentity),
                .product(name: "IKECrypto", package: rootIdentity),
                .product(name: "IKEWire", package: rootIdentity),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "FuzzInitiator",
            dependencies: [
                .product(name: "IKECore", package: rootIdentity),
                .product(name: "IKETestSupport", package: rootIdentity),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "FuzzDataPlane",
            dependencies: [
                .product(name: "CygnetDaemon", package: rootIdentity),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "FuzzRADIUS",
            dependencies: [
                .product(name: "CygnetDaemon", package: rootIdentity),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "FuzzResponder",
            dependencies: [
                .product(name: "IKECore", package: rootIdentity),
                .product(name: "IKETestSupport", package: rootIdentity),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
