import Foundation
import StratumStore
import XCTest
@testable import StratumImport

/// NDJSON (bulk-export style) import of synthetic resources, with damage on purpose.
final class FHIRNDJSONImportTests: XCTestCase {
    /// One resource per line. Line 3 is not valid JSON (a missing comma at byte 44); line 13 has
    /// an impossible date; line 14 lacks a subject; line 15 is blank.
    static let lines = [
        #"{"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1960-02-29", "deceasedBoolean": true, "extension": [{"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race", "extension": [{"url": "ombCategory", "valueCoding": {"system": "urn:oid:2.16.840.1.113883.6.238", "code": "2054-5", "display": "Black or African American"}}, {"url": "text", "valueString": "Black or African American"}]}]}"#,
        #"{"resourceType": "Encounter", "id": "e1", "status": "finished", "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"}, "type": [{"coding": [{"system": "http://snomed.info/sct", "code": "183452005"}]}], "subject": {"reference": "Patient/p1"}, "participant": [{"individual": {"reference": "Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999951397"}}], "period": {"start": "2020-01-05T08:00:00-05:00", "end": "2020-01-07T10:00:00-05:00"}, "serviceProvider": {"reference": "Organization?identifier=https://github.com/synthetichealth/synthea|org-1"}}"#,
        #"{"resourceType": "Observation", "id": "bad" "status": "final"}"#,
        #"{"resourceType": "Observation", "id": "o1", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4", "display": "Hemoglobin A1c"}]}, "subject": {"reference": "Patient/p1"}, "encounter": {"reference": "Encounter/e1"}, "effectiveDateTime": "2020-01-06T09:30:00Z", "valueQuantity": {"value": 7.1, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"}}"#,
        #"{"resourceType": "Observation", "id": "o2", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]}, "subject": {"reference": "Patient/p1"}, "effectivePeriod": {"start": "2020-01-06"}, "component": [{"code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]}, "valueQuantity": {"value": 142, "unit": "mm[Hg]"}}, {"code": {"coding": [{"system": "http://loinc.org", "code": "8462-4"}]}, "valueQuantity": {"value": 91, "unit": "mm[Hg]"}}]}"#,
        #"{"resourceType": "Condition", "id": "c1", "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]}, "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.9"}, {"system": "http://snomed.info/sct", "code": "44054006"}]}, "subject": {"reference": "Patient/p1"}, "encounter": {"reference": "Encounter/e1"}, "onsetDateTime": "2019-11-02"}"#,
        #"{"resourceType": "MedicationRequest", "id": "mr1", "status": "active", "intent": "order", "medicationReference": {"reference": "Medication/m1"}, "subject": {"reference": "Patient/p1"}, "authoredOn": "2020-01-07", "requester": {"reference": "Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999951397"}, "dispenseRequest": {"numberOfRepeatsAllowed": 2, "quantity": {"value": 60}, "expectedSupplyDuration": {"value": 30, "unit": "days", "system": "http://unitsofmeasure.org", "code": "d"}}}"#,
        #"{"resourceType": "Practitioner", "id": "dr1", "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "9999951397"}], "name": [{"family": "Osler", "given": ["William"]}], "gender": "male"}"#,
        #"{"resourceType": "Medication", "id": "m1", "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "860975", "display": "metformin"}]}}"#,
        #"{"resourceType": "Organization", "id": "org-1-id", "identifier": [{"system": "https://github.com/synthetichealth/synthea", "value": "org-1"}], "name": "General Hospital"}"#,
        #"{"resourceType": "Observation", "id": "o3", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "72166-2"}]}, "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2020-01-06", "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "266919005", "display": "Never smoker"}]}}"#,
        #"{"resourceType": "Claim", "id": "cl1", "patient": {"reference": "Patient/p1"}}"#,
        #"{"resourceType": "Observation", "id": "o4", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]}, "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2020-02-30", "valueQuantity": {"value": 6.0}}"#,
        #"{"resourceType": "Condition", "id": "c2", "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]}, "onsetDateTime": "2019-01-01"}"#,
        "",
        #"{"resourceType": "Immunization", "id": "i1", "status": "completed", "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "140"}]}, "patient": {"reference": "Patient/p1"}, "occurrenceDateTime": "2020-01-06T10:00:00Z"}"#,
        #"{"resourceType": "Patient", "id": "p2", "gender": "male", "birthDate": "1941", "deceasedDateTime": "2021-03-04T05:06:07+02:00"}"#,
    ]

