import Foundation
import XCTest
import StratumStore
import StratumImport

/// Imports of the real OMOP CDM CSV samples in `../shared/data`.
final class OMOPImportTests: XCTestCase {
    private func count(_ store: Store, _ sql: String) throws -> Int { try CSVTestSupport.int(store, sql) }

    func testGiBleedOMOP53() throws {
        let path = try CSVTestSupport.sharedData("gibleed-omop53.zip")
        let store = try CSVTestSupport.temporaryStore(self)
        let clock = ContinuousClock()
        var summary: ImportSummary!
        let elapsed = try clock.measure {
            summary = try Importer(store: store, options: ImportOptions()).importSource(path)
        }
        print("GiBleed import: \(elapsed), \(summary.rowsInserted) rows")

        XCTAssertEqual(summary.formats, [.omopCSV])
        XCTAssertEqual(try store.count("person"), 2694)
        XCTAssertEqual(try store.count("observation_period"), 5343)
        XCTAssertEqual(try store.count("visit_occurrence"), 1037)
        XCTAssertEqual(try store.count("condition_occurrence"), 65_332)
        // GiBleed reuses 4,384 drug_exposure ids (and 2,183 measurement, 6 observation ids) for
        // different rows: every row is kept, the later ones under new ids.
        XCTAssertEqual(try store.count("drug_exposure"), 67_707)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM drug_exposure WHERE days_supply > 0"), 34_803)
        XCTAssertEqual(try store.count("measurement"), 44_053)
        XCTAssertEqual(try store.count("observation"), 1477)
        XCTAssertEqual(try store.count("procedure_occurrence"), 37_409)
        XCTAssertEqual(try store.count("concept"), 442)
        XCTAssertEqual(try store.count("concept_ancestor"), 65_690)
        XCTAssertEqual(try store.count("death"), 0)
        XCTAssertEqual(try count(store, """
            SELECT count(*) FROM import_issue WHERE severity = 'kept' AND kind = 'OMOP drug_exposure row' AND count = 4384
            """), 1)

        // Float-written ids became integers.
        XCTAssertEqual(try count(store, "SELECT count(*) FROM concept_ancestor WHERE typeof(ancestor_concept_id) <> 'integer'"), 0)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM concept_ancestor WHERE ancestor_concept_id = 4180628 AND descendant_concept_id = 313217"), 1)

        // Source codes: from the source concept, so ICD-10-CM where the source coded in it.
        XCTAssertEqual(try count(store, "SELECT count(*) FROM condition_occurrence WHERE source_code IS NULL"), 0)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM condition_occurrence WHERE source_system = 'icd10cm' AND source_code = 'K92.2'"), 479)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM drug_exposure WHERE source_code IS NULL"), 0)
        XCTAssertGreaterThan(try count(store, "SELECT count(*) FROM drug_exposure WHERE source_system = 'cvx'"), 0)
        XCTAssertGreaterThan(try count(store, "SELECT count(*) FROM measurement WHERE source_system = 'loinc'"), 0)
        // COPD as Synthea codes it (SNOMED CT 185086009, chronic obstructive bronchitis):
        // 48 persons; with pulmonary emphysema (87433001) as well, 125.
        XCTAssertEqual(try count(store, """
            SELECT count(DISTINCT person_id) FROM condition_occurrence WHERE source_system = 'snomed' AND source_code = '185086009'
            """), 48)
        XCTAssertEqual(try count(store, """
            SELECT count(DISTINCT person_id) FROM condition_occurrence
            WHERE source_system = 'snomed' AND source_code IN ('185086009', '87433001')
            """), 125)

        // birth_date from year/month/day (PERSON 6: 1963-12-31).
        XCTAssertEqual(try count(store, "SELECT birth_date FROM person WHERE person_id = 6"), CivilDate.days(year: 1963, month: 12, day: 31))
        XCTAssertEqual(try count(store, "SELECT count(*) FROM person WHERE birth_date IS NULL"), 0)

        // Tables recognised but not kept are counted, and nothing was skipped.
        XCTAssertEqual(summary.entriesNotImported["OMOP table condition_era"], 1)
        XCTAssertEqual(summary.entriesNotImported["OMOP table concept_relationship"], 1)
        XCTAssertEqual(summary.entriesNotImported["OMOP table cost"], 1)
        XCTAssertTrue(summary.issues.allSatisfy { $0.severity == .kept }, "\(summary.issues)")
        XCTAssertEqual(summary.issues.map(\.count).sorted(), [6, 2183, 4384])
        XCTAssertEqual(summary.tableRows.first { $0.table == "drug_exposure" }?.duplicates, 0)
    }

    func testSynthea27NjOMOP54() throws {
        let path = try CSVTestSupport.sharedData("synthea27nj-omop54.zip")
        let store = try CSVTestSupport.temporaryStore(self)
        let summary = try Importer(store: store, options: ImportOptions()).importSource(path)

        XCTAssertEqual(try store.count("person"), 28)
        XCTAssertEqual(try store.count("measurement"), 10_040)
        XCTAssertEqual(try store.count("drug_exposure"), 883)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM drug_exposure WHERE days_supply > 0"), 788)
        XCTAssertEqual(try store.count("observation"), 8099)
        XCTAssertEqual(try store.count("condition_occurrence"), 470)
        XCTAssertEqual(try store.count("procedure_occurrence"), 1649)
        XCTAssertEqual(try store.count("visit_occurrence"), 1791)
        XCTAssertEqual(try store.count("observation_period"), 28)
        XCTAssertEqual(try store.count("death"), 3)
        XCTAssertEqual(try store.count("provider"), 67)
        XCTAssertEqual(try store.count("concept"), 2294)
        XCTAssertEqual(try store.count("concept_ancestor"), 0)

        // v5.4 datetimes (`2014-04-22 00:00:00`) and the measurement values.
        XCTAssertEqual(try count(store, "SELECT drug_exposure_start_datetime FROM drug_exposure WHERE drug_exposure_id = 1"),
                       CivilDate.days(year: 2014, month: 4, day: 22) * 86_400)
        XCTAssertEqual(try store.db.scalar("SELECT value_as_number FROM measurement WHERE measurement_id = 1").double, 48.1)
        XCTAssertEqual(try count(store, "SELECT count(*) FROM measurement WHERE source_system = 'loinc' AND source_code = '29463-7'"),
                       try count(store, "SELECT count(*) FROM measurement WHERE measurement_source_value = '29463-7'"))
        for table in ["condition_occurrence", "drug_exposure", "measurement", "observation", "procedure_occurrence"] {
            XCTAssertEqual(try count(store, "SELECT count(*) FROM \(table) WHERE source_code IS NULL OR source_system IS NULL"), 0, table)
        }
        XCTAssertEqual(summary.entriesNotImported["OMOP table concept_relationship"], 1)
        XCTAssertEqual(summary.entriesNotImported["OMOP table visit_detail"], 1)
        XCTAssertTrue(summary.issues.isEmpty, "\(summary.issues)")
    }
}
