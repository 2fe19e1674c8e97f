import Foundation
import StratumStore
@testable import StratumQuery
import XCTest

/// The three renderings of a query result: what a person sees at the terminal, and the CSV and
/// JSON that programs read back exactly.
final class ResultRendererTests: XCTestCase {
    let conditions = ResultTable(
        title: "Chronic conditions",
        columns: ["condition", "persons", "mean_age"],
        rows: [["diabetes", 1204, 58.3287619], ["hypertension", 3310, 61.0], ["copd", 87, .null]])

    // MARK: Text table

    func testTextTableAlignsNumbersRightAndDecimalPoints() {
        XCTAssertEqual(ResultRenderer.text(conditions), """
            Chronic conditions
            condition     persons  mean_age
            ------------  -------  --------
            diabetes         1204   58.3288
            hypertension     3310   61.0000
            copd               87         ·
            (3 rows)

            """)
    }

    func testRealsKeepAboutSixSignificantDigits() {
        func column(_ values: [Double]) -> [String] {
            let table = ResultTable(columns: ["x"], rows: values.map { [.real($0)] })
            return ResultRenderer.text(table).split(separator: "\n").dropFirst(2).dropLast().map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
        XCTAssertEqual(column([0.5]), ["0.5"])
        XCTAssertEqual(column([3]), ["3.0"])
        XCTAssertEqual(column([1234567.891]), ["1234567.9"])
        XCTAssertEqual(column([0.000123456]), ["0.000123456"])
        XCTAssertEqual(column([-0.0]), ["0.0"])
        XCTAssertEqual(column([1.5e20]), ["1.5e+20"])
        XCTAssertEqual(column([.nan, .infinity, -.infinity]), ["NaN", "inf", "-inf"])
        XCTAssertEqual(column([2.25, 10]), ["2.25", "10.00"])
    }

    func testNullAndEmptyTextLookDifferent() {
        let table = ResultTable(columns: ["a", "b"], rows: [[.null, ""], ["x", .null]])
        XCTAssertEqual(ResultRenderer.text(table), "a  b\n-  -\n·\nx  ·\n(2 rows)\n")
        XCTAssertEqual(ResultRenderer.text(table, null: "NULL"), "a     b\n----  ----\nNULL\nx     NULL\n(2 rows)\n")
    }

    func testFooterCountsRowsInWords() {
        XCTAssertTrue(ResultRenderer.text(ResultTable(columns: ["n"], rows: [[1]])).hasSuffix("(1 row)\n"))
        XCTAssertEqual(ResultRenderer.text(ResultTable(columns: ["n"], rows: [])), "n\n-\n(0 rows)\n")
        let many = ResultTable(columns: ["n"], rows: (0..<1234).map { [.integer(Int64($0))] })
        XCTAssertTrue(ResultRenderer.text(many).hasSuffix("(1,234 rows)\n"))
        XCTAssertEqual(ResultRenderer.text(ResultTable(columns: [], rows: [])), "(0 rows)\n")
    }

    func testNarrowTerminalCutsWideTextColumnsFirst() {
        let table = ResultTable(columns: ["id", "description", "code"], rows: [
            [1, "Type 2 diabetes mellitus without complications", "E11.9"],
            [22, "Essential (primary) hypertension", "I10"],
        ])
        let text = ResultRenderer.text(table, maxWidth: 40)
        XCTAssertEqual(text, """
            id  description                    code
            --  -----------------------------  -----
             1  Type 2 diabetes mellitus wit…  E11.9
            22  Essential (primary) hyperten…  I10
            (2 rows)

            """)
        for line in text.split(separator: "\n") {
            XCTAssertLessThanOrEqual(ResultRenderer.displayWidth(String(line)), 40, String(line))
        }
    }

    func testTooManyColumnsDropsTrailingOnesAndSaysSo() {
        let columns = ["person_id", "gender", "birth_year", "race", "ethnicity", "zip", "payer"]
        let table = ResultTable(columns: columns, rows: [
            [1, "female", 1950, "white", "not hispanic", "02139", "medicare"],
            [2, "male", 1972, "asian", "not hispanic", "94110", "private insurance plan"],
        ])
        let text = ResultRenderer.text(table, maxWidth: 50)
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "person_id  gender  birth_year  race   ethnicity")
        XCTAssertEqual(lines.last, "(2 rows, 2 columns hidden: zip, payer)")
        for line in lines { XCTAssertLessThanOrEqual(ResultRenderer.displayWidth(line), 50, line) }

        // When the names do not fit, the footer still gives the count.
        let narrow = ResultRenderer.text(table, maxWidth: 26).split(separator: "\n").map(String.init)
        XCTAssertEqual(narrow.last, "(2 rows, 5 columns hidden)")
        XCTAssertEqual(narrow[0], "person_id  gender")
    }

