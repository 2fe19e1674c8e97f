import Foundation
import XCTest

/// `stratum caregaps`, `conformance` and `schedule` as a user meets them: files written, the
/// summary, exit codes for bad input, and nothing half-written.
final class CareGapsCommandTests: XCTestCase {
    var measures: String { CLI.repoRoot.appendingPathComponent("Reports/measures").path }

    func testWritesEveryFormatAndSummarisesEachMeasure() throws {
        let (dir, db) = try ReplFixture.storeCopy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("reports").path
        let result = try CLI.run(["caregaps", "--db", db, "--measures", "cms122,cms165", "--period", "2025", "--out", out,
                                  "--measures-dir", measures, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        for file in ["caregaps.html", "caregaps-patients.csv", "caregaps-summary.csv", "fhir/measurereport-summary.json",
                     "fhir/measurereport-individual.ndjson", "fhir/caregaps.ndjson"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(file)"), file)
        }
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(json["measures"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["measure"] as? String }, ["cms122", "cms165"])
        XCTAssertTrue((json["value_sets"] as? String ?? "").contains("demo approximations"))
        // The demo population has diabetics with a visit in 2025.
        let cms122 = try XCTUnwrap(rows.first?["counts"] as? [String: Int])
        XCTAssertGreaterThan(cms122["initial-population"] ?? 0, 0)
        XCTAssertLessThanOrEqual(cms122["numerator"] ?? 0, cms122["denominator"] ?? 0)
    }

    func testUnknownMeasureIsADataErrorAndWritesNothing() throws {
        let (dir, db) = try ReplFixture.storeCopy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("reports").path
        let result = try CLI.run(["caregaps", "--db", db, "--measures", "cms999", "--period", "2025", "--out", out, "--measures-dir", measures])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("unknown measure 'cms999'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("cms122"), "lists the known measures: \(result.stderr)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testBadPeriodAndFormatAreUsageErrors() throws {
        let (dir, db) = try ReplFixture.storeCopy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let period = try CLI.run(["caregaps", "--db", db, "--measures", "cms122", "--period", "last year", "--out", dir.path, "--measures-dir", measures])
        XCTAssertEqual(period.status, 2)
        XCTAssertTrue(period.stderr.contains("--period"), period.stderr)
        let format = try CLI.run(["caregaps", "--db", db, "--measures", "cms122", "--period", "2025", "--out", dir.path, "--format", "pdf",
                                  "--measures-dir", measures])
        XCTAssertEqual(format.status, 2)
        XCTAssertTrue(format.stderr.contains("unknown format 'pdf'"), format.stderr)
    }

    func testMissingStoreNamesTheFile() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLI.run(["caregaps", "--db", dir.appendingPathComponent("none.sqlite").path, "--measures", "cms122",
                                  "--period", "2025", "--out", dir.path, "--measures-dir", measures])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("no store at"), result.stderr)
    }

    func testConformanceEndsWithTheCountLineAndFailsOnAFailure() throws {
        // A one-patient deck whose expected counts are deliberately wrong: the runner must say so.
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let patient = dir.appendingPathComponent("p1")
        try FileManager.default.createDirectory(at: patient, withIntermediateDirectories: true)
        try #"{"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1970-01-01"}"#
            .write(to: patient.appendingPathComponent("Patient-p1.json"), atomically: true, encoding: .utf8)
        try #"""
        {"resourceType":"MeasureReport","status":"complete","type":"individual","period":{"start":"2025-01-01","end":"2025-12-31"},
         "group":[{"population":[{"code":{"coding":[{"code":"initial-population"}]},"count":1}]}]}
        """#.write(to: patient.appendingPathComponent("MeasureReport-p1.json"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["conformance", "ecqm", "--measure", "cms122", "--tests", dir.path, "--measures-dir", measures])
        XCTAssertEqual(result.status, 1, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertTrue(lines.first?.hasPrefix("FAIL  p1") ?? false, result.stdout)
        XCTAssertTrue(lines.first?.contains("IPP 1/0") ?? false, result.stdout)
        XCTAssertEqual(lines.last, "0 passed, 1 failed")
    }
}