    static var text: String { lines.joined(separator: "\n") + "\n" }

    func testLenientImportOfPlainAndArchivedNDJSON() throws {
        let plain = try FHIRScratch()
        let path = try plain.write("Resources.ndjson", Self.text)
        try checkLenient(plain, plain.importSource(path), entry: "Resources.ndjson")

        let archived = try FHIRScratch()
        try archived.write("export/Resources.ndjson", Self.text)
        let archive = try archived.tarGz("export", as: "export.tar.gz")
        try checkLenient(archived, archived.importSource(archive), entry: "export/Resources.ndjson")
    }

    private func checkLenient(_ s: FHIRScratch, _ summary: ImportSummary, entry: String) throws {
        XCTAssertEqual(summary.formats, [.fhirNDJSON])
        let issues = Dictionary(uniqueKeysWithValues: summary.issues.map { ("\($0.kind): \($0.reason)", $0) })
        XCTAssertEqual(issues.count, 3, "\(issues.keys.sorted())")
        let invalid = try XCTUnwrap(issues["FHIR NDJSON line: invalid JSON at byte 44: expected ',' or '}'"])
        XCTAssertEqual(invalid.count, 1)
        XCTAssertEqual(invalid.examples, ["\(entry):3"])
        XCTAssertEqual(issues["FHIR Observation: unparseable effectiveDateTime"]?.examples, ["\(entry):13"])
        XCTAssertEqual(issues["FHIR Condition: missing subject"]?.examples, ["\(entry):14"])
        // No patient value leaks into a message.
        for issue in summary.issues {
            for text in [issue.reason] + issue.examples {
                for secret in ["bad", "2020-02-30", "c2", "38341003", "p1"] { XCTAssertFalse(text.contains(secret), text) }
            }
        }
        XCTAssertEqual(summary.entriesNotImported["FHIR Claim"], 1)
        XCTAssertEqual(summary.entriesNotImported["FHIR Patient death without a date"], 1)

        XCTAssertEqual(try s.store.count("person"), 2)
        XCTAssertEqual(try s.int("SELECT race_concept_id FROM person WHERE person_id = ?", [.integer(fhirID("p1"))]), 8516)
        XCTAssertEqual(try s.int("SELECT count(*) FROM person WHERE person_id = ? AND year_of_birth = 1941 AND month_of_birth IS NULL",
                                 [.integer(fhirID("p2"))]), 1, "a year-only birthDate keeps only the year")
        XCTAssertEqual(try s.int("SELECT birth_date FROM person WHERE person_id = ?", [.integer(fhirID("p1"))]),
                       Int64(CivilDate.days(year: 1960, month: 2, day: 29)))
        // Death: only the patient with a date; the local date as written, the instant in UTC.
        XCTAssertEqual(try s.store.count("death"), 1)
        XCTAssertEqual(try s.int("SELECT death_date FROM death"), Int64(CivilDate.days(year: 2021, month: 3, day: 4)))
        XCTAssertEqual(try s.int("SELECT death_datetime FROM death"), Int64(CivilDate.days(year: 2021, month: 3, day: 4) * 86_400 + 3 * 3600 + 6 * 60 + 7))

        // The visit's conditional references resolve to the practitioner and organization.
        XCTAssertEqual(try s.int("SELECT provider_id FROM visit_occurrence"), fhirID("dr1"))
        XCTAssertEqual(try s.int("SELECT care_site_id FROM visit_occurrence"), fhirID("org-1-id"))
        XCTAssertEqual(try s.int("SELECT visit_concept_id FROM visit_occurrence"), StandardConcept.inpatientVisit)
        XCTAssertEqual(try s.text("SELECT source_system || ':' || source_code FROM visit_occurrence"), "snomed:183452005")
        XCTAssertEqual(try s.int("SELECT provider_id FROM drug_exposure WHERE drug_type_concept_id = 32838"), fhirID("dr1"))
        XCTAssertEqual(try s.int("SELECT count(*) FROM reference_alias"), 2)
        XCTAssertEqual(try s.text("SELECT npi FROM provider"), "9999951397")
        XCTAssertEqual(try s.text("SELECT provider_name FROM provider"), "William Osler")

        // Measurements: the HbA1c and both BP components (the panel itself has no row).
        XCTAssertEqual(try s.store.count("measurement"), 3)
        XCTAssertEqual(try s.int("SELECT visit_occurrence_id FROM measurement WHERE source_code = '4548-4'"), fhirID("e1"))
        XCTAssertEqual(try s.text("SELECT value_as_number || ' ' || unit_source_value FROM measurement WHERE source_code = '4548-4'"), "7.1 %")
        XCTAssertEqual(try s.int("SELECT value_as_number FROM measurement WHERE source_code = '8480-6'"), 142)
        XCTAssertEqual(try s.int("SELECT value_as_number FROM measurement WHERE source_code = '8462-4'"), 91)
        XCTAssertEqual(try s.int("SELECT count(*) FROM measurement WHERE source_code = '85354-9'"), 0)
        // Smoking status is an observation with a coded value.
        XCTAssertEqual(try s.text("SELECT value_source_system || ':' || value_source_code || ' ' || value_as_string FROM observation WHERE source_code = '72166-2'"),
                       "snomed:266919005 Never smoker")
        // The condition keeps its first coding in a known terminology (ICD-10-CM here, listed before SNOMED).
        XCTAssertEqual(try s.text("SELECT source_system || ':' || source_code || ' ' || condition_status_source_value FROM condition_occurrence"),
                       "icd10cm:E11.9 active")
        // The prescription's Medication came after it: resolved at the end; supply and refills kept.
        let drug = try XCTUnwrap(s.store.db.query("""
            SELECT source_system, source_code, days_supply, refills, quantity, drug_exposure_start_date, drug_exposure_end_date
            FROM drug_exposure WHERE drug_type_concept_id = 32838
            """).first)
        XCTAssertEqual(drug["source_system"], .text("rxnorm"))
        XCTAssertEqual(drug["source_code"], .text("860975"))
        XCTAssertEqual(drug["days_supply"], .integer(30))
        XCTAssertEqual(drug["refills"], .integer(2))
        XCTAssertEqual(drug["quantity"], .real(60))
        XCTAssertEqual(drug["drug_exposure_end_date"].int, drug["drug_exposure_start_date"].int.map { $0 + 29 })
        XCTAssertEqual(try s.text("SELECT source_system || ':' || source_code FROM drug_exposure WHERE drug_type_concept_id = 32817"), "cvx:140")
        // Orphans: none.
        for table in CDMSchema.eventTables {
            XCTAssertEqual(try s.int("SELECT count(*) FROM \(table.name) WHERE person_id NOT IN (SELECT person_id FROM person)"), 0)
        }
    }