    func testNumbersAreNeverCutOnlyTheirHeaders() {
        let table = ResultTable(columns: ["a_long_count_header", "b"], rows: [[123_456_789_012, "x"]])
        let text = ResultRenderer.text(table, maxWidth: 15)
        XCTAssertTrue(text.contains("123456789012"), text)
        XCTAssertTrue(text.hasPrefix("a_long_coun…  b\n"), text)
        // A single number wider than the terminal overflows rather than lies.
        let one = ResultRenderer.text(ResultTable(columns: ["n"], rows: [[123_456_789_012]]), maxWidth: 5)
        XCTAssertTrue(one.contains("123456789012"), one)
    }

    func testSingleTextColumnIsCutToTheWidth() {
        let table = ResultTable(title: "A title longer than the screen", columns: ["note"], rows: [["abcdefghijklmnopqrstuvwxyz"]])
        XCTAssertEqual(ResultRenderer.text(table, maxWidth: 10), "A title l…\nnote\n----------\nabcdefghi…\n(1 row)\n")
    }

    func testControlCharactersAreShownNotSentToTheTerminal() {
        let table = ResultTable(columns: ["a\tb"], rows: [["line1\nline2"], ["\u{1B}]0;pwned\u{07}red\u{1B}[31m"], ["\u{202E}evil"]])
        let text = ResultRenderer.text(table)
        XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E || $0 == "\t" })
        XCTAssertTrue(text.contains("a\\tb"), text)
        XCTAssertTrue(text.contains("line1\\nline2"), text)
        XCTAssertTrue(text.contains("\\u{1B}]0;pwned\\u{7}red\\u{1B}[31m"), text)
        XCTAssertTrue(text.contains("\\u{202E}evil"), text)
        XCTAssertEqual(text.split(separator: "\n").count, 6)
    }

    func testWideAndCombiningCharactersKeepColumnsStraight() {
        XCTAssertEqual(ResultRenderer.displayWidth("糖尿病"), 6)
        XCTAssertEqual(ResultRenderer.displayWidth("Ame\u{301}lie"), 6)
        XCTAssertEqual(ResultRenderer.displayWidth("🩺"), 2)
        XCTAssertEqual(ResultRenderer.displayWidth("🇩🇪"), 2)
        let table = ResultTable(columns: ["name", "n"], rows: [["糖尿病", 1], ["Ame\u{301}lie", 2], ["x", 3]])
        XCTAssertEqual(ResultRenderer.text(table), """
            name    n
            ------  -
            糖尿病  1
            Amélie  2
            x       3
            (3 rows)

            """)
        // Cutting never splits a wide character or leaves a line wider than asked.
        XCTAssertEqual(ResultRenderer.truncate("糖尿病です", to: 6), "糖尿…")
    }

    func testRaggedRowsArePaddedWithNull() {
        let table = ResultTable(columns: ["a", "b"], rows: [[1], [2, "x", "extra"]])
        XCTAssertEqual(ResultRenderer.text(table), "a  b\n-  -\n1  ·\n2  x\n(2 rows)\n")
        XCTAssertEqual(ResultRenderer.csv(table), "a,b\r\n1,\r\n2,x\r\n")
    }

    // MARK: CSV

    func testCSVQuotesOnlyWhatRFC4180Requires() {
        let table = ResultTable(title: "ignored", columns: ["id", "name, full", "note"], rows: [
            [1, "plain", "say \"hi\""],
            [2, "multi\nline", "cr\rhere"],
            [3, "", .null],
            [4, 2.5, 1e-5],
        ])
        XCTAssertEqual(ResultRenderer.csv(table),
                       "id,\"name, full\",note\r\n" +
                       "1,plain,\"say \"\"hi\"\"\"\r\n" +
                       "2,\"multi\nline\",\"cr\rhere\"\r\n" +
                       "3,\"\",\r\n" +
                       "4,2.5,1e-05\r\n")
        XCTAssertEqual(ResultRenderer.csv(table, lineEnding: "\n").split(separator: "\n", omittingEmptySubsequences: false).first, "id,\"name, full\",note")
        XCTAssertEqual(ResultRenderer.csv(ResultTable(columns: [], rows: [[1]])), "")
    }

    func testCSVRoundTripsEveryValue() throws {
        let nasty = ["", " leading and trailing ", "\"", "\"\"", ",", "a,b\r\nc", "\r", "\n", "é 糖 🩺", "=SUM(A1)", "\\", "'"]
        let table = ResultTable(columns: ["text", "int", "real"], rows: nasty.enumerated().map { i, s in
            [.text(s), .integer(Int64.max - Int64(i)), .real(Double(i) / 3)]
        } + [[.null, .integer(Int64.min), .real(-0.1)]])
        let records = try parseCSV(ResultRenderer.csv(table))
        XCTAssertEqual(records.count, table.rows.count + 1)
        XCTAssertEqual(records[0].map(\.value), ["text", "int", "real"])
        for (row, record) in zip(table.rows, records.dropFirst()) {
            XCTAssertEqual(record.count, 3)
            switch row[0] {
            case .text(let s): XCTAssertEqual(record[0].value, s); XCTAssertTrue(record[0].quoted || !s.isEmpty)
            default: XCTAssertEqual(record[0].value, ""); XCTAssertFalse(record[0].quoted)  // NULL: bare empty field
            }
            XCTAssertEqual(Int64(record[1].value), row[1].int)
            XCTAssertEqual(Double(record[2].value), row[2].double)  // shortest round-trip form is exact
        }
    }

    // MARK: JSON

    func testJSONShape() {
        let table = ResultTable(columns: ["id", "id", "x"], rows: [[1, 2, 0.5], [3, .null, "t"]])
        XCTAssertEqual(ResultRenderer.json(table), """
            {
              "title": null,
              "columns": ["id", "id", "x"],
              "rows": [
                [1, 2, 0.5],
                [3, null, "t"]
              ]
            }

            """)
        XCTAssertEqual(ResultRenderer.json(ResultTable(title: "t", columns: ["a"], rows: [])),
                       "{\n  \"title\": \"t\",\n  \"columns\": [\"a\"],\n  \"rows\": []\n}\n")
    }

    func testJSONEscapesEverythingAndParsesBack() throws {
        var control = ""
        for v in 0..<0x20 { control.unicodeScalars.append(Unicode.Scalar(UInt8(v))) }
        let strings = ["quote \" backslash \\ slash /", control, "\u{7F}\u{2028}\u{2029}", "é 糖 🩺 🇩🇪", ""]
        let table = ResultTable(title: "t\"\n", columns: strings, rows: [
            strings.map { .text($0) },
            [.integer(Int64.max), .integer(Int64.min), .real(.nan), .real(.infinity), .real(1e-300)],
        ])
        let json = ResultRenderer.json(table)
        XCTAssertFalse(json.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x2028 || $0.value == 0x2029 })
        XCTAssertTrue(json.contains("\\u0000\\u0001"), json)
        XCTAssertTrue(json.contains("\\b\\t\\n\\u000b\\f\\r"), json)
        XCTAssertTrue(json.contains("\\u2028\\u2029"), json)
        XCTAssertTrue(json.contains("[9223372036854775807, -9223372036854775808, null, null, 1e-300]"), json)

        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["title"] as? String, "t\"\n")
        XCTAssertEqual(object["columns"] as? [String], strings)
        let rows = try XCTUnwrap(object["rows"] as? [[Any]])
        XCTAssertEqual(rows[0] as? [String], strings)
        XCTAssertTrue(rows[1][2] is NSNull)
        XCTAssertEqual(rows[1][4] as? Double, 1e-300)
    }

    func testRenderDispatchesOnFormat() {
        XCTAssertEqual(ResultFormat.allCases.map(\.rawValue), ["table", "csv", "json"])
        XCTAssertEqual(ResultFormat(rawValue: "csv"), .csv)
        XCTAssertEqual(ResultRenderer.render(conditions, as: .csv), ResultRenderer.csv(conditions))
        XCTAssertEqual(ResultRenderer.render(conditions, as: .json), ResultRenderer.json(conditions))
        XCTAssertEqual(ResultRenderer.render(conditions, as: .table, maxWidth: 20), ResultRenderer.text(conditions, maxWidth: 20))
    }
}

