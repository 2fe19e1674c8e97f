import Foundation
import StratumStore
import XCTest

/// `stratum synth` writes what `stratum import` reads, and the store holds what was planted.
final class SynthImportTests: XCTestCase {
    func testSynthesisedArchiveImportsWithWhatWasPlanted() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let archive = dir.appendingPathComponent("sample.tar.gz").path
        let synth = try CLI.run(["synth", "--patients", "1500", "--seed", "11", "-o", archive, "--json"])
        XCTAssertEqual(synth.status, 0, synth.stderr)
        let planted = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(synth.stdout.utf8)) as? [String: Any])
        let withCondition = try XCTUnwrap(planted["adults_with_condition"] as? [String: Int])

        let db = dir.appendingPathComponent("pop.sqlite").path
        let imported = try CLI.run(["import", archive, "--db", db, "--json"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let store = try Store(path: db, readOnly: true)
        func count(_ sql: String) throws -> Int { Int(try store.db.scalar(sql).int ?? -1) }

        XCTAssertEqual(try count("SELECT count(*) FROM person"), 1500)
        XCTAssertEqual(try count("SELECT count(*) FROM death"), planted["deaths"] as? Int)
        // Every planted adult with a disease is found by its SNOMED CT or ICD-10-CM code (the
        // generator codes 5% of conditions in ICD-10-CM only; children may add a few).
        let icd10 = ["44054006": "'E11.9', 'E11.65', 'E11.22'", "59621000": "'I10'", "13645005": "'J44.9'"]
        for (code, adults) in withCondition {
            guard let icd = icd10[code] else { continue }
            let persons = try count("""
                SELECT count(DISTINCT person_id) FROM condition_occurrence
                WHERE (source_system = 'snomed' AND source_code = '\(code)') OR (source_system = 'icd10cm' AND source_code IN (\(icd)))
                """)
            XCTAssertGreaterThanOrEqual(persons, adults, code)
            XCTAssertLessThanOrEqual(persons, adults + adults / 10 + 3, code)
        }
        // HbA1c series reach poor control; dispenses carry days supply; BP components are rows.
        XCTAssertGreaterThan(try count("SELECT count(*) FROM measurement WHERE source_code IN ('4548-4', '17856-6') AND value_as_number >= 10"), 0)
        XCTAssertGreaterThan(try count("SELECT count(*) FROM drug_exposure WHERE drug_type_concept_id = 32825 AND days_supply > 0"), 1000)
        XCTAssertGreaterThan(try count("SELECT count(*) FROM measurement WHERE source_code = '8480-6'"), 1000)
        // References resolve: visits name providers and care sites that exist; nothing is orphaned.
        XCTAssertEqual(try count("SELECT count(*) FROM visit_occurrence v WHERE NOT EXISTS (SELECT 1 FROM provider p WHERE p.provider_id = v.provider_id)"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM visit_occurrence v WHERE NOT EXISTS (SELECT 1 FROM care_site c WHERE c.care_site_id = v.care_site_id)"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM import_issue WHERE severity = 'skipped'"), 0)
    }

    func testSynthIsDeterministicForASeed() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.tar.gz").path, b = dir.appendingPathComponent("b.tar.gz").path
        XCTAssertEqual(try CLI.run(["synth", "--patients", "200", "--seed", "5", "-o", a, "-q"]).status, 0)
        XCTAssertEqual(try CLI.run(["synth", "--patients", "200", "--seed", "5", "-o", b, "-q"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)))
        XCTAssertEqual(try CLI.run(["synth", "--patients", "0", "-o", a]).status, 2)
    }
}
