import Foundation
import XCTest
@testable import StratumReports

final class CareGapFHIRRendererTests: XCTestCase {
    private let renderer = CareGapFHIRRenderer(run: SamplePanel.run)

    func testSummaryBundleMatchesGolden() throws {
        try assertGolden(renderer.summaryBundle(), "fhir/measurereport-summary.json")
    }

    func testIndividualReportsMatchGolden() throws {
        try assertGolden(renderer.individualReports(), "fhir/measurereport-individual.ndjson")
    }

    func testCareGapBundlesMatchGolden() throws {
        try assertGolden(renderer.careGapBundles(), "fhir/caregaps.ndjson")
    }

    func testOutputIsReproducible() {
        let other = CareGapFHIRRenderer(run: SamplePanel.run)
        XCTAssertEqual(renderer.careGapBundles(), other.careGapBundles())
        XCTAssertEqual(renderer.summaryBundle(), other.summaryBundle())
    }

    // MARK: Structure

    func testSummaryBundleStructure() throws {
        let bundle = try object(renderer.summaryBundle())
        XCTAssertEqual(bundle["resourceType"] as? String, "Bundle")
        XCTAssertEqual(bundle["type"] as? String, "collection")
        let entries = try XCTUnwrap(bundle["entry"] as? [[String: Any]])
        XCTAssertEqual(entries.count, 2)
        for entry in entries {
            try assertUUIDURL(entry["fullUrl"])
            let report = try XCTUnwrap(entry["resource"] as? [String: Any])
            try assertMeasureReport(report, type: "summary")
            XCTAssertNil(report["subject"])
            let notation = try XCTUnwrap(((report["improvementNotation"] as? [String: Any])?["coding"] as? [[String: Any]])?.first)
            XCTAssertEqual(notation["system"] as? String, "http://terminology.hl7.org/CodeSystem/measure-improvement-notation")
        }
        let cms122 = try XCTUnwrap(entries.compactMap { $0["resource"] as? [String: Any] }.first { $0["id"] as? String == "summary-cms122" })
        XCTAssertEqual(cms122["measure"] as? String, "https://example.org/fhir/Measure/CMS122")
        let cms165 = try XCTUnwrap(entries.compactMap { $0["resource"] as? [String: Any] }.first { $0["id"] as? String == "summary-cms165" })
        XCTAssertEqual(cms165["measure"] as? String, "urn:stratum:measure:cms165")

        // CMS122: IP 24, exclusions 4 (under 11: no count, the suppressed extension), numerator 14.
        let group = try XCTUnwrap((cms122["group"] as? [[String: Any]])?.first)
        let populations = try XCTUnwrap(group["population"] as? [[String: Any]])
        func population(_ code: String) throws -> [String: Any] {
            try XCTUnwrap(populations.first { (($0["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String == code })
        }
        XCTAssertEqual(try population("initial-population")["count"] as? Int, 24)
        XCTAssertEqual(try population("denominator")["count"] as? Int, 24)
        let exclusion = try population("denominator-exclusion")
        XCTAssertNil(exclusion["count"])
        let extensions = try XCTUnwrap(exclusion["extension"] as? [[String: Any]])
        XCTAssertEqual(extensions.first?["url"] as? String, CareGapFHIRRenderer.suppressedExtensionURL)
        XCTAssertEqual(extensions.first?["valueBoolean"] as? Bool, true)
        let coding = try XCTUnwrap(((exclusion["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first)
        XCTAssertEqual(coding["system"] as? String, "http://terminology.hl7.org/CodeSystem/measure-population")
        XCTAssertEqual(coding["display"] as? String, "Denominator Exclusion")
        XCTAssertEqual(try population("numerator")["count"] as? Int, 14)
        XCTAssertEqual(try XCTUnwrap((group["measureScore"] as? [String: Any])?["value"] as? Double), 0.7, accuracy: 1e-9)

        // With a threshold above the numerator, the score is suppressed too.
        var run = SamplePanel.run
        run.minCell = 15
        let strict = try object(CareGapFHIRRenderer(run: run).summaryBundle())
        let strictReport = try XCTUnwrap((strict["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any])
        let score = try XCTUnwrap((strictReport["group"] as? [[String: Any]])?.first?["measureScore"] as? [String: Any])
        XCTAssertNil(score["value"])
        XCTAssertEqual((score["extension"] as? [[String: Any]])?.first?["url"] as? String, CareGapFHIRRenderer.suppressedExtensionURL)
    }

    func testSummaryIsNotSuppressedWhenMinCellIsZero() throws {
        var run = SamplePanel.run
        run.minCell = 0
        let text = CareGapFHIRRenderer(run: run).summaryBundle()
        XCTAssertFalse(text.contains(CareGapFHIRRenderer.suppressedExtensionURL))
        let bundle = try object(text)
        let report = try XCTUnwrap((bundle["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any])
        let score = try XCTUnwrap((report["group"] as? [[String: Any]])?.first?["measureScore"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(score["value"] as? Double), 14.0 / 20.0, accuracy: 0.0001)
    }

    func testIndividualReportsStructure() throws {
        let run = SamplePanel.run
        let lines = renderer.individualReports().split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.last, "")
        XCTAssertEqual(lines.count - 1, run.outcomes.count)
        var ids: Set<String> = []
        for line in lines.dropLast() {
            let report = try object(String(line))
            try assertMeasureReport(report, type: "individual")
            XCTAssertNil(report["evaluatedResource"])
            let subject = try XCTUnwrap((report["subject"] as? [String: Any])?["reference"] as? String)
            XCTAssertTrue(subject.hasPrefix("Patient/"), subject)
            let id = try XCTUnwrap(report["id"] as? String)
            XCTAssertTrue(ids.insert(id).inserted, "duplicate id \(id)")
            XCTAssertNotNil(id.range(of: "^[A-Za-z0-9.-]{1,64}$", options: .regularExpression), id)
            let populations = try XCTUnwrap((report["group"] as? [[String: Any]])?.first?["population"] as? [[String: Any]])
            for population in populations {
                let count = try XCTUnwrap(population["count"] as? Int)
                XCTAssertTrue(count == 0 || count == 1)
            }
        }
        XCTAssertTrue(ids.contains("cms122-1-1001"))
    }

    func testCareGapBundlesStructure() throws {
        let run = SamplePanel.run
        let lines = renderer.careGapBundles().split(separator: "\n")
        let withGaps = Set(run.outcomes.filter(\.hasGap).map(\.personId))
        XCTAssertEqual(lines.count, withGaps.count)
        var previous: Int64 = .min
        for line in lines {
            let bundle = try object(String(line))
            XCTAssertEqual(bundle["resourceType"] as? String, "Bundle")
            XCTAssertEqual(bundle["type"] as? String, "document")
            XCTAssertNotNil(bundle["timestamp"] as? String)
            let identifier = try XCTUnwrap(bundle["identifier"] as? [String: Any])
            XCTAssertEqual(identifier["system"] as? String, "urn:ietf:rfc:3986")
            try assertUUIDURL(identifier["value"])
            let entries = try XCTUnwrap(bundle["entry"] as? [[String: Any]])
            var byURL: [String: [String: Any]] = [:]
            for entry in entries {
                let url = try XCTUnwrap(entry["fullUrl"] as? String)
                try assertUUIDURL(url)
                XCTAssertNil(byURL[url], "duplicate fullUrl")
                byURL[url] = try XCTUnwrap(entry["resource"] as? [String: Any])
            }
            let resources = entries.compactMap { $0["resource"] as? [String: Any] }

            let composition = resources[0]
            XCTAssertEqual(composition["resourceType"] as? String, "Composition")
            XCTAssertEqual(composition["status"] as? String, "final")
            XCTAssertEqual(composition["title"] as? String, "Care Gap Report")
            let type = try XCTUnwrap(((composition["type"] as? [String: Any])?["coding"] as? [[String: Any]])?.first)
            XCTAssertEqual(type["system"] as? String, "http://loinc.org")
            XCTAssertEqual(type["code"] as? String, "96315-7")
            XCTAssertEqual((composition["author"] as? [[String: Any]])?.first?["display"] as? String, "Stratum 0.9.0-test")
            let subject = try XCTUnwrap((composition["subject"] as? [String: Any])?["reference"] as? String)
            let patient = try XCTUnwrap(byURL[subject])
            XCTAssertEqual(patient["resourceType"] as? String, "Patient")
            XCTAssertEqual(resources[1]["resourceType"] as? String, "Patient")
            let personId = try XCTUnwrap(Int64(try XCTUnwrap(patient["id"] as? String)))
            XCTAssertTrue(withGaps.contains(personId))
            XCTAssertGreaterThan(personId, previous)
            previous = personId
            XCTAssertEqual(Set(patient.keys).subtracting(["resourceType", "id", "gender"]), [])

            // One section per open gap: focus → individual MeasureReport, entry → DetectedIssue.
            let sections = try XCTUnwrap(composition["section"] as? [[String: Any]])
            let gaps = run.outcomes.filter { $0.personId == personId && $0.hasGap }
            XCTAssertEqual(sections.count, gaps.count)
            XCTAssertEqual(resources.count, 2 + 2 * gaps.count)
            for section in sections {
                let focus = try XCTUnwrap((section["focus"] as? [String: Any])?["reference"] as? String)
                let report = try XCTUnwrap(byURL[focus])
                try assertMeasureReport(report, type: "individual")
                XCTAssertEqual((report["subject"] as? [String: Any])?["reference"] as? String, subject)
                let issueURL = try XCTUnwrap(((section["entry"] as? [[String: Any]])?.first)?["reference"] as? String)
                let issue = try XCTUnwrap(byURL[issueURL])
                XCTAssertEqual(issue["resourceType"] as? String, "DetectedIssue")
                XCTAssertEqual(issue["status"] as? String, "final")
                let code = try XCTUnwrap(((issue["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first)
                XCTAssertEqual(code["system"] as? String, "http://terminology.hl7.org/CodeSystem/v3-ActCode")
                XCTAssertEqual(code["code"] as? String, "CAREGAP")
                XCTAssertEqual((issue["patient"] as? [String: Any])?["reference"] as? String, subject)
                let detail = try XCTUnwrap(((issue["evidence"] as? [[String: Any]])?.first?["detail"] as? [[String: Any]])?.first)
                XCTAssertEqual(detail["reference"] as? String, focus)
                let status = try XCTUnwrap((issue["modifierExtension"] as? [[String: Any]])?.first)
                XCTAssertEqual(status["url"] as? String, CareGapFHIRRenderer.gapStatusExtensionURL)
                let statusCode = try XCTUnwrap(((status["valueCodeableConcept"] as? [String: Any])?["coding"] as? [[String: Any]])?.first)
                XCTAssertEqual(statusCode["code"] as? String, "open-gap")
                XCTAssertEqual(statusCode["system"] as? String, "http://hl7.org/fhir/us/davinci-deqm/CodeSystem/gaps-status")
            }
        }
    }

    func testFHIRIDsAreSanitised() {
        XCTAssertEqual(CareGapFHIRRenderer.fhirID("cms122-1-1001"), "cms122-1-1001")
        XCTAssertEqual(CareGapFHIRRenderer.fhirID("a b/c_d"), "a-b-c-d")
        let long = CareGapFHIRRenderer.fhirID(String(repeating: "x", count: 100))
        XCTAssertEqual(long.count, 64)
        XCTAssertNotEqual(long, CareGapFHIRRenderer.fhirID(String(repeating: "x", count: 101)))
    }

    func testJSONStringsAreEscaped() throws {
        var bytes: [UInt8] = []
        JSONWriter.appendString("a\"b\\c\nd\u{1}é", to: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertEqual(text, #""a\"b\\c\nd\u0001é""#)
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)) as? [String]
        XCTAssertEqual(parsed, ["a\"b\\c\nd\u{1}é"])
    }

    // MARK: Helpers

    private func object(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(value as? [String: Any], file: file, line: line)
    }

    private func assertMeasureReport(_ report: [String: Any], type: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(report["resourceType"] as? String, "MeasureReport", file: file, line: line)
        XCTAssertEqual(report["status"] as? String, "complete", file: file, line: line)
        XCTAssertEqual(report["type"] as? String, type, file: file, line: line)
        XCTAssertNotNil(report["measure"] as? String, file: file, line: line)
        XCTAssertEqual(report["date"] as? String, SamplePanel.generatedAt, file: file, line: line)
        let period = try XCTUnwrap(report["period"] as? [String: Any], file: file, line: line)
        XCTAssertEqual(period["start"] as? String, "2025-01-01", file: file, line: line)
        XCTAssertEqual(period["end"] as? String, "2025-12-31", file: file, line: line)
        let groups = try XCTUnwrap(report["group"] as? [[String: Any]], file: file, line: line)
        XCTAssertFalse(groups.isEmpty, file: file, line: line)
        for group in groups {
            XCTAssertNotNil(group["id"] as? String, file: file, line: line)
            XCTAssertNotNil(group["population"] as? [[String: Any]], file: file, line: line)
        }
    }

    private func assertUUIDURL(_ value: Any?, file: StaticString = #filePath, line: UInt = #line) throws {
        let text = try XCTUnwrap(value as? String, file: file, line: line)
        XCTAssertNotNil(text.range(of: "^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", options: .regularExpression),
                        text, file: file, line: line)
    }
}