/// A strict RFC 4180 reader for the round-trip test: fields with whether they were quoted.
private func parseCSV(_ text: String) throws -> [[(value: String, quoted: Bool)]] {
    struct Malformed: Error { var at: Int }
    let chars = Array(text.unicodeScalars)
    var records: [[(value: String, quoted: Bool)]] = []
    var record: [(value: String, quoted: Bool)] = []
    var i = 0
    while i < chars.count {
        var field = "", quoted = false
        if chars[i] == "\"" {
            quoted = true
            i += 1
            while true {
                guard i < chars.count else { throw Malformed(at: i) }
                if chars[i] == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 2; continue }
                    i += 1
                    break
                }
                field.unicodeScalars.append(chars[i])
                i += 1
            }
        } else {
            while i < chars.count && chars[i] != "," && chars[i] != "\r" {
                if chars[i] == "\"" || chars[i] == "\n" { throw Malformed(at: i) }
                field.unicodeScalars.append(chars[i])
                i += 1
            }
        }
        record.append((field, quoted))
        guard i < chars.count else { throw Malformed(at: i) }  // every record ends with CRLF
        if chars[i] == "," { i += 1; continue }
        guard chars[i] == "\r", i + 1 < chars.count, chars[i + 1] == "\n" else { throw Malformed(at: i) }
        i += 2
        records.append(record)
        record = []
    }
    return records
}
