import XCTest
@testable import StratumImport

final class FHIRReferenceTests: XCTestCase {
    private func resolve(_ text: String, expecting: StaticString? = nil) -> FHIRReference.Resolved? {
        var text = text
        var scratch: [UInt8] = []
        return text.withUTF8 { FHIRReference.resolve(UnsafeRawBufferPointer($0), expecting: expecting, scratch: &scratch) }
    }

    func testLiteralForms() {
        let id = StableID.of("abc-123")
        for text in ["urn:uuid:abc-123", "Patient/abc-123", "http://example.org/fhir/Patient/abc-123",
                     "https://example.org/fhir/Patient/abc-123/_history/7", "abc-123"] {
            XCTAssertEqual(resolve(text, expecting: "Patient")?.id, id, text)
            XCTAssertEqual(resolve(text)?.isAlias, false, text)
        }
        XCTAssertEqual(resolve("urn:oid:1.2.3")?.id, StableID.of("1.2.3"))
    }

    func testUnusableOrMistypedReferences() {
        XCTAssertNil(resolve(""))
        XCTAssertNil(resolve("#contained"))
        XCTAssertNil(resolve("urn:uuid:"))
        XCTAssertNil(resolve("Patient/"))
        XCTAssertNil(resolve("Group/g1", expecting: "Patient"))
        XCTAssertNil(resolve("http://x/fhir/Group/g1", expecting: "Patient"))
        XCTAssertNil(resolve("Organization?identifier=s|v", expecting: "Practitioner"))
        XCTAssertNil(resolve("Practitioner?name=Smith", expecting: "Practitioner"))
    }

    func testConditionalReferencesBecomeIdentifierAliases() {
        let alias = StableID.of("identifier:http://hl7.org/fhir/sid/us-npi|9999951397")
        for text in ["Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999951397",
                     "Practitioner?active=true&identifier=http%3A%2F%2Fhl7.org%2Ffhir%2Fsid%2Fus-npi%7C9999951397"] {
            let resolved = resolve(text, expecting: "Practitioner")
            XCTAssertEqual(resolved?.id, alias, text)
            XCTAssertEqual(resolved?.isAlias, true, text)
        }
        var scratch: [UInt8] = []
        var system = "http://hl7.org/fhir/sid/us-npi", value = "9999951397"
        let fromIdentifier = system.withUTF8 { s in
            value.withUTF8 { v in FHIRReference.aliasID(system: UnsafeRawBufferPointer(s), value: UnsafeRawBufferPointer(v), scratch: &scratch) }
        }
        XCTAssertEqual(fromIdentifier, alias)
    }

    func testDurationsInDays() throws {
        func days(_ json: String) throws -> Int64? {
            try JSONDocument.withRoot(of: Array(json.utf8)) { FHIRResourceMapper.days($0) }
        }
        XCTAssertEqual(try days(#"{"value": 30, "unit": "days", "code": "d"}"#), 30)
        XCTAssertEqual(try days(#"{"value": 2, "code": "wk"}"#), 14)
        XCTAssertEqual(try days(#"{"value": 3, "unit": "Months"}"#), 90)
        XCTAssertEqual(try days(#"{"value": 1, "code": "a"}"#), 365)
        XCTAssertEqual(try days(#"{"value": 36, "code": "h"}"#), 2)
        XCTAssertEqual(try days(#"{"value": 10}"#), 10)
        XCTAssertNil(try days(#"{"value": 0, "code": "d"}"#))
        XCTAssertNil(try days(#"{"value": 5, "code": "mg"}"#))
        XCTAssertNil(try days(#"{"unit": "d"}"#))
    }
}