    func testStrictImportStopsAtTheInvalidLineAndLeavesTheStoreUnchanged() throws {
        let s = try FHIRScratch()
        try s.write("export/Resources.ndjson", Self.text)
        let archive = try s.tarGz("export", as: "export.tar.gz")
        XCTAssertThrowsError(try s.importSource(archive, strict: true)) { error in
            guard let error = error as? ImportError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .data)
            XCTAssertEqual(error.entry, "export/Resources.ndjson")
            XCTAssertEqual(error.line, 3)
            XCTAssertTrue(error.message.contains("invalid JSON at byte 44"), error.message)
            XCTAssertFalse(error.description.contains("bad"), error.description)
        }
        XCTAssertEqual(try s.totalRows(), 0)
        XCTAssertEqual(try s.int("SELECT count(*) FROM reference_alias"), 0)
        XCTAssertEqual(try s.int("SELECT count(*) FROM import_run"), 0)
    }

    func testStrictImportOfCleanLinesSucceeds() throws {
        let s = try FHIRScratch()
        let clean = Self.lines.enumerated().filter { ![2, 12, 13].contains($0.offset) }.map(\.element)
        let path = try s.write("clean.jsonl", clean.joined(separator: "\r\n"))
        let summary = try s.importSource(path, strict: true)
        XCTAssertEqual(summary.issues.count, 0)
        XCTAssertEqual(try s.store.count("person"), 2)
        XCTAssertEqual(try s.store.count("measurement"), 3)
    }
}
