import Foundation
import XCTest
import StratumStore
import StratumImport

/// OMOP mapping rules on small files written for each test.
final class OMOPMappingTests: XCTestCase {
    private func importDirectory(_ files: [String: String]) throws -> (Store, ImportSummary) {
        let dir = try CSVTestSupport.directory(self, files.mapValues { Array($0.utf8) })
        let store = try CSVTestSupport.temporaryStore(self)
        return (store, try Importer(store: store, options: ImportOptions()).importSource(dir))
    }

    func testSourceCodesPreferTheSourceConceptThenTheStandardOneThenTheSourceValue() throws {
        let (store, _) = try importDirectory([
            "CONCEPT.csv": """
                CONCEPT_ID,CONCEPT_NAME,DOMAIN_ID,VOCABULARY_ID,CONCEPT_CLASS_ID,STANDARD_CONCEPT,CONCEPT_CODE,VALID_START_DATE,VALID_END_DATE,INVALID_REASON
                35208414,"Gastrointestinal hemorrhage, unspecified",Condition,ICD10CM,4-char billing code,,K92.2,2007-01-01,2099-12-31,
                192671,Gastrointestinal hemorrhage,Condition,SNOMED,Clinical Finding,S,74474003,1970-01-01,2099-12-31,

                """,
            "CONDITION_OCCURRENCE.csv": """
                CONDITION_OCCURRENCE_ID,PERSON_ID,CONDITION_CONCEPT_ID,CONDITION_START_DATE,CONDITION_SOURCE_VALUE,CONDITION_SOURCE_CONCEPT_ID
                1,1,192671,2020-01-01,K92.2,35208414
                2,1,192671,2020-01-02,74474003,0
                3,1,192671,2020-01-03,whatever,999
                4,1,0,2020-01-04,X1,0
                5,1,0,2020-01-05,,0

                """,
        ])
        let rows = try store.db.query("SELECT condition_occurrence_id, source_system, source_code FROM condition_occurrence ORDER BY 1")
        XCTAssertEqual(rows.map { [$0[1], $0[2]] }, [
            ["icd10cm", "K92.2"], ["snomed", "74474003"], ["snomed", "74474003"], [.null, "X1"], [.null, .null],
        ])
    }

    func testV53ColumnsAreRenamedAndUnknownColumnsIgnored() throws {
        let (store, summary) = try importDirectory([
            "visit_occurrence.csv": """
                VISIT_OCCURRENCE_ID,PERSON_ID,VISIT_CONCEPT_ID,VISIT_START_DATE,VISIT_START_DATETIME,ADMITTING_SOURCE_VALUE,DISCHARGE_TO_SOURCE_VALUE,SOMETHING_LOCAL
                7.0,3,9201,2019-05-01,2019-05-01 13:45:00,ER,Home,zzz

                """,
        ])
        XCTAssertTrue(summary.issues.isEmpty, "\(summary.issues)")
        let row = try XCTUnwrap(store.db.query("""
            SELECT visit_occurrence_id, admitted_from_source_value, discharged_to_source_value, visit_start_date, visit_start_datetime
            FROM visit_occurrence
            """).first)
        XCTAssertEqual(row[0].int, 7)
        XCTAssertEqual(row[1].text, "ER")
        XCTAssertEqual(row[2].text, "Home")
        XCTAssertEqual(row[3].int, Int64(CivilDate.days(year: 2019, month: 5, day: 1)))
        XCTAssertEqual(row[4].int, Int64(CivilDate.days(year: 2019, month: 5, day: 1) * 86_400 + 13 * 3600 + 45 * 60))
    }

    /// A repeated row stays one row; a different row reusing an id is kept under a negative id.
    func testReusedIdsKeepDifferentEventsAndDropRepeats() throws {
        let (store, summary) = try importDirectory([
            "drug_exposure.csv": """
                drug_exposure_id,person_id,drug_concept_id,drug_exposure_start_date,days_supply
                1,1,100,2020-01-01,30
                1,1,100,2020-01-01,30
                1,2,200,2021-02-02,7
                2,2,200,2021-03-03,7

                """,
        ])
        XCTAssertEqual(try store.count("drug_exposure"), 3)
        XCTAssertEqual(try CSVTestSupport.int(store, "SELECT drug_exposure_id FROM drug_exposure WHERE person_id = 2 AND drug_concept_id = 200 AND days_supply = 7 AND drug_exposure_start_date = \(CivilDate.days(year: 2021, month: 2, day: 2))"), -1)
        XCTAssertEqual(summary.tableRows.first { $0.table == "drug_exposure" }?.inserted, 3)
        XCTAssertEqual(try CSVTestSupport.int(store, "SELECT count FROM import_issue WHERE severity = 'kept' AND kind = 'OMOP drug_exposure row'"), 1)
        XCTAssertEqual(try store.db.scalar("SELECT examples FROM import_issue WHERE severity = 'kept' AND kind = 'OMOP drug_exposure row'").text,
                       "drug_exposure.csv:4")
    }

    func testBirthDateFromPartsOrDatetimeButNeverInvented() throws {
        let (store, summary) = try importDirectory([
            "person.csv": """
                person_id,gender_concept_id,year_of_birth,month_of_birth,day_of_birth,birth_datetime
                1,8507,1950,4,12,
                2,8532,1960,,,1960-07-08T10:00:00Z
                3,8532,1970,,,
                4,8532,1971,2,30,

                """,
        ])
        XCTAssertTrue(summary.issues.isEmpty, "\(summary.issues)")
        let dates = try store.db.query("SELECT birth_date FROM person ORDER BY person_id").map { $0[0] }
        XCTAssertEqual(dates, [.integer(Int64(CivilDate.days(year: 1950, month: 4, day: 12))),
                               .integer(Int64(CivilDate.days(year: 1960, month: 7, day: 8))), .null, .null])
    }

    func testUnparseableNumberAndMissingPersonAreSkippedWithReasons() throws {
        let (store, summary) = try importDirectory([
            "measurement.csv": """
                measurement_id,person_id,measurement_concept_id,measurement_date,value_as_number
                1,1,3004410,2020-01-01,7.5
                2,1,3004410,2020-01-02,seven
                3,,3004410,2020-01-03,8
                4,1,3004410,2020-01-04,NA

                """,
        ])
        XCTAssertEqual(try store.count("measurement"), 2)
        XCTAssertEqual(summary.issues.map(\.reason), ["unparseable number in value_as_number", "missing person_id"])
        XCTAssertEqual(summary.issues.flatMap(\.examples), ["measurement.csv:3", "measurement.csv:4"])
        XCTAssertEqual(try store.db.scalar("SELECT value_as_number FROM measurement WHERE measurement_id = 4"), .null)
    }
}
