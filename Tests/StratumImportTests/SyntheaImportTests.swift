import Foundation
import XCTest
import StratumStore
import StratumImport

/// Import of the real Synthea v3 CSV sample in `../shared/data`.
final class SyntheaImportTests: XCTestCase {
    private func count(_ store: Store, _ sql: String) throws -> Int { try CSVTestSupport.int(store, sql) }

    func testSyntheaCSV27() throws {
        let path = try CSVTestSupport.sharedData("synthea-csv-27.tar.gz")
        let store = try CSVTestSupport.temporaryStore(self)
        let summary = try Importer(store: store, options: ImportOptions()).importSource(path)
        XCTAssertEqual(summary.formats, [.syntheaCSV])
        XCTAssertTrue(summary.issues.isEmpty, "\(summary.issues)")

        // Records per file (counted with Python's csv module; none has a quoted line break, so
        // each is also `wc -l` minus the header).
        XCTAssertEqual(try store.count("person"), 27)
        XCTAssertEqual(try store.count("death"), 2)
        XCTAssertEqual(try store.count("visit_occurrence"), 604)
        XCTAssertEqual(try store.count("condition_occurrence"), 438)
        XCTAssertEqual(try store.count("procedure_occurrence"), 249)
        XCTAssertEqual(try store.count("provider"), 166)
        XCTAssertEqual(try store.count("care_site"), 63)
        XCTAssertEqual(try store.count("payer_plan_period"), 1051)
        // observations.csv: 599 numeric → measurement, 391 text → observation; allergies: 40.
        XCTAssertEqual(try store.count("measurement"), 599)
        XCTAssertEqual(try store.count("observation"), 391 + 40)
        // medications 663 + immunizations 29.
        XCTAssertEqual(try store.count("drug_exposure"), 663 + 29)
        XCTAssertEqual(try store.count("observation_period"), 27)

        // Codes and systems.
        XCTAssertEqual(try count(store, "SELECT count(*) FROM condition_occurrence WHERE source_system = 'snomed'"), 438)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM drug_exposure WHERE source_system = 'rxnorm'"), 663)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM drug_exposure WHERE source_system = 'cvx'"), 29)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM observation WHERE source_system = 'rxnorm'"), 3)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM visit_occurrence WHERE source_system = 'snomed'"), 604)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM measurement WHERE source_system = 'loinc' AND value_as_number IS NOT NULL"), 524)
        // Synthea's own QALY / DALY / QOLS scores: no published system, so none is claimed.
        XCTAssertEqual(try count(store, """
            SELECT count(*) FROM measurement WHERE source_system IS NULL AND source_code IN ('QALY', 'DALY', 'QOLS')
            """), 75)

        // References resolve across files: every event's person, visit, provider and site exists.
        for table in ["visit_occurrence", "condition_occurrence", "drug_exposure", "measurement", "observation", "procedure_occurrence"] {
            XCTAssertEqual(try count(store, "SELECT count(*) FROM \(table) e LEFT JOIN person p USING (person_id) WHERE p.person_id IS NULL"), 0, table)
        }
        XCTAssertEqual(try count(store, """
            SELECT count(*) FROM condition_occurrence c LEFT JOIN visit_occurrence v USING (visit_occurrence_id)
            WHERE v.visit_occurrence_id IS NULL
            """), 0)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM visit_occurrence v JOIN provider USING (provider_id)"), 604)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM visit_occurrence v JOIN care_site USING (care_site_id)"), 604)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM condition_occurrence WHERE provider_id IS NULL"), 0)

        // Person fields: the first patient (2014-10-06, M, white / nonhispanic).
        let person = try XCTUnwrap(store.db.query("""
            SELECT gender_concept_id, year_of_birth, month_of_birth, day_of_birth, birth_date, race_source_value
            FROM person WHERE person_source_value = '3edac2e3-d223-6fae-d515-daf96ef6bc76'
            """).first)
        XCTAssertEqual(person[0].int, StandardConcept.male)
        XCTAssertEqual([person[1].int, person[2].int, person[3].int], [2014, 10, 6])
        XCTAssertEqual(person[4].int, Int64(CivilDate.days(year: 2014, month: 10, day: 6)))
        XCTAssertEqual(person[5].text, "white")
        XCTAssertEqual(try count(store, "SELECT person_id FROM person WHERE person_source_value = '3edac2e3-d223-6fae-d515-daf96ef6bc76'"),
                       Int(StableID.of("3edac2e3-d223-6fae-d515-daf96ef6bc76")))

        // Medications: no days supply is invented; end = STOP (NULL while still active).
        XCTAssertEqual(try count(store, "SELECT count(*) FROM drug_exposure WHERE days_supply IS NOT NULL"), 0)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM drug_exposure WHERE source_system = 'rxnorm' AND drug_exposure_end_date IS NULL"), 46)
        XCTAssertEqual(try count(store, "SELECT CAST(sum(quantity) AS INTEGER) FROM drug_exposure WHERE source_system = 'rxnorm'"), 88_806)

        XCTAssertEqual(summary.entriesNotImported["Synthea claims.csv"], 1)
        XCTAssertEqual(summary.entriesNotImported["Synthea payers.csv"], 1)
        XCTAssertEqual(summary.entriesNotImported.count, 7)
    }
}
