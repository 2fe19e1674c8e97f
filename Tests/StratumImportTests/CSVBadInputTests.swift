import Foundation
import XCTest
import StratumStore
import StratumImport

/// Damaged and awkward CSV input, in small files written for each test: bad rows are skipped and
/// counted with `entry:line` (lenient) or stop the import with the store untouched (strict).
final class CSVBadInputTests: XCTestCase {
    private let personHeader = "person_id,gender_concept_id,year_of_birth,month_of_birth,day_of_birth,birth_datetime,race_concept_id,ethnicity_concept_id,person_source_value\n"
    private let patientsHeader = "Id,BIRTHDATE,DEATHDATE,GENDER,RACE,ETHNICITY\n"
    private let conditionsHeader = "START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION\n"

    private func importing(_ path: String, into store: Store, strict: Bool = false) throws -> ImportSummary {
        var options = ImportOptions()
        options.strict = strict
        return try Importer(store: store, options: options).importSource(path)
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    private func rowCounts(_ store: Store) throws -> [Int] {
        try CDMSchema.dataTables.map { try store.count($0.name) } + [try store.count("import_run"), try store.count("import_issue")]
    }

    func testWrongFieldCountIsSkippedWithEntryAndLineWhenLenient() throws {
        let dir = try CSVTestSupport.directory(self, ["PERSON.csv": bytes(personHeader + """
            1,8507,1980,1,2,1980-01-02,0,0,a
            2,8532,1990,3,4
            3,8532,1991,5,6,1991-05-06 00:00:00,0,0,"c, quoted"

            """)])
        let store = try CSVTestSupport.temporaryStore(self)
        let summary = try importing(dir, into: store)
        XCTAssertEqual(try store.count("person"), 2)
        let issue = try XCTUnwrap(summary.issues.first)
        XCTAssertEqual(issue.kind, "OMOP person row")
        XCTAssertEqual(issue.reason, "wrong number of fields (expected 9, found 5)")
        XCTAssertEqual(issue.count, 1)
        XCTAssertEqual(issue.examples, ["PERSON.csv:3"])
        XCTAssertEqual(try CSVTestSupport.int(store, "SELECT count(*) FROM import_issue WHERE examples = 'PERSON.csv:3'"), 1)
    }

    func testWrongFieldCountStopsAStrictImportAndLeavesTheStoreUnchanged() throws {
        let store = try CSVTestSupport.temporaryStore(self)
        let good = try CSVTestSupport.directory(self, ["PERSON.csv": bytes(personHeader + "1,8507,1980,1,2,1980-01-02,0,0,a\n")])
        _ = try importing(good, into: store)
        let before = try rowCounts(store)

        let bad = try CSVTestSupport.directory(self, [
            "omop/person.csv": bytes(personHeader + "10,8507,1980,1,2,1980-01-02,0,0,b\n11,8532\n"),
            "omop/measurement.csv": bytes("measurement_id,person_id,measurement_concept_id,measurement_date\n1,10,3025315,2020-01-01\n"),
        ])
        XCTAssertThrowsError(try importing(bad, into: store, strict: true)) { error in
            let error = error as? ImportError
            XCTAssertEqual(error?.kind, .data)
            XCTAssertEqual(error?.entry, "omop/person.csv")
            XCTAssertEqual(error?.line, 3)
            XCTAssertTrue(error?.description.contains("omop/person.csv:3") == true, error?.description ?? "")
        }
        XCTAssertEqual(try rowCounts(store), before)
    }

    func testImpossibleDateIsSkippedLenientAndStopsStrict() throws {
        let files = ["synthea/patients.csv": bytes(patientsHeader + "p1,1970-01-01,,F,white,nonhispanic\n"),
                     "synthea/conditions.csv": bytes(conditionsHeader + """
                        2023-02-28,,p1,e1,44054006,Diabetes
                        2023-02-30,,p1,e1,38341003,Hypertension
                        2023-03-01,2023-02-29,p1,e1,38341003,Hypertension

                        """)]
        let store = try CSVTestSupport.temporaryStore(self)
        let summary = try importing(try CSVTestSupport.directory(self, files), into: store)
        XCTAssertEqual(try store.count("condition_occurrence"), 1)
        XCTAssertEqual(summary.issues.map(\.reason), ["impossible or unparseable date in START", "impossible or unparseable date in STOP"])
        XCTAssertEqual(summary.issues.map(\.examples), [["synthea/conditions.csv:3"], ["synthea/conditions.csv:4"]])

        let strictStore = try CSVTestSupport.temporaryStore(self)
        XCTAssertThrowsError(try importing(try CSVTestSupport.directory(self, files), into: strictStore, strict: true)) { error in
            XCTAssertEqual((error as? ImportError)?.entry, "synthea/conditions.csv")
            XCTAssertEqual((error as? ImportError)?.line, 3)
        }
        XCTAssertEqual(try strictStore.count("person"), 0)
        XCTAssertEqual(try strictStore.count("import_run"), 0)
    }

    func testNonUTF8BytesAreSkipped() throws {
        let bad: [UInt8] = bytes("p2,1980-05-05,,M,") + [0xC3, 0x28] + bytes(",nonhispanic\n")
        let dir = try CSVTestSupport.directory(self, [
            "patients.csv": bytes(patientsHeader + "p1,1970-01-01,,F,white,nonhispanic\n") + bad + bytes("p3,1990-01-01,2020-06-30,F,asian,hispanic\n"),
        ])
        let store = try CSVTestSupport.temporaryStore(self)
        let summary = try importing(dir, into: store)
        XCTAssertEqual(try store.count("person"), 2)
        XCTAssertEqual(try store.count("death"), 1)
        XCTAssertEqual(summary.issues.first?.reason, "not valid UTF-8")
        XCTAssertEqual(summary.issues.first?.examples, ["patients.csv:3"])
    }

    /// Chunked Synthea files, each with its own header, read before or after the files that
    /// refer to them; a BOM, CRLF line ends and a quoted line break on the way.
    func testChunkedSyntheaFilesAndReferencesInAnyOrder() throws {
        let dir = try CSVTestSupport.directory(self, [
            "a/conditions.csv": bytes(conditionsHeader + "2020-01-01,,p2,e9,195662009,\"Acute viral\npharyngitis\"\n"),
            "b/patients.0001.csv": [0xEF, 0xBB, 0xBF] + bytes(patientsHeader.replacingOccurrences(of: "\n", with: "\r\n")
                + "p1,1970-01-01,,F,white,nonhispanic\r\n"),
            "b/patients.0002.csv": bytes(patientsHeader + "p2,1971-02-03,,M,black,nonhispanic\n"),
        ])
        let store = try CSVTestSupport.temporaryStore(self)
        let summary = try importing(dir, into: store)
        XCTAssertTrue(summary.issues.isEmpty, "\(summary.issues)")
        XCTAssertEqual(try store.count("person"), 2)
        XCTAssertEqual(try CSVTestSupport.int(store, """
            SELECT count(*) FROM condition_occurrence c JOIN person p USING (person_id) WHERE p.person_source_value = 'p2'
            """), 1)
    }

    /// A zip made with the `zip` command: GiBleed's placeholder header over a real one, ids as
    /// floats, and a table recognised but not kept.
    func testZippedOMOPWithPlaceholderHeader() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/zip") else { throw XCTSkip("no zip command") }
        let dir = try CSVTestSupport.directory(self, [
            "DEATH.csv": bytes("column0,column1,column2\nPERSON_ID,DEATH_DATE,CAUSE_CONCEPT_ID\n5.0,2001-02-03,0\n6,2001-02-30,0\n"),
            "DRUG_ERA.csv": bytes("drug_era_id,person_id,drug_concept_id\n1,5,1\n"),
        ])
        let zip = URL(fileURLWithPath: dir).appendingPathComponent("omop.zip").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zip")
        process.arguments = ["-q", "-j", zip, dir + "/DEATH.csv", dir + "/DRUG_ERA.csv"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)

        let store = try CSVTestSupport.temporaryStore(self)
        let summary = try importing(zip, into: store)
        XCTAssertEqual(try CSVTestSupport.int(store, "SELECT person_id FROM death"), 5)
        XCTAssertEqual(summary.issues.first?.examples, ["DEATH.csv:4"])
        XCTAssertEqual(summary.entriesNotImported["OMOP table drug_era"], 1)
    }

    /// A CSV that is neither OMOP nor Synthea is left alone, not half-read.
    func testUnrelatedCSVIsNotClaimed() throws {
        let dir = try CSVTestSupport.directory(self, [
            "person.csv": bytes("name,age\nx,3\n"),
            "patients.csv": bytes(patientsHeader + "p1,1970-01-01,,F,white,nonhispanic\n"),
        ])
        let store = try CSVTestSupport.temporaryStore(self)
        let summary = try importing(dir, into: store)
        XCTAssertEqual(summary.formats, [.syntheaCSV])
        XCTAssertEqual(summary.entriesNotImported["entry in no known format: *.csv"], 1)
    }
}
