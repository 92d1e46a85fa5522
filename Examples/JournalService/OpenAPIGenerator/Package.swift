// swift-tools-version: 6.1
import PackageDescription

/// Only the generator's command-line tool, to regenerate
/// `Sources/JournalServiceCore/Generated/` from `openapi.yaml`
/// (`make openapi`): the service's build uses the committed output and
/// never builds the generator (OpenAPIKit, Yams), as the library does with
/// protoc's output.
let package = Package(
    name: "OpenAPIGenerator",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3")
    ]
)
