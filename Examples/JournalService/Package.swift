// swift-tools-version: 6.1
import PackageDescription

/// The reference service: the journal behind HTTP on Hummingbird 2, a
/// package of its own (like `Benchmarks/` and `Fuzz/`), so that the
/// library's build never pulls a web server. It depends on the library by
/// path, as an embedding service would on a release.
///
/// - `JournalServiceCore`: the routes, identity (JWT bearer tokens), the
///   problem bodies (RFC 9457) and the parent's page, testable without a socket.
/// - `journal-service`: the executable (`make service`).
let package = Package(
    name: "JournalService",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "journal-service", targets: ["JournalService"])
    ],
    dependencies: [
        .package(name: "SchoolLedger", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .target(
            name: "JournalServiceCore",
            dependencies: [
                .product(name: "SchoolLedger", package: "SchoolLedger"),
                .product(name: "EventLedger", package: "SchoolLedger"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "JournalService",
            dependencies: [
                "JournalServiceCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "JournalServiceTests",
            dependencies: [
                "JournalServiceCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
