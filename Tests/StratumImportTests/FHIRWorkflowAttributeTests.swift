import Foundation
import StratumStore
import XCTest
@testable import StratumImport

/// The FHIR workflow attributes eCQM logic filters on (status, intent, doNotPerform, category),
/// Observation routing and dates, and the DeviceRequest and ServiceRequest mappings, on a
/// synthetic patient folder written like the eCQM test decks' (one resource per file):
/// Fixtures/FHIRWorkflow/patient-1.
final class FHIRWorkflowAttributeTests: XCTestCase {
    static var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/FHIRWorkflow/patient-1").path
    }

    private var scratch: FHIRScratch!
    private var summary: ImportSummary!

    override func setUpWithError() throws {
        scratch = try FHIRScratch()
        summary = try scratch.importSource(Self.fixture)
    }

    override func tearDown() {
        scratch = nil
        summary = nil
    }

    /// The first row of a query.
    private func row(_ sql: String, _ arguments: [SQLValue] = []) throws -> Row {
        try XCTUnwrap(scratch.store.db.query(sql, arguments).first, sql)
    }

    private func days(_ year: Int, _ month: Int, _ day: Int) -> SQLValue { .integer(Int64(CivilDate.days(year: year, month: month, day: day))) }

    private func seconds(_ year: Int, _ month: Int, _ day: Int, hour: Int = 0, minute: Int = 0) -> SQLValue {
        .integer(Int64(CivilDate.days(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60))
    }

    func testSkippedAndNotImportedRecords() throws {
        let issues = Dictionary(uniqueKeysWithValues: summary.issues.map { ("\($0.kind): \($0.reason)", $0.count) })
        XCTAssertEqual(issues, ["FHIR DeviceRequest: missing subject": 1, "FHIR ServiceRequest: unparseable authoredOn": 1])
        XCTAssertEqual(summary.entriesNotImported["FHIR Condition entered-in-error"], 1)
        let rows = Dictionary(uniqueKeysWithValues: summary.tableRows.map { ($0.table, $0.inserted) })
        XCTAssertEqual(rows["device_exposure"], 3)
        XCTAssertEqual(rows["service_request"], 2)
        XCTAssertEqual(rows["condition_occurrence"], 1)
    }

    func testEncounterStatusAndDischargeDispositionCode() throws {
        let inpatient = try row("SELECT * FROM visit_occurrence WHERE visit_occurrence_id = ?", [.integer(fhirID("wf-inpatient"))])
        XCTAssertEqual(inpatient["status_source_value"], .text("finished"))
        XCTAssertEqual(inpatient["discharged_to_source_value"], .text("428361000124107"), "the code, not the display")
        let cancelled = try row("SELECT * FROM visit_occurrence WHERE visit_occurrence_id = ?", [.integer(fhirID("wf-cancelled"))])
        XCTAssertEqual(cancelled["status_source_value"], .text("cancelled"))
        XCTAssertEqual(cancelled["discharged_to_source_value"], .null)
    }

    func testConditionClinicalAndVerificationStatusCodes() throws {
        let condition = try row("SELECT * FROM condition_occurrence")
        XCTAssertEqual(condition["source_id"], .integer(fhirID("wf-confirmed")))
        XCTAssertEqual(condition["condition_status_source_value"], .text("active"))
        XCTAssertEqual(condition["verification_status_source_value"], .text("confirmed"))
    }

    func testLaboratoryObservationsAreMeasurementsDatedByTheEndOfTheirPeriod() throws {
        // A coded result: the code as the value's source value, no number.
        let coded = try row("SELECT * FROM measurement WHERE source_id = ?", [.integer(fhirID("wf-lab-coded"))])
        XCTAssertEqual(coded["source_code"], .text("17855-8"))
        XCTAssertEqual(coded["value_as_number"], .null)
        XCTAssertEqual(coded["value_source_value"], .text("373066001"))
        XCTAssertEqual(coded["status_source_value"], .text("corrected"))
        XCTAssertEqual(coded["category_source_value"], .text("laboratory"))
        // effectivePeriod 2024-12-31T00:00 … 2025-01-01T06:00: the result is dated by its end.
        XCTAssertEqual(coded["measurement_date"], days(2025, 1, 1))
        XCTAssertEqual(coded["measurement_datetime"], seconds(2025, 1, 1, hour: 6))
        XCTAssertEqual(coded["measurement_end_date"], days(2025, 1, 1))
        XCTAssertEqual(coded["measurement_end_datetime"], seconds(2025, 1, 1, hour: 6))

        // A result with no value (dataAbsentReason) still is a row.
        let absent = try row("SELECT * FROM measurement WHERE source_id = ?", [.integer(fhirID("wf-lab-no-value"))])
        XCTAssertEqual(absent["value_as_number"], .null)
        XCTAssertEqual(absent["value_source_value"], .null)
        XCTAssertEqual(absent["status_source_value"], .text("final"))
        XCTAssertEqual(absent["measurement_datetime"], seconds(2025, 2, 1, hour: 10))
        XCTAssertEqual(absent["measurement_end_datetime"], seconds(2025, 2, 1, hour: 10))

        for id in ["wf-lab-coded", "wf-lab-no-value"] {
            XCTAssertEqual(try scratch.int("SELECT count(*) FROM observation WHERE source_id = ?", [.integer(fhirID(id))]), 0, id)
        }
    }

    func testOtherObservationsKeepTheirPeriodAndMayHaveNoValue() throws {
        // The category in the observation-category system wins over an earlier local one.
        let survey = try row("SELECT * FROM observation WHERE source_id = ?", [.integer(fhirID("wf-survey-period"))])
        XCTAssertEqual(survey["category_source_value"], .text("survey"))
        XCTAssertEqual(survey["status_source_value"], .text("final"))
        XCTAssertEqual(survey["value_source_system"], .text("snomed"))
        XCTAssertEqual(survey["value_source_code"], .text("160734000"))
        XCTAssertEqual(survey["observation_date"], days(2024, 12, 31))
        XCTAssertEqual(survey["observation_datetime"], seconds(2024, 12, 31))
        XCTAssertEqual(survey["observation_end_date"], days(2025, 1, 1))
        XCTAssertEqual(survey["observation_end_datetime"], seconds(2025, 1, 1))

        let noValue = try row("SELECT * FROM observation WHERE source_id = ?", [.integer(fhirID("wf-survey-no-value"))])
        XCTAssertEqual(noValue["source_code"], .text("R26.89"))
        XCTAssertEqual(noValue["status_source_value"], .text("preliminary"))
        XCTAssertEqual(noValue["category_source_value"], .text("survey"))
        XCTAssertEqual(noValue["value_as_string"], .null)
        XCTAssertEqual(noValue["value_source_code"], .null)
        XCTAssertEqual(noValue["observation_date"], days(2025, 5, 1))
        XCTAssertEqual(noValue["observation_end_date"], .null)

        // A period with only an end dates the row by it.
        let endOnly = try row("SELECT * FROM observation WHERE source_id = ?", [.integer(fhirID("wf-exam-end-only"))])
        XCTAssertEqual(endOnly["category_source_value"], .text("exam"))
        XCTAssertEqual(endOnly["value_as_string"], .text("normal"))
        XCTAssertEqual(endOnly["observation_date"], days(2025, 6, 2))
        XCTAssertEqual(endOnly["observation_end_date"], days(2025, 6, 2))
    }

    func testPanelComponentsCarryTheStatusAndCategoryOfTheirObservation() throws {
        let components = try scratch.store.db.query("""
            SELECT source_code, value_as_number, status_source_value, category_source_value, visit_occurrence_id,
                   measurement_datetime, measurement_end_datetime
            FROM measurement WHERE source_code IN ('8480-6', '8462-4') ORDER BY source_code
            """)
        XCTAssertEqual(components.count, 2)
        for (component, expected) in zip(components, [("8462-4", 89.0), ("8480-6", 139.0)]) {
            XCTAssertEqual(component["source_code"], .text(expected.0))
            XCTAssertEqual(component["value_as_number"], .real(expected.1))
            XCTAssertEqual(component["status_source_value"], .text("amended"))
            XCTAssertEqual(component["category_source_value"], .text("vital-signs"))
            XCTAssertEqual(component["visit_occurrence_id"], .integer(fhirID("wf-inpatient")))
            XCTAssertEqual(component["measurement_datetime"], seconds(2025, 3, 2, hour: 8))
            XCTAssertEqual(component["measurement_end_datetime"], seconds(2025, 3, 2, hour: 8))
        }
        // The panel, whose values are all in its components, has no row of its own.
        XCTAssertEqual(try scratch.int("""
            SELECT (SELECT count(*) FROM measurement WHERE source_code = '85354-9')
                 + (SELECT count(*) FROM observation WHERE source_code = '85354-9')
            """), 0)
    }

    func testDeviceRequestsAndTheDoNotPerformExtension() throws {
        let notPerformed = try row("SELECT * FROM device_exposure WHERE source_id = ?", [.integer(fhirID("wf-device-not-performed"))])
        XCTAssertEqual(notPerformed["do_not_perform"], .integer(1))
        XCTAssertEqual(notPerformed["status_source_value"], .text("completed"))
        XCTAssertEqual(notPerformed["intent_source_value"], .text("order"))
        XCTAssertEqual(notPerformed["person_id"], .integer(fhirID("wf-patient-1")))
        XCTAssertEqual(notPerformed["device_concept_id"], .integer(0))
        XCTAssertEqual(notPerformed["device_type_concept_id"], .integer(32833))
        XCTAssertEqual(notPerformed["source_system"], .text("snomed"))
        XCTAssertEqual(notPerformed["source_code"], .text("183240000"))
        XCTAssertEqual(notPerformed["device_source_value"], .text("183240000"))
        XCTAssertEqual(notPerformed["device_exposure_start_date"], days(2025, 11, 1))
        XCTAssertEqual(notPerformed["device_exposure_start_datetime"], seconds(2025, 11, 1, hour: 23, minute: 59))
        XCTAssertEqual(notPerformed["device_exposure_end_date"], .null)
        XCTAssertEqual(notPerformed["provider_id"], .integer(fhirID("wf-practitioner-1")))
        // The HCPCS coding of the same device is found through event_code.
        XCTAssertEqual(try scratch.int("""
            SELECT count(*) FROM event_code WHERE event_table = 'device_exposure' AND event_id = ?
              AND source_system = 'hcpcs' AND source_code = 'E1130'
            """, [notPerformed["device_exposure_id"]]), 1)

        // A misspelled extension URL (`qicore-doNotPeform`, as in the eCQM decks) says nothing.
        let misspelled = try row("SELECT * FROM device_exposure WHERE source_id = ?", [.integer(fhirID("wf-device-misspelled"))])
        XCTAssertEqual(misspelled["do_not_perform"], .null)
        XCTAssertEqual(misspelled["status_source_value"], .text("completed"))

        // No authoredOn: dated by the requested period, which also gives the end; a plain extension
        // saying false.
        let planned = try row("SELECT * FROM device_exposure WHERE source_id = ?", [.integer(fhirID("wf-device-occurrence"))])
        XCTAssertEqual(planned["do_not_perform"], .integer(0))
        XCTAssertEqual(planned["intent_source_value"], .text("plan"))
        XCTAssertEqual(planned["device_exposure_start_date"], days(2025, 3, 5))
        XCTAssertEqual(planned["device_exposure_end_date"], days(2025, 9, 5))
        XCTAssertEqual(planned["visit_occurrence_id"], .integer(fhirID("wf-inpatient")))
    }

    func testServiceRequests() throws {
        let hospice = try row("SELECT * FROM service_request WHERE source_id = ?", [.integer(fhirID("wf-hospice-order"))])
        XCTAssertEqual(hospice["status_source_value"], .text("active"))
        XCTAssertEqual(hospice["intent_source_value"], .text("order"))
        XCTAssertEqual(hospice["category_source_value"], .text("387713003"))
        XCTAssertEqual(hospice["do_not_perform"], .integer(1))
        XCTAssertEqual(hospice["source_system"], .text("snomed"))
        XCTAssertEqual(hospice["source_code"], .text("385763009"))
        XCTAssertEqual(hospice["service_request_source_value"], .text("385763009"))
        XCTAssertEqual(hospice["service_request_concept_id"], .integer(0))
        XCTAssertEqual(hospice["service_request_type_concept_id"], .integer(32833))
        XCTAssertEqual(hospice["service_request_date"], days(2025, 3, 4))
        XCTAssertEqual(hospice["provider_id"], .integer(fhirID("wf-practitioner-1")))
        XCTAssertEqual(hospice["visit_occurrence_id"], .integer(fhirID("wf-inpatient")))

        // No authoredOn: dated by occurrenceDateTime. A PractitionerRole requester is not a provider.
        let referral = try row("SELECT * FROM service_request WHERE source_id = ?", [.integer(fhirID("wf-referral"))])
        XCTAssertEqual(referral["service_request_date"], days(2025, 7, 1))
        XCTAssertEqual(referral["status_source_value"], .text("draft"))
        XCTAssertEqual(referral["intent_source_value"], .text("proposal"))
        XCTAssertEqual(referral["provider_id"], .null)
        XCTAssertEqual(referral["category_source_value"], .null)
        XCTAssertEqual(referral["do_not_perform"], .null)
    }

    func testMedicationStatusIntentAndDoNotPerform() throws {
        let drugs = try scratch.store.db.query("""
            SELECT source_id, status_source_value, intent_source_value, do_not_perform FROM drug_exposure
            """)
        let byID = Dictionary(uniqueKeysWithValues: drugs.map { ($0["source_id"].int ?? 0, $0) })
        let active = try XCTUnwrap(byID[fhirID("wf-active-order")])
        XCTAssertEqual(active["status_source_value"], .text("active"))
        XCTAssertEqual(active["intent_source_value"], .text("order"))
        XCTAssertEqual(active["do_not_perform"], .integer(0))
        let notPerformed = try XCTUnwrap(byID[fhirID("wf-do-not-perform")])
        XCTAssertEqual(notPerformed["status_source_value"], .text("completed"))
        XCTAssertEqual(notPerformed["intent_source_value"], .text("plan"))
        XCTAssertEqual(notPerformed["do_not_perform"], .integer(1))
        // A dispense has a status, no intent, and does not say.
        let dispense = try XCTUnwrap(byID[fhirID("MedicationDispense/wf-dispense")])
        XCTAssertEqual(dispense["status_source_value"], .text("completed"))
        XCTAssertEqual(dispense["intent_source_value"], .null)
        XCTAssertEqual(dispense["do_not_perform"], .null)

        XCTAssertEqual(try scratch.text("SELECT status_source_value FROM procedure_occurrence"), "completed")
    }

    func testNewTablesTakePartInQualityChecksPeriodsAndReplace() throws {
        // Orders extend the derived observation period and are inside it.
        let report = try DataQualityReport.compute(scratch.store)
        XCTAssertEqual(report.rows("device_exposure"), 3)
        XCTAssertEqual(report.rows("service_request"), 2)
        XCTAssertEqual(report.orphans, 0)
        XCTAssertEqual(report.eventsOutsideObservation, 0)
        XCTAssertEqual(try scratch.int("SELECT observation_period_end_date FROM observation_period"),
                       Int64(CivilDate.days(year: 2025, month: 12, day: 30)) + 89, "the 90-day supply ordered last")

        // --replace removes the earlier import's rows from the new tables too.
        var options = ImportOptions()
        options.replace = true
        _ = try Importer(store: scratch.store, options: options).importSource(Self.fixture)
        XCTAssertEqual(try scratch.store.count("device_exposure"), 3)
        XCTAssertEqual(try scratch.store.count("service_request"), 2)
        XCTAssertEqual(try scratch.int("SELECT count(DISTINCT import_id) FROM service_request"), 1)
    }
}
