import Foundation
import StratumStore
import XCTest
import StratumImport

/// Times the import of the Synthea R4 sample (386 MB of JSON, 21 MB gzipped). Off unless
/// `STRATUM_BENCH=1`, and only meaningful in a release build:
///
///     STRATUM_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter FHIRImportBenchmarkTests
///
/// Reports the best of five runs (other work on the machine only ever slows a run down), each
/// into a fresh store in the temporary directory, timed around `Importer.importSource`: archive
/// fingerprint, inflate, parse, map, insert, index build and observation periods.
final class FHIRImportBenchmarkTests: XCTestCase {
    func testImportSpeed() throws {
        guard ProcessInfo.processInfo.environment["STRATUM_BENCH"] == "1" else { throw XCTSkip("set STRATUM_BENCH=1 to run") }
        let archive = FHIRSyntheaImportTests.archive
        guard FileManager.default.fileExists(atPath: archive) else { throw XCTSkip("sample data not found at \(archive)") }
        var times: [Double] = []
        for _ in 0..<5 {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try Store(path: directory.appendingPathComponent("bench.sqlite").path)
            let started = Date()
            let summary = try Importer(store: store).importSource(archive)
            times.append(Date().timeIntervalSince(started))
            XCTAssertEqual(try store.count("person"), 325)
            XCTAssertEqual(summary.issues.count, 0)
        }
        let line = times.map { String(format: "%.3f", $0) }.joined(separator: " ")
        print("FHIR R4 import of \(URL(fileURLWithPath: archive).lastPathComponent): best \(String(format: "%.3f", times.min()!)) s (runs: \(line))")
    }
}
