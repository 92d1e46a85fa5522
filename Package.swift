// swift-tools-version: 6.1
import PackageDescription

/// SchoolLedger: a school's electronic journal as an event-sourced,
/// append-only, hash-chained ledger on LMDB.
///
/// Layers, each a target, arrows pointing down:
/// `schoolledger` (CLI) -> `SchoolLedger` -> `EventLedger` -> `LedgerLMDB` -> `CLedgerLMDB` (system liblmdb),
/// and `LedgerPostgres` (the log on PostgreSQL, through postgres-nio) beside
/// `SchoolLedger`, on `EventLedger`'s public API.
/// Only `EventLedger` imports `LedgerLMDB`: the two stores that live beside
/// the log (the personal-data vault and the read log) are `EventLedger`'s
/// `KeyValueStore`s, whose API names no LMDB type. Every import is internal
/// unless a file says otherwise (below), and `make api` fails when a public
/// symbol of `EventLedger` or `SchoolLedger` names an LMDB or generated wire
/// type.
/// The libraries import their dependencies `internal` unless a file says
/// `public import` (SE-0409): what a library builds on is not part of its
/// API unless it must be, and the compiler says when it must.
let libraryImports: [SwiftSetting] = [.enableUpcomingFeature("InternalImportsByDefault")]

let package = Package(
    name: "SchoolLedger",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SchoolLedger", targets: ["SchoolLedger"]),
        .library(name: "EventLedger", targets: ["EventLedger"]),
        .library(name: "LedgerLMDB", targets: ["LedgerLMDB"]),
        .library(name: "LedgerPostgres", targets: ["LedgerPostgres"]),
        .executable(name: "schoolledger", targets: ["schoolledger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // The PostgreSQL backend of the log (LedgerPostgres), for a region.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Tests only: property-based checks in Swift Testing.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // `make docs` only: `swift package generate-documentation` (DocC).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // The system LMDB library (Debian: liblmdb-dev), found through pkg-config.
        // Prefixed name: plain `CLMDB` collides with other packages.
        .systemLibrary(
            name: "CLedgerLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        // A small safe Swift wrapper over LMDB.
        .target(
            name: "LedgerLMDB",
            dependencies: ["CLedgerLMDB"],
            swiftSettings: libraryImports
        ),
        // The domain-free event store: append-only hash-chained log.
        .target(
            name: "EventLedger",
            dependencies: [
                "LedgerLMDB",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: libraryImports
        ),
        // The log on a PostgreSQL server: a `LogStorage` over postgres-nio,
        // built on EventLedger's public API only (nothing of LMDB).
        .target(
            name: "LedgerPostgres",
            dependencies: [
                "EventLedger",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: libraryImports
        ),
        // The school domain: the event catalog (generated from Schemas/ and
        // idiomatic Swift types over it), validation, interchange.
        .target(
            name: "SchoolLedger",
            dependencies: [
                "EventLedger",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Generated/README.md"],
            swiftSettings: libraryImports
        ),
        // The command-line tool for school IT staff and auditors.
        .executableTarget(
            name: "schoolledger",
            dependencies: [
                "EventLedger",
                "SchoolLedger",
                "LedgerPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // A child process for crash and multi-process tests: appends in a loop
        // and prints each acknowledged position. Not a product.
        .executableTarget(
            name: "LedgerTestChild",
            dependencies: ["EventLedger", "SchoolLedger", "LedgerPostgres", "LedgerTestSupport"],
            path: "Tests/LedgerTestChild"
        ),
        // Helpers shared by the test targets (temporary ledgers, clocks, fixtures).
        .target(
            name: "LedgerTestSupport",
            dependencies: ["EventLedger", "LedgerPostgres"],
            path: "Tests/LedgerTestSupport"
        ),
        .testTarget(
            name: "LedgerLMDBTests",
            dependencies: ["LedgerLMDB", "LedgerTestSupport"]
        ),
        .testTarget(
            name: "EventLedgerTests",
            dependencies: [
                "EventLedger", "LedgerLMDB", "LedgerPostgres", "LedgerTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SchoolLedgerTests",
            dependencies: [
                "SchoolLedger", "EventLedger", "LedgerTestSupport",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "LedgerPostgresTests",
            dependencies: [
                "EventLedger", "LedgerPostgres", "SchoolLedger", "LedgerTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // Runs the built `schoolledger` binary as a person or a script would.
        .testTarget(
            name: "schoolledgerTests",
            dependencies: ["EventLedger", "SchoolLedger", "LedgerTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
