import Foundation
import StratumStore
import XCTest
@testable import StratumImport

/// Imports the real Synthea FHIR R4 sample (../shared/data, not in the repo) and checks the
/// counts its README states, plus referential integrity.
final class FHIRSyntheaImportTests: XCTestCase {
    static var archive: String {
        // Tests/StratumImportTests/<file> → repository root → ../shared/data
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/data/synthea-fhir-r4-dev.tar.gz").standardizedFileURL.path
    }

    private func int(_ store: Store, _ sql: String) throws -> Int {
        Int(try store.db.scalar(sql).int ?? -1)
    }

    /// Persons with a condition whose SNOMED code is one of `codes`.
    private func personsWithCondition(_ store: Store, _ codes: [String]) throws -> Int {
        let list = codes.map { "'\($0)'" }.joined(separator: ", ")
        return try int(store, """
            SELECT count(DISTINCT person_id) FROM condition_occurrence
            WHERE source_system = 'snomed' AND source_code IN (\(list))
            """)
    }

    func testImportsSyntheaR4Archive() throws {
        let archive = Self.archive
        guard FileManager.default.fileExists(atPath: archive) else { throw XCTSkip("sample data not found at \(archive)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-fhir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(path: directory.appendingPathComponent("pop.sqlite").path)
        let summary = try Importer(store: store, options: ImportOptions()).importSource(archive)

        XCTAssertEqual(summary.formats, [.fhirBundle])
        XCTAssertEqual(summary.entries, 327)
        XCTAssertEqual(summary.issues.map { "\($0.kind): \($0.reason)" }, [], "clean data: nothing skipped")

        // 327 bundles: 325 patients, plus one of hospitals and one of practitioners.
        XCTAssertEqual(try store.count("person"), 325)
        XCTAssertEqual(try int(store, "SELECT count(*) FROM person WHERE year_of_birth IS NULL OR gender_concept_id NOT IN (8507, 8532)"), 0)
        // Races as Synthea codes them; its "Other" (2131-1, and 2135-2, an ethnicity code) maps to no concept.
        XCTAssertEqual(try int(store, "SELECT count(*) FROM person WHERE race_concept_id = 8527"), 241)
        XCTAssertEqual(try int(store, "SELECT count(*) FROM person WHERE race_concept_id = 8516"), 25)
        XCTAssertEqual(try int(store, "SELECT count(*) FROM person WHERE race_concept_id = 8515"), 22)
        XCTAssertEqual(try int(store, "SELECT count(*) FROM person WHERE race_concept_id = 8657"), 5)
        XCTAssertEqual(try int(store, "SELECT count(*) FROM person WHERE race_concept_id = 0 AND race_source_value = 'Other'"), 32)
        XCTAssertEqual(try int(store, "SELECT count(*) FROM person WHERE ethnicity_concept_id = 38003564"), 325)
        XCTAssertEqual(try store.count("death"), 65)

        // HbA1c: the README's 975 results for 110 patients.
        XCTAssertEqual(try int(store, "SELECT count(*) FROM measurement WHERE source_system = 'loinc' AND source_code = '4548-4'"), 975)
        XCTAssertEqual(try int(store, "SELECT count(DISTINCT person_id) FROM measurement WHERE source_code = '4548-4'"), 110)
        XCTAssertEqual(try int(store, "SELECT count(*) FROM measurement WHERE source_code = '4548-4' AND (value_as_number IS NULL OR unit_source_value IS NULL)"), 0)

        // Conditions, with the SNOMED codes this Synthea version writes:
        // - type 2 diabetes: 44054006 "Diabetes" (complications such as 368581000119106 are coded separately);
        // - heart failure: 88805009 "Chronic congestive heart failure"; 84114007 "Heart failure" does not occur;
        // - COPD: 185086009 "Chronic obstructive bronchitis" (5 persons, the README's count); 13645005
        //   "Chronic obstructive lung disease" does not occur; 87433001 "Pulmonary emphysema" (also
        //   COPD clinically) adds 5 other persons.
        XCTAssertEqual(try personsWithCondition(store, ["44054006"]), 17)
        XCTAssertEqual(try personsWithCondition(store, ["88805009", "84114007"]), 29)
        XCTAssertEqual(try personsWithCondition(store, ["185086009", "13645005"]), 5)
        XCTAssertEqual(try personsWithCondition(store, ["87433001"]), 5)
        XCTAssertEqual(try personsWithCondition(store, ["185086009", "13645005", "87433001"]), 10)

        // Blood pressure panels (LOINC 55284-4 here) become one row per component.
        XCTAssertEqual(try int(store, "SELECT count(*) FROM measurement WHERE source_code = '8480-6'"), 2817)
        XCTAssertEqual(try int(store, "SELECT count(*) FROM measurement WHERE source_code = '8462-4'"), 2817)
        XCTAssertEqual(try int(store, "SELECT count(*) FROM measurement WHERE source_code = '55284-4'"), 0)

        // Row counts per table, from counting the resources in the archive.
        XCTAssertEqual(try store.count("visit_occurrence"), 9371)
        XCTAssertEqual(try store.count("condition_occurrence"), 2386)
        XCTAssertEqual(try store.count("procedure_occurrence"), 8160)
        // Laboratory results are measurements whatever their value: 176 urinalysis results with a
        // coded or text value (colour, clarity, 5767-9 twice per panel, …) among them.
        XCTAssertEqual(try store.count("measurement"), 41339 + 2 * 2817 + 176)
        XCTAssertEqual(try int(store, "SELECT count(*) FROM measurement WHERE value_as_number IS NULL AND category_source_value = 'laboratory'"), 176)
        XCTAssertEqual(try store.count("observation"), 3046 - 176 + 55 + 192, "other coded and text observations, plus allergies")
        // Every Synthea observation says it is final.
        XCTAssertEqual(try int(store, "SELECT count(*) FROM measurement WHERE status_source_value = 'final'"), 41339 + 2 * 2817 + 176)
        XCTAssertEqual(try int(store, "SELECT count(*) FROM drug_exposure WHERE drug_type_concept_id = 32838"), 2341)
        XCTAssertEqual(try int(store, "SELECT count(*) FROM drug_exposure WHERE source_system = 'cvx'"), 3815)
        XCTAssertEqual(try int(store, "SELECT count(*) FROM drug_exposure WHERE days_supply IS NOT NULL"), 0, "the README: no supply duration")
        XCTAssertEqual(try store.count("provider"), 102)
        XCTAssertEqual(try store.count("care_site"), 102)
        XCTAssertEqual(summary.entriesNotImported["FHIR Claim"], 11712)
        XCTAssertEqual(summary.entriesNotImported["FHIR ExplanationOfBenefit"], 9371)

        // Visits point at providers and care sites that exist (39 encounters name no participant).
        let visits = try store.count("visit_occurrence")
        let withProvider = try int(store, "SELECT count(*) FROM visit_occurrence v JOIN provider p ON p.provider_id = v.provider_id")
        XCTAssertEqual(withProvider, 9371 - 39)
        XCTAssertGreaterThan(Double(withProvider) / Double(visits), 0.99)
        XCTAssertEqual(try int(store, "SELECT count(*) FROM visit_occurrence v JOIN care_site c ON c.care_site_id = v.care_site_id"), visits)
        XCTAssertEqual(try int(store, """
            SELECT count(*) FROM visit_occurrence v WHERE visit_concept_id NOT IN (9201, 9202, 9203)
            """), 0)

        // No orphans: every event belongs to a person, every visit reference to a visit.
        for table in CDMSchema.eventTables + [CDMSchema.death, CDMSchema.observationPeriod] {
            XCTAssertEqual(try int(store, "SELECT count(*) FROM \(table.name) WHERE person_id NOT IN (SELECT person_id FROM person)"), 0,
                           "orphans in \(table.name)")
        }
        for table in ["condition_occurrence", "drug_exposure", "measurement", "observation", "procedure_occurrence"] {
            XCTAssertEqual(try int(store, """
                SELECT count(*) FROM \(table) WHERE visit_occurrence_id IS NOT NULL
                AND visit_occurrence_id NOT IN (SELECT visit_occurrence_id FROM visit_occurrence)
                """), 0, "dangling visit references in \(table)")
        }
        XCTAssertEqual(try store.count("observation_period"), 325)
    }
}
