// swift-tools-version:6.1
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Cygnet",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "IKEWire", targets: ["IKEWire"]),
        .library(name: "IKECrypto", targets: ["IKECrypto"]),
        .library(name: "IKEConfig", targets: ["IKEConfig"]),
        .library(name: "IKECore", targets: ["IKECore"]),
        .library(name: "IKECertificates", targets: ["IKECertificates"]),
        .library(name: "ESPCore", targets: ["ESPCore"]),
        .library(name: "EAPCore", targets: ["EAPCore"]),
        // Test-only (simulated network, seeded randomness, the insecure provider): for the
        // fuzz package and simulations; never linked by the daemon or the tool.
        .library(name: "IKETestSupport", targets: ["IKETestSupport"]),
        // The daemon's host code, for the fuzz package's data-plane target
        // (`DataPlaneFuzzHarness`); `cygnetd` is its user.
        .library(name: "CygnetDaemon", targets: ["CygnetDaemon"]),
        .executable(name: "cygnet", targets: ["cygnet"]),
        .executable(name: "cygnetd", targets: ["cygnetd"]),
        // Preloaded by `cygnet bench` to count heap allocations; nothing links it.
        .library(name: "CygnetMallocCounter", type: .dynamic, targets: ["CMallocCounter"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .target(
            name: "IKEWire",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSwift
        ),
        .target(
            name: "IKECrypto",
            dependencies: [
                "IKEWire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),
        .target(name: "CMallocCounter"),
        // TUN, recvmmsg/sendmmsg and interface ioctls, whose headers Glibc does not import.
        .target(name: "CCygnetNet"),
        .target(
            name: "ESPCore",
            dependencies: ["IKECrypto"],
            swiftSettings: strictSwift
        ),
        // EAP packets and method state machines, peer and authenticator; no I/O.
        .target(
            name: "EAPCore",
            dependencies: [
                "IKECrypto", "IKEWire",
                // EAP-TLS: swift-nio-ssl's handler in an EmbeddedChannel, no socket.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "IKEConfig",
            dependencies: ["IKEWire"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "IKECore",
            dependencies: [
                "IKEWire", "IKECrypto", "IKEConfig",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "IKECertificates",
            dependencies: [
                "IKECore", "IKEWire", "IKECrypto", "IKEConfig",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "IKETestSupport",
            dependencies: ["IKECore", "IKECrypto", "IKEConfig", "IKEWire", "IKECertificates", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSwift
        ),
        // What the hosts of the engine (the daemon, the demo) share: the uptime clock,
        // event-loop deadlines, socket addresses as the engine sees them, ESP keyed from
        // an installed Child SA, child processes.
        .target(
            name: "CygnetHostSupport",
            dependencies: ["CCygnetNet", "ESPCore", "IKECore", "IKECrypto", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSwift
        ),
        // cygnetd's control protocol (requests, responses, status reports) and its client:
        // what both executables link.
        .target(
            name: "CygnetControlProtocol",
            dependencies: [
                "CCygnetNet",
                "IKEWire",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "CygnetDaemon",
            dependencies: [
                "CCygnetNet",
                "CygnetControlProtocol",
                "CygnetHostSupport",
                "EAPCore",
                "ESPCore",
                "IKEWire",
                "IKECrypto",
                "IKEConfig",
                "IKECore",
                "IKECertificates",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // The lease database of the address pools (`cygnet { lease_database }`).
                .product(name: "GRDB", package: "GRDB.swift"),
                // MD5 and HMAC-MD5 for RADIUS (RFC 2865, RFC 3579), which IKE never needs.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),
        // The offline tools of `cygnet`: bench, demo, decode, lint. The daemon never links it.
        .target(
            name: "CygnetTools",
            dependencies: [
                "CygnetControlProtocol",
                "CygnetHostSupport",
                // The EAP-MSCHAPv2 case of `cygnet bench handshake`.
                "EAPCore",
                "ESPCore",
                "IKECertificates",
                "IKEConfig",
                "IKECore",
                "IKECrypto",
                "IKEWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "cygnet",
            dependencies: [
                "CygnetControlProtocol",
                "CygnetTools",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "cygnetd",
            dependencies: [
                "CygnetDaemon",
                "IKECertificates",
                "IKEConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "IKECryptoTests",
            dependencies: ["IKECrypto", "IKEWire", "IKETestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "ESPCoreTests",
            dependencies: [
                "ESPCore", "IKECrypto", "IKEWire", "IKETestSupport",
                // swift-crypto's HMAC: an implementation independent of ours for the ICVs.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "EAPCoreTests",
            dependencies: ["EAPCore", "IKECrypto", "IKEWire"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "CygnetControlProtocolTests",
            dependencies: ["CygnetControlProtocol", "IKEWire", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "CygnetToolsTests",
            dependencies: [
                "CygnetTools", "ESPCore", "IKEConfig", "IKEWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "CygnetDaemonTests",
            dependencies: [
                "CygnetControlProtocol", "CygnetDaemon", "CygnetHostSupport", "EAPCore", "IKEWire", "IKECore", "IKEConfig", "IKECrypto", "IKECertificates", "ESPCore",
                // The engine drivers of simulations (ResponderLoadSimulation, the insecure provider).
                "IKETestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                // swift-crypto's MD5 for RADIUS known answers and the fake RADIUS server.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "IKECoreTests",
            dependencies: ["IKECore", "IKETestSupport", "IKECertificates", "IKEConfig", "IKECrypto", "IKEWire", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "IKECertificatesTests",
            dependencies: [
                "IKECertificates", "IKECore", "IKEConfig", "IKECrypto", "IKEWire",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "IKEConfigTests",
            dependencies: ["IKEConfig", "IKEWire", "IKETestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "InteropTests",
            dependencies: ["cygnet", "cygnetd"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "IKEWireTests",
            dependencies: ["IKEWire", "IKETestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSwift
        ),
    ]
)
