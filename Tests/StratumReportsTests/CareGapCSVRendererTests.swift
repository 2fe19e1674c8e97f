import XCTest
@testable import StratumReports

final class CareGapCSVRendererTests: XCTestCase {
    func testPatientsCSVMatchesGolden() throws {
        try assertGolden(CareGapCSVRenderer(run: SamplePanel.run).patientsCSV(), "caregaps-patients.csv")
    }

    func testSummaryCSVMatchesGolden() throws {
        try assertGolden(CareGapCSVRenderer(run: SamplePanel.run).summaryCSV(), "caregaps-summary.csv")
    }

    func testFieldsAreQuotedPerRFC4180() {
        func field(_ text: String) -> String {
            var out = ReportBuffer()
            CareGapCSVRenderer.field(text, to: &out)
            return out.text
        }
        XCTAssertEqual(field("plain text"), "plain text")
        XCTAssertEqual(field("a,b"), "\"a,b\"")
        XCTAssertEqual(field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(field("two\nlines"), "\"two\nlines\"")
        XCTAssertEqual(field("cr\rhere"), "\"cr\rhere\"")
        XCTAssertEqual(field(""), "")
    }

    /// Every row parses back (with a minimal RFC 4180 reader) to as many fields as the header,
    /// and rows are in measure, group, person order.
    func testPatientsCSVParsesBackInOrder() throws {
        let run = SamplePanel.run
        let rows = parseCSV(CareGapCSVRenderer(run: run).patientsCSV())
        XCTAssertEqual(rows.first, CareGapCSVRenderer.patientsHeader)
        let body = rows.dropFirst()
        XCTAssertEqual(body.count, run.outcomes.count)
        for row in body { XCTAssertEqual(row.count, CareGapCSVRenderer.patientsHeader.count, "\(row)") }
        let keys = body.map { ($0[0], $0[1], Int64($0[2]) ?? -1) }
        let sorted = keys.sorted { a, b in a.0 != b.0 ? a.0 < b.0 : a.1 != b.1 ? a.1 < b.1 : a.2 < b.2 }
        XCTAssertTrue(keys.elementsEqual(sorted, by: ==))
        // The note with a quote, a comma and a newline survives the round trip.
        let noted = try XCTUnwrap(body.first { $0[0] == "cms122" && $0[2] == "1007" })
        XCTAssertTrue(noted[15].contains("note=repeat \"stat\" order, lab A\nsecond line"), noted[15])
        XCTAssertEqual(noted[6], "Dr. Ana Ruiz")
        let quoted = try XCTUnwrap(body.first { $0[2] == "1016" })
        XCTAssertEqual(quoted[6], "Dr. \"Sam\" O'Neil, MD")
        XCTAssertEqual(quoted[8], "Harbor Health Center")
    }

    func testSummarySuppressesSmallCells() throws {
        let rows = parseCSV(CareGapCSVRenderer(run: SamplePanel.run).summaryCSV())
        let header = rows[0]
        let column = { (name: String) in header.firstIndex(of: name) ?? -1 }
        // Provider 503 has three patients: every non-zero count is "<11", the rate "suppressed".
        let small = rows.filter { $0[column("level")] == "provider" && $0[column("key")] == "503" }
        XCTAssertEqual(small.count, 2)
        for row in small {
            XCTAssertEqual(row[column("initial_population")], "<11")
            XCTAssertEqual(row[column("performance_rate")], "suppressed")
            for name in ["initial_population", "denominator", "denominator_exclusion", "numerator", "open_gaps"] {
                let value = row[column(name)]
                XCTAssertTrue(value == "<11" || value == "0", "\(name) = \(value)")
            }
        }
        // The measure level is large enough to show.
        let cms165 = try XCTUnwrap(rows.first { $0[column("level")] == "measure" && $0[column("measure")] == "cms165" })
        XCTAssertEqual(cms165[column("initial_population")], "30")
        XCTAssertEqual(cms165[column("performance_rate")], "0.5000")
        XCTAssertEqual(cms165[column("improvement_notation")], "increase")
        XCTAssertTrue(rows.contains { $0[column("level")] == "provider" && $0[column("key")] == "unattributed" })
        XCTAssertTrue(rows.contains { $0[column("level")] == "care_site" && $0[column("name")] == "Northside Clinic, Suite 2" })
    }
}

/// A small RFC 4180 reader for the tests.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = ""
    var inQuotes = false, justClosed = false
    var iterator = Array(text).makeIterator()
    var pending: Character? = nil
    while let c = pending ?? iterator.next() {
        pending = nil
        if inQuotes {
            if c == "\"" {
                if let next = iterator.next() {
                    if next == "\"" { field.append("\"") } else { inQuotes = false; justClosed = true; pending = next }
                } else { inQuotes = false }
            } else { field.append(c) }
            continue
        }
        switch c {
        case "\"" where field.isEmpty && !justClosed: inQuotes = true
        case ",": row.append(field); field = ""; justClosed = false
        case "\n": row.append(field); rows.append(row); row = []; field = ""; justClosed = false
        default: field.append(c)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}
