// swift-tools-version: 6.1
import PackageDescription

/// The reference service: the journal behind HTTP on Hummingbird 2, a
/// package of its own (like `Benchmarks/` and `Fuzz/`), so that the
/// library's build never pulls a web server. It depends on the library by
/// path, as an embedding service would on a release.
///
/// - `JournalServiceCore`: the operations of `openapi.yaml` (the code
///   swift-openapi-generator made from it is committed in `Generated/`;
///   `make openapi` makes it again), identity (JWT bearer tokens), the
///   problem bodies (RFC 9457) and the parent's page.
/// - `journal-service`: the executable (`make service`).
/// - `journal-load`: the load test's school before the run and its checks
///   after (`make load`, scripts/load.sh).
let package = Package(
    name: "JournalService",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "journal-service", targets: ["JournalService"]),
        .executable(name: "journal-load", targets: ["JournalLoad"]),
    ],
    dependencies: [
        .package(name: "SchoolLedger", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
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
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
            ],
            exclude: ["Generated/README.md"]
        ),
        .executableTarget(
            name: "JournalService",
            dependencies: [
                "JournalServiceCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "JournalLoad",
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
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
