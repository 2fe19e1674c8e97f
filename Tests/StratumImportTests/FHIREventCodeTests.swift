import Foundation
import StratumImport
import StratumStore
import XCTest

/// A CodeableConcept with several codings keeps every one: the first in a known terminology on
/// the row, the others in `event_code`, so a value set in either system finds the event.
final class FHIREventCodeTests: XCTestCase {
    func testEveryCodingOfAConceptIsKept() throws {
        let dir = try TempDir.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ndjson = """
            {"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1960-05-01"}
            {"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},"onsetDateTime":"2020-03-04","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"E11.9"},{"system":"http://snomed.info/sct","code":"44054006"}]}}
            {"resourceType":"Condition","id":"c2","subject":{"reference":"Patient/p1"},"onsetDateTime":"2021-01-01","code":{"coding":[{"system":"http://snomed.info/sct","code":"59621000"}]}}
            {"resourceType":"Observation","id":"o1","status":"final","subject":{"reference":"Patient/p1"},"effectiveDateTime":"2020-03-04","code":{"coding":[{"system":"urn:local:lab","code":"A1C"},{"system":"http://loinc.org","code":"4548-4"}]},"valueQuantity":{"value":9.4,"unit":"%"}}

            """
        let path = dir.appendingPathComponent("export.ndjson").path
        try ndjson.write(toFile: path, atomically: true, encoding: .utf8)
        let store = try Store(path: dir.appendingPathComponent("s.sqlite").path)
        _ = try Importer(store: store).importSource(path)

        let condition = try XCTUnwrap(store.db.query("""
            SELECT condition_occurrence_id, source_system, source_code FROM condition_occurrence WHERE source_code = 'E11.9'
            """).first)
        XCTAssertEqual(condition[1], .text("icd10cm"))
        let extra = try store.db.query("SELECT event_table, event_id, source_system, source_code FROM event_code ORDER BY event_table")
        XCTAssertEqual(extra.count, 2)
        XCTAssertEqual(extra[0].values, [.text("condition_occurrence"), condition[0], .text("snomed"), .text("44054006")])
        // The lab's local code comes first in the resource, but LOINC is the known terminology.
        let measurement = try XCTUnwrap(store.db.query("SELECT measurement_id, source_code FROM measurement").first)
        XCTAssertEqual(measurement[1], .text("4548-4"))
        XCTAssertEqual(extra[1].values, [.text("measurement"), measurement[0], .text("urn:local:lab"), .text("A1C")])
        // A value set in SNOMED CT alone finds both diabetes and hypertension persons' events.
        let snomedEvents = try store.db.scalar("""
            SELECT count(*) FROM condition_occurrence c
            WHERE (c.source_system = 'snomed' AND c.source_code IN ('44054006', '59621000'))
               OR c.condition_occurrence_id IN (SELECT event_id FROM event_code WHERE event_table = 'condition_occurrence'
                                                AND source_system = 'snomed' AND source_code IN ('44054006', '59621000'))
            """)
        XCTAssertEqual(snomedEvents, .integer(2))
    }
}
