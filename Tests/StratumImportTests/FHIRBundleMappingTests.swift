import Foundation
import StratumStore
import XCTest
@testable import StratumImport

/// Mapping details on a synthetic collection Bundle, and damaged whole documents.
final class FHIRBundleMappingTests: XCTestCase {
    /// Entries of the Bundle, one per line; entry k starts on line `firstEntryLine + k`.
    static let entries = [
        #"{"fullUrl": "urn:uuid:pat-1", "resource": {"resourceType": "Patient", "gender": "other", "birthDate": "1980-07-01"}}"#,
        ##"{"resource": {"resourceType": "MedicationRequest", "id": "1", "status": "active", "intent": "order", "subject": {"reference": "urn:uuid:pat-1"}, "authoredOn": "2021-03-01T10:00:00Z", "contained": [{"resourceType": "Medication", "id": "med", "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "197361"}]}}], "medicationReference": {"reference": "#med"}, "dispenseRequest": {"expectedSupplyDuration": {"value": 4, "code": "wk"}}, "dosageInstruction": [{"text": "one tablet daily", "route": {"coding": [{"system": "http://snomed.info/sct", "code": "26643006"}]}}]}}"##,
        #"{"fullUrl": "urn:uuid:mr-2", "resource": {"resourceType": "MedicationRequest", "id": "mr-2", "status": "active", "intent": "order", "subject": {"reference": "urn:uuid:pat-1"}, "authoredOn": "2021-03-02", "medicationReference": {"reference": "urn:uuid:med-2"}}}"#,
        #"{"fullUrl": "urn:uuid:med-2", "resource": {"resourceType": "Medication", "id": "med-2-id", "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "314076"}]}}}"#,
        #"{"resource": {"resourceType": "MedicationDispense", "id": "md-1", "status": "completed", "subject": {"reference": "urn:uuid:pat-1"}, "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "197361"}]}, "whenHandedOver": "2021-03-03", "daysSupply": {"value": 30, "unit": "day"}, "quantity": {"value": 30}}}"#,
        #"{"resource": {"resourceType": "MedicationStatement", "id": "ms-1", "status": "active", "subject": {"reference": "urn:uuid:pat-1"}, "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "617314"}]}, "effectivePeriod": {"start": "2020-01-01", "end": "2020-06-30"}}}"#,
        #"{"resource": {"resourceType": "Immunization", "id": "1", "status": "completed", "patient": {"reference": "urn:uuid:pat-1"}, "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "08"}]}, "occurrenceDateTime": "1980-07-02"}}"#,
        #"{"resource": {"resourceType": "Immunization", "id": "2", "status": "not-done", "patient": {"reference": "urn:uuid:pat-1"}, "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "140"}]}, "occurrenceDateTime": "2020-10-01"}}"#,
        #"{"resource": {"resourceType": "AllergyIntolerance", "id": "1", "type": "allergy", "patient": {"reference": "urn:uuid:pat-1"}, "code": {"coding": [{"system": "http://snomed.info/sct", "code": "91935009"}]}, "recordedDate": "2015-05-05"}}"#,
        #"{"resource": {"resourceType": "Coverage", "id": "cov-1", "status": "active", "beneficiary": {"reference": "urn:uuid:pat-1"}, "payor": [{"display": "Medicare"}], "period": {"start": "2019-01-01", "end": "2019-12-31"}}}"#,
        #"{"resource": {"resourceType": "Procedure", "id": "pr-1", "status": "completed", "subject": {"reference": "urn:uuid:pat-1"}, "code": {"coding": [{"system": "http://snomed.info/sct", "code": "73761001"}]}, "performedPeriod": {"start": "2021-04-01T09:00:00Z", "end": "2021-04-01T10:30:00Z"}}}"#,
        #"{"resource": {"resourceType": "Condition", "id": "cd-1", "subject": {"reference": "urn:uuid:pat-1"}, "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "\u0045\u0031\u0031.9"}]}, "onsetPeriod": {"start": "2018-02-03"}, "abatementDateTime": "2019-02-03"}}"#,
        #"{"resource": {"resourceType": "Condition", "id": "cd-2", "subject": {"reference": "urn:uuid:pat-1"}, "verificationStatus": {"coding": [{"code": "refuted"}]}, "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]}, "onsetDateTime": "2018-02-03"}}"#,
        #"{"resource": {"resourceType": "Observation", "id": "ob-bad", "status": "final", "subject": {"reference": "urn:uuid:pat-1"}, "code": {"coding": [{"system": "http://loinc.org", "code": "8302-2"}]}, "effectiveDateTime": "2021-13-01", "valueQuantity": {"value": 170}}}"#,
        #"{"resource": {"resourceType": "Observation", "id": "ob-text", "status": "final", "subject": {"reference": "urn:uuid:pat-1"}, "code": {"coding": [{"system": "http://loinc.org", "code": "8689-2"}]}, "issued": "2021-05-01T00:00:00.123+00:00", "valueString": "Caf\u00e9 \"quoted\""}}"#,
        #"{"resource": {"resourceType": "Observation", "id": "ob-err", "status": "entered-in-error", "subject": {"reference": "urn:uuid:pat-1"}, "code": {"coding": [{"system": "http://loinc.org", "code": "8302-2"}]}, "effectiveDateTime": "2021-01-01"}}"#,
        #"{"resource": {"resourceType": "Basic", "id": "b1"}}"#,
        #"{"resource": {"resourceType": "Observation", "id": "ob-group", "status": "final", "subject": {"reference": "Group/g1"}, "code": {"coding": [{"system": "http://loinc.org", "code": "8302-2"}]}, "effectiveDateTime": "2021-01-01", "valueQuantity": {"value": 1}}}"#,
        #"{"resource": {"resourceType": "Condition", "id": "cd-3", "subject": {"reference": "Patient?identifier=http://hospital.smarthealthit.org|123"}, "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]}, "onsetDateTime": "2018-02-03"}}"#,
    ]
    static let firstEntryLine = 5

