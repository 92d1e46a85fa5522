// swift-tools-version: 6.1
// The libFuzzer targets of SchoolLedger, a package of their own: they are
// built with `--sanitize=fuzzer --sanitize=address`, which no user's build
// of the library should see.
//
//   make fuzz                      each target for FUZZ_SECONDS (default 60)
//   cd Fuzz && swift build -c release --sanitize=fuzzer --sanitize=address
//   Fuzz/.build/release/FuzzRecord Fuzz/Corpus/record     one target by hand
//
// Targets: FuzzRecord (the stored-record decoder and the payload decoding
// behind it), FuzzImport (the JSON Lines importer, file to ledger),
// FuzzCommand (the command decoder, binary or JSON, then the journal's
// rights and rules). See Fuzz/README.md.
import PackageDescription

let package = Package(
    name: "SchoolLedgerFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "SchoolLedger", path: ".."),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "SchoolLedger", package: "SchoolLedger"),
                .product(name: "EventLedger", package: "SchoolLedger"),
            ]
        ),
    ] + ["FuzzRecord", "FuzzImport", "FuzzCommand"].map { name in
        // libFuzzer supplies `main`; each target defines LLVMFuzzerTestOneInput.
        .executableTarget(
            name: name,
            dependencies: [
                "FuzzSupport",
                .product(name: "SchoolLedger", package: "SchoolLedger"),
                .product(name: "EventLedger", package: "SchoolLedger"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    },
    swiftLanguageModes: [.v6]
)
