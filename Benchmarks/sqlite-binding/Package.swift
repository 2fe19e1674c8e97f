// swift-tools-version: 6.0
// Standalone micro-benchmark: GRDB.swift 7.10.0 vs a thin raw SQLite wrapper for bulk inserts.
// Not part of the Stratum package graph; build it from this folder.
import PackageDescription

let package = Package(
    name: "sqlite-binding-bench",
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .executableTarget(
            name: "sqlite-binding-bench",
            dependencies: [
                "CSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)