    static var bundle: String {
        "{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"collection\",\n  \"entry\": [\n    "
            + entries.joined(separator: ",\n    ") + "\n  ]\n}\n"
    }

    private func line(ofEntry index: Int) -> Int { Self.firstEntryLine + index }

    func testMappingDetails() throws {
        let s = try FHIRScratch()
        try s.write("data/bundle.json", Self.bundle)
        let summary = try s.importSource(s.directory.appendingPathComponent("data").path)
        XCTAssertEqual(summary.formats, [.fhirBundle])

        let issues = Dictionary(uniqueKeysWithValues: summary.issues.map { ("\($0.kind): \($0.reason)", $0.examples) })
        XCTAssertEqual(issues.count, 3, "\(issues)")
        XCTAssertEqual(issues["FHIR Observation: unparseable effectiveDateTime"], ["bundle.json:\(line(ofEntry: 13))"])
        XCTAssertEqual(issues["FHIR Observation: unresolvable subject reference"], ["bundle.json:\(line(ofEntry: 17))"])
        // A conditional subject would leave an orphan row: skipped instead.
        XCTAssertEqual(issues["FHIR Condition: unresolvable subject reference"], ["bundle.json:\(line(ofEntry: 18))"])
        XCTAssertEqual(summary.entriesNotImported["FHIR Basic"], 1)
        XCTAssertEqual(summary.entriesNotImported["FHIR Immunization not-done"], 1)
        XCTAssertEqual(summary.entriesNotImported["FHIR Condition refuted"], 1)
        XCTAssertEqual(summary.entriesNotImported["FHIR Observation entered-in-error"], 1)

        // The Patient has no id: its fullUrl gives it, and references through urn:uuid match it.
        let person = fhirID("pat-1")
        XCTAssertEqual(try s.int("SELECT person_id FROM person"), person)
        XCTAssertEqual(try s.int("SELECT gender_concept_id FROM person"), StandardConcept.unknownGender)
        XCTAssertEqual(try s.int("SELECT count(*) FROM drug_exposure WHERE person_id = ?", [.integer(person)]), 5)

        // Contained Medication; a supply in weeks; sig and route.
        let first = try XCTUnwrap(s.store.db.query("SELECT * FROM drug_exposure WHERE source_id = ?", [.integer(fhirID("1"))]).first)
        XCTAssertEqual(first["source_code"], .text("197361"))
        XCTAssertEqual(first["days_supply"], .integer(28))
        XCTAssertEqual(first["drug_exposure_end_date"].int, first["drug_exposure_start_date"].int.map { $0 + 27 })
        XCTAssertEqual(first["sig"], .text("one tablet daily"))
        XCTAssertEqual(first["route_source_value"], .text("26643006"))
        XCTAssertEqual(first["drug_exposure_start_datetime"].int, Int64(CivilDate.days(year: 2021, month: 3, day: 1) * 86_400 + 36_000))
        // A Medication later in the Bundle, referenced by its fullUrl (its id differs).
        XCTAssertEqual(try s.text("SELECT source_code FROM drug_exposure WHERE source_id = ?", [.integer(fhirID("mr-2"))]), "314076")
        // Dispense and statement, with their type concepts and dates.
        XCTAssertEqual(try s.text("""
            SELECT days_supply || ' ' || quantity || ' ' || (drug_exposure_end_date - drug_exposure_start_date)
            FROM drug_exposure WHERE drug_type_concept_id = 32825
            """), "30 30.0 29")
        XCTAssertEqual(try s.int("SELECT drug_exposure_end_date FROM drug_exposure WHERE drug_type_concept_id = 32865"),
                       Int64(CivilDate.days(year: 2020, month: 6, day: 30)))
        // An Immunization with the same id as a MedicationRequest ("1") gets a row of its own.
        XCTAssertEqual(try s.int("SELECT count(*) FROM drug_exposure WHERE source_system = 'cvx' AND source_code = '08'"), 1)

        // Allergy → observation; Coverage → payer_plan_period; Procedure with its period.
        XCTAssertEqual(try s.text("SELECT source_code || ' ' || value_as_string FROM observation WHERE source_code = '91935009'"), "91935009 allergy")
        XCTAssertEqual(try s.text("SELECT payer_source_value FROM payer_plan_period"), "Medicare")
        XCTAssertEqual(try s.int("SELECT procedure_end_datetime - procedure_datetime FROM procedure_occurrence"), 5400)

        // Escaped strings are decoded before they are stored.
        XCTAssertEqual(try s.text("SELECT source_code FROM condition_occurrence"), "E11.9")
        XCTAssertEqual(try s.int("SELECT condition_end_date - condition_start_date FROM condition_occurrence"), 365)
        XCTAssertEqual(try s.text("SELECT value_as_string FROM observation WHERE source_code = '8689-2'"), "Café \"quoted\"")
        XCTAssertEqual(try s.int("SELECT count(*) FROM measurement"), 0)
    }

