// swift-tools-version: 6.1
// The benchmarks of SchoolLedger, a package of their own so that the
// library's build and tests never pull the benchmark tooling.
//
//   cd Benchmarks && swift package benchmark            all suites
//   cd Benchmarks && swift package benchmark --target Invalidation
//   cd Benchmarks && swift run -c release BenchTable [--quick]   the ratio table (issue 9)
//   cd Benchmarks && ../scripts/test-postgres.sh run swift run -c release PostgresBench [--quick]   PostgreSQL (issue 19)
import PackageDescription

let package = Package(
    name: "SchoolLedgerBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "SchoolLedger", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        // Figure 2's baseline: SQLite through GRDB.
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        // P1's baseline: plain INSERTs through the same driver the backend uses.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Figure 1's limit: the chain's SHA-256, as the library computes it.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // A deterministic school year as ledger events (see Workload.swift).
        .target(
            name: "Workload",
            dependencies: [
                .product(name: "SchoolLedger", package: "SchoolLedger"),
                .product(name: "EventLedger", package: "SchoolLedger"),
            ],
            path: "Workload"
        ),
        // The side-by-side table of issue 9: library vs baseline, one process.
        .executableTarget(
            name: "BenchTable",
            dependencies: [
                "Workload",
                .product(name: "SchoolLedger", package: "SchoolLedger"),
                .product(name: "EventLedger", package: "SchoolLedger"),
                .product(name: "LedgerLMDB", package: "SchoolLedger"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "BenchTable"
        ),
        // The PostgreSQL backend's figures against plain INSERTs, and a region.
        .executableTarget(
            name: "PostgresBench",
            dependencies: [
                .product(name: "EventLedger", package: "SchoolLedger"),
                .product(name: "LedgerPostgres", package: "SchoolLedger"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "PostgresBench"
        ),
        // Clause 11: voiding a window of 1,000 operations in logs of two sizes.
        .executableTarget(
            name: "Invalidation",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SchoolLedger", package: "SchoolLedger"),
                .product(name: "EventLedger", package: "SchoolLedger"),
            ],
            path: "Benchmarks/Invalidation",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Issue 9's figures with their baselines, on the quick workload.
        .executableTarget(
            name: "Ledger",
            dependencies: [
                "Workload",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SchoolLedger", package: "SchoolLedger"),
                .product(name: "EventLedger", package: "SchoolLedger"),
                .product(name: "LedgerLMDB", package: "SchoolLedger"),
            ],
            path: "Benchmarks/Ledger",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
