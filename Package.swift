// swift-tools-version:6.1
import PackageDescription

/// x402-secure core.
///
/// - `X402Secure`: the pure Swift core (public Swift API).
/// - `X402SecureFFI`: only the exported `x402s_*` C functions (glue, no logic).
/// - `x402secure` (dynamic library product): `libx402secure.so`, the C ABI of
///   `include/x402_secure.h`. Build it with `make lib` (adds `-static-stdlib`
///   so the .so carries its own Swift runtime).
/// - `x402secure-cli`: the `x402secure` command-line tool.
let package = Package(
    name: "x402-secure-core",
    products: [
        .library(name: "X402Secure", targets: ["X402Secure"]),
        .library(name: "x402secure", type: .dynamic, targets: ["X402SecureFFI"]),
        .executable(name: "x402secure-cli", targets: ["x402secure-cli"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSecp256k1", path: "Sources/CSecp256k1", pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(
            name: "CSodium", path: "Sources/CSodium", pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(
            name: "CLibCrypto", path: "Sources/CLibCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CX402Secure", path: "include"),
        .target(
            name: "X402Secure",
            dependencies: ["CSecp256k1", "CSodium", "CLibCrypto"]
        ),
        .target(
            name: "X402SecureFFI",
            dependencies: ["X402Secure", "CX402Secure"]
        ),
        .executableTarget(
            name: "x402secure-cli",
            dependencies: [
                "X402Secure",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "x402secure-bench",
            dependencies: ["X402Secure", "CLibCrypto"]
        ),
        .testTarget(
            name: "X402SecureTests",
            dependencies: ["X402Secure", "X402SecureFFI", "CX402Secure", "CSecp256k1"]
        ),
    ]
)