    func testInvalidDocumentIsSkippedLenientAndStopsStrict() throws {
        let broken = "{\n  \"resourceType\": \"Bundle\",\n  \"entry\": [\n    {\"resource\": {\"resourceType\": \"Patient\", \"id\": \"x\"}\n  ]\n}\n"
        let s = try FHIRScratch()
        try s.write("data/a-good.json", Self.bundle)
        try s.write("data/b-broken.json", broken)
        let directory = s.directory.appendingPathComponent("data").path

        XCTAssertThrowsError(try s.importSource(directory, strict: true)) { error in
            guard let error = error as? ImportError else { return XCTFail("\(error)") }
            // Strict mode stops at the first problem: the bad date in the good file.
            XCTAssertEqual(error.entry, "a-good.json")
            XCTAssertEqual(error.line, line(ofEntry: 13))
            XCTAssertEqual(error.message, "FHIR Observation: unparseable effectiveDateTime")
        }
        XCTAssertEqual(try s.totalRows(), 0)

        let summary = try s.importSource(directory)
        let documentIssue = try XCTUnwrap(summary.issues.first { $0.kind == "FHIR document" })
        XCTAssertEqual(documentIssue.reason, "invalid JSON at byte \(broken.utf8.count - 4): expected ',' or '}'")
        XCTAssertEqual(documentIssue.examples, ["b-broken.json:5"])
        XCTAssertEqual(try s.store.count("person"), 1, "the good file is imported, the broken one skipped whole")
    }

    func testStrictModeNamesTheBrokenDocument() throws {
        let s = try FHIRScratch()
        let path = try s.write("broken.json", "{\"resourceType\": \"Bundle\", \"entry\": [\u{1}]}")
        XCTAssertThrowsError(try s.importSource(path, strict: true)) { error in
            guard let error = error as? ImportError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.entry, "broken.json")
            XCTAssertEqual(error.line, 1)
            XCTAssertEqual(error.message, "FHIR document: invalid JSON at byte 37: unexpected character")
        }
        XCTAssertEqual(try s.totalRows(), 0)
    }

    func testDocumentSizeCap() throws {
        let s = try FHIRScratch()
        let handler = FHIRHandler()
        handler.maxDocumentBytes = 100
        let context = ImportContext(store: s.store, importID: 1, diagnostics: ImportDiagnostics(source: "t", strict: false), source: "t")
        let chunk = [UInt8](repeating: 0x20, count: 64)
        let importer = try handler.begin(EntryInfo(name: "big.json", source: "t", size: nil), context: context)
        try chunk.withUnsafeBytes { try importer.consume($0) }
        XCTAssertThrowsError(try chunk.withUnsafeBytes { try importer.consume($0) }) { error in
            XCTAssertEqual((error as? ImportError)?.entry, "big.json")
            XCTAssertTrue("\(error)".contains("too large to read whole"), "\(error)")
        }
        // A recorded size over the cap is refused before anything is read.
        XCTAssertThrowsError(try handler.begin(EntryInfo(name: "big.json", source: "t", size: 101), context: context))
    }

    func testClaims() {
        let handler = FHIRHandler()
        func claims(_ name: String, _ head: String) -> Bool {
            var head = head
            return head.withUTF8 { handler.claims(EntryInfo(name: name, source: "t", size: nil), head: UnsafeRawBufferPointer($0)) }
        }
        XCTAssertTrue(claims("SYNTHEA/a.json", "\n  {\n \"resourceType\": \"Bundle\""))
        XCTAssertTrue(claims("Observation.ndjson", "{\"resourceType\":\"Observation\"}\n"))
        XCTAssertTrue(claims("x.jsonl.gz", "{\"id\": 1, \"resourceType\":\"Patient\"}"))
        XCTAssertTrue(claims("x.JSON", "\u{FEFF}{\"resourceType\":\"Patient\"}"))
        XCTAssertFalse(claims("x.json", "[{\"resourceType\":\"Patient\"}]"))
        XCTAssertFalse(claims("x.json", "{\"name\": \"package\"}"))
        XCTAssertFalse(claims("patients.csv", "{\"resourceType\":\"Patient\"}"))
        XCTAssertFalse(claims("x.json", ""))
    }
}
