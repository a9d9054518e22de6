// swift-tools-version:6.0
import PackageDescription

// No package dependencies by design: Foundation, the toolchain and system C libraries only.
// The service uses neither Swift concurrency nor regular expressions: without the implicit
// imports of `_Concurrency` and `_StringProcessing` the binary does not load their libraries
// (nor libdispatch), which is ~1.6 MiB of resident memory and a faster start (BENCHMARKS.md).
// Test targets keep the implicit imports (Swift Testing runs on concurrency).
//
// Release builds also drop the run-time exclusivity checks (`-enforce-exclusivity=unchecked`):
// they were ~9% of a GET's instructions (callgrind: swift_beginAccess on the event loop's and
// connections' properties). Debug builds, which every test runs on, keep them, so an
// overlapping access is still caught by the test suite; the static checks apply to both.
let lean: [SwiftSetting] = [
    .unsafeFlags([
        "-Xfrontend", "-disable-implicit-concurrency-module-import",
        "-Xfrontend", "-disable-implicit-string-processing-module-import",
    ]),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "connections-api",
    products: [
        .executable(name: "connections-api", targets: ["connections-api"])
    ],
    targets: [
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSystem"),
        .systemLibrary(name: "CPostgres", providers: [.apt(["libpq-dev"])]),
        .target(name: "SystemThreads", swiftSettings: lean),
        .target(name: "JSON", swiftSettings: lean),
        .target(name: "Validation", dependencies: ["JSON"], swiftSettings: lean),
        .target(name: "Arguments", swiftSettings: lean),
        .target(name: "Lint", dependencies: ["JSON", "Validation", "Arguments"], swiftSettings: lean),
        .target(name: "ConnectionsStore", dependencies: ["CSQLite", "CPostgres", "SystemThreads"], swiftSettings: lean),
        .target(name: "ConnectionsService", dependencies: ["JSON", "Validation", "ConnectionsStore", "SystemThreads"], swiftSettings: lean),
        .target(name: "HTTP", dependencies: ["JSON"], swiftSettings: lean),
        .target(name: "HTTPTransport", dependencies: ["HTTP", "JSON", "SystemThreads", "CSystem"], swiftSettings: lean),
        .target(
            name: "ConnectionsAPI",
            dependencies: ["HTTP", "HTTPTransport", "ConnectionsService", "JSON", "Validation", "ConnectionsStore", "CSystem", "CCrypto"],
            swiftSettings: lean
        ),
        .executableTarget(
            name: "connections-api",
            dependencies: ["ConnectionsAPI", "HTTPTransport", "ConnectionsStore", "JSON", "Validation", "Lint", "Arguments"],
            swiftSettings: lean
        ),
        .testTarget(name: "SystemThreadsTests", dependencies: ["SystemThreads"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "ArgumentsTests", dependencies: ["Arguments"]),
        .testTarget(name: "ValidationTests", dependencies: ["JSON", "Validation"]),
        .testTarget(name: "LintTests", dependencies: ["JSON", "Lint", "Validation"]),
        .testTarget(name: "ConnectionsStoreTests", dependencies: ["ConnectionsStore"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "JSON"]),
        .testTarget(name: "HTTPTransportTests", dependencies: ["HTTPTransport", "HTTP", "JSON"]),
        .testTarget(name: "ConnectionsServiceTests", dependencies: ["ConnectionsService", "JSON", "Validation", "ConnectionsStore"]),
        .testTarget(
            name: "ConnectionsAPITests",
            dependencies: ["ConnectionsAPI", "HTTP", "HTTPTransport", "ConnectionsService", "JSON", "Validation", "ConnectionsStore"]),
    ],
    swiftLanguageModes: [.v6]
)
