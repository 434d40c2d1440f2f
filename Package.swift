// swift-tools-version:6.0
import PackageDescription

// The emulator's hot path is compiled without dynamic exclusivity checks: cores, RAM and the
// decoded-instruction cache are reached through unsafe pointers, never through overlapping Swift
// accesses, and the checks cost more than the instructions they guard.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "hetboot",
    products: [
        .executable(name: "hetboot", targets: ["hetboot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CLibELF", pkgConfig: "libelf", providers: [.apt(["libelf-dev"])]),
        // Debian's libfdt-dev has no pkg-config file: the module map links `fdt` directly.
        .systemLibrary(name: "CLibFDT", providers: [.apt(["libfdt-dev"])]),
        .target(name: "Profiles", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),
        .target(name: "Images", dependencies: ["CLibELF"]),
        // The F/D arithmetic (RISC-V F and D, all five rounding modes): integer C, for
        // unsigned __int128.
        .target(name: "CRVFloat"),
        .target(name: "Emulator", dependencies: ["Profiles", "Images", "CLibFDT", "CRVFloat"], swiftSettings: hotPath),
        // Checkers over events and machine state: hang and deadlock diagnosis, cross-calls, KVM
        // compatibility.
        .target(name: "Analysis", dependencies: ["Emulator", "Profiles", "Images"]),
        .target(name: "Reports", dependencies: ["Analysis", "Emulator"]),
        .executableTarget(name: "hetboot", dependencies: [
            "Profiles", "Images", "Emulator", "Analysis", "Reports",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "ProfilesTests", dependencies: ["Profiles"]),
        .testTarget(name: "ImagesTests", dependencies: ["Images"], exclude: ["Fixtures"]),
        .testTarget(name: "EmulatorTests", dependencies: ["Emulator", "Profiles", "Images"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Emulator", "Profiles", "Images"]),
        .testTarget(name: "HetbootTests", dependencies: ["hetboot", "Emulator", "Reports", .product(name: "TOMLKit", package: "TOMLKit")],
                    exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v5]
)
