// swift-tools-version:6.0
import PackageDescription

// No package dependencies by design: Foundation, the toolchain and system C libraries only.
let package = Package(
    name: "connections-api",
    products: [
        .executable(name: "connections-api", targets: ["connections-api"])
    ],
    targets: [
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSystem"),
        .target(name: "Validation"),
        .target(name: "ConnectionsStore", dependencies: ["CSQLite"]),
        .target(
            name: "ConnectionsAPI",
            dependencies: ["Validation", "ConnectionsStore", "CSystem", "CCrypto"]
        ),
        .executableTarget(
            name: "connections-api",
            dependencies: ["ConnectionsAPI", "ConnectionsStore", "Validation"]
        ),
        .testTarget(name: "ValidationTests", dependencies: ["Validation"]),
        .testTarget(name: "ConnectionsStoreTests", dependencies: ["ConnectionsStore"]),
        .testTarget(name: "ConnectionsAPITests", dependencies: ["ConnectionsAPI", "Validation", "ConnectionsStore"]),
    ],
    swiftLanguageModes: [.v6]
)
