// swift-tools-version:6.1
// Two IKEv2 engines negotiating a tunnel in memory: Cygnet's libraries used as a third
// party would use them. See README.md.
import Foundation
import PackageDescription

// A dependency given by path is known by the name of its folder, which differs between a
// developer's checkout and CI's clone.
let cygnet = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "InMemoryTunnel",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "InMemoryTunnel",
            dependencies: [
                .product(name: "ESPCore", package: cygnet),
                .product(name: "IKEConfig", package: cygnet),
                .product(name: "IKECore", package: cygnet),
                .product(name: "IKECrypto", package: cygnet),
                .product(name: "IKEWire", package: cygnet),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
