// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Baton",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "baton", targets: ["baton"]),
        .executable(name: "baton-bench", targets: ["baton-bench"]),
        .library(name: "BatonContent", targets: ["BatonContent"]),
        .library(name: "BatonSearch", targets: ["BatonSearch"]),
        .library(name: "BatonJSON", targets: ["BatonJSON"]),
        .library(name: "BatonImport", targets: ["BatonImport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // System libraries. Each is a module map over the Debian -dev package; unsafe use of them
        // stays in thin wrappers inside the one module that needs it.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // JSON values written in a fixed key order: what the engine's browser export and every --json print.
        .target(name: "BatonJSON"),
        // The full-text engine: pure Swift, no dependencies but BatonJSON (for its browser export).
        .target(name: "BatonSearch", dependencies: ["BatonJSON"], exclude: ["Index/FORMAT.md", "Export/BROWSER.md"]),
        .target(
            name: "BatonContent",
            dependencies: ["BatonSearch", "BatonJSON", "CCmarkGFM", .product(name: "Yams", package: "Yams")]
        ),
        // Importing HTML, XML, Word and OpenDocument files; the only module that uses libxml2 (and ZIPFoundation,
        // for the archives Word and OpenDocument files are).
        .target(name: "BatonImport", dependencies: ["BatonContent", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // The static website: Mustache templates of the theme in site/, pages, assets.
        .target(
            name: "BatonSite",
            dependencies: ["BatonContent", "BatonSearch", .product(name: "Mustache", package: "swift-mustache")]
        ),
        // `baton serve`: the site over HTTP while it is written, rebuilt on every change; the only module that
        // uses Hummingbird.
        .target(
            name: "BatonServe",
            dependencies: [
                "BatonSite", "BatonContent", "BatonSearch", "BatonJSON", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "baton",
            dependencies: ["BatonContent", "BatonSearch", "BatonJSON", "BatonImport", "BatonSite", "BatonServe", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Benchmark: builds an index of a JSONL corpus and times queries (run it in release mode).
        .executableTarget(name: "baton-bench", dependencies: ["BatonSearch"]),
        // Fuzz targets: built with libFuzzer and the address sanitizer by `make fuzz` (-DBATON_LIBFUZZER); in an
        // ordinary build, `baton-fuzz replay TARGET FILES` runs saved inputs (the tests replay the seed corpora).
        .systemLibrary(name: "CFuzzer"),
        .executableTarget(name: "baton-fuzz", dependencies: ["BatonSearch", "BatonContent", "BatonImport", "CFuzzer", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(
            name: "BatonSearchTests",
            dependencies: ["BatonSearch"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "BatonImportTests",
            dependencies: ["BatonImport", "BatonContent", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "BatonSiteTests",
            dependencies: ["BatonSite", "BatonContent", "BatonSearch"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "BatonContentTests",
            dependencies: ["BatonContent", "BatonSearch", "BatonJSON"]
        ),
        .testTarget(
            name: "BatonCLITests",
            dependencies: ["baton", "baton-fuzz", "BatonContent"],
            exclude: ["Fixtures"]
        ),
    ]
)
