// swift-tools-version:6.0
import PackageDescription

// Layers (data flows one way, top to bottom):
//   stratum (CLI) → Stratum (session) → StratumQuery / StratumAnalytics / StratumReports
//   → StratumImport → StratumStore → C system libraries.
let package = Package(
    name: "Stratum",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "stratum", targets: ["stratum"]),
        .library(name: "Stratum", targets: ["Stratum"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: C system libraries
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CArchive", path: "Sources/CArchive", pkgConfig: "libarchive",
                       providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CGSL", path: "Sources/CGSL", pkgConfig: "gsl",
                       providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(name: "CEditLine", path: "Sources/CEditLine", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"])]),

        // MARK: Layers
        .target(name: "StratumStore", dependencies: ["CSQLite"]),
        .target(name: "StratumImport", dependencies: ["StratumStore", "CArchive"]),
        .target(name: "StratumQuery", dependencies: ["StratumStore"]),
        .target(name: "StratumAnalytics", dependencies: ["StratumStore", "CGSL"]),
        .target(name: "StratumReports", dependencies: ["StratumStore", "StratumQuery", "StratumImport"]),
        .target(name: "StratumSynth", dependencies: ["StratumStore", "CArchive"]),
        .target(name: "Stratum", dependencies: [
            "StratumStore", "StratumImport", "StratumQuery", "StratumAnalytics", "StratumReports", "StratumSynth",
        ]),
        .executableTarget(name: "stratum", dependencies: [
            "Stratum", "CEditLine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Deterministic fuzzer for the cohort language: lexer, parser, binder, compilers, renderer.
        .executableTarget(name: "stratum-fuzz", dependencies: ["StratumQuery", "StratumStore"], path: "Sources/StratumFuzz"),

        // MARK: Tests
        .testTarget(name: "StratumStoreTests", dependencies: ["StratumStore"]),
        // Numerics on GSL: clustering, trajectories, features (peer checks against scikit-learn and
        // statsmodels run when the peers venv exists: `make peers`).
        .testTarget(name: "StratumAnalyticsTests", dependencies: ["StratumAnalytics", "StratumStore", "Stratum"]),
        .testTarget(name: "StratumImportTests", dependencies: ["StratumImport", "Stratum", "CArchive"], exclude: ["Fixtures"]),
        .testTarget(name: "StratumCLITests", dependencies: ["StratumStore"], exclude: ["Golden"]),
        .testTarget(name: "StratumSynthTests", dependencies: ["StratumSynth", "StratumStore", "CArchive"]),
        // Cohort query language; conformance fixtures are read at test time from ../shared/reference.
        .testTarget(name: "StratumQueryTests", dependencies: ["StratumQuery", "StratumStore", "Stratum"]),
        // The language as analysts meet it: golden SQL of Cohorts/*.stratum, the diagnostics catalogue,
        // and cohort semantics on small hand-made fixtures.
        .testTarget(name: "StratumLanguageTests", dependencies: ["StratumQuery", "StratumStore", "Stratum"], exclude: ["Golden"]),
        // Nesting limits, SQL injection through names and strings, placeholder/parameter counts.
        .testTarget(name: "StratumSafetyTests", dependencies: ["StratumQuery", "StratumStore", "Stratum"]),
        // Care gaps: measure evaluation, the HTML/CSV/FHIR renderers (golden files), the scheduler,
        // and the eCQM test decks read at test time from ../shared/reference.
        .testTarget(name: "StratumReportsTests", dependencies: ["StratumReports", "StratumQuery", "StratumStore", "Stratum"], exclude: ["Golden", "Fixtures/decks"]),
    ],
    swiftLanguageModes: [.v6]
)
