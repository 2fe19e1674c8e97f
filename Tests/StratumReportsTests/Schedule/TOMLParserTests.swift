import XCTest
@testable import StratumReports

final class TOMLParserTests: XCTestCase {
    private func parse(_ text: String) throws(ScheduleConfigError) -> TOMLDocument {
        try TOMLParser.parse(text, file: "test.toml")
    }

    /// The error `text` fails with.
    private func failure(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ScheduleConfigError? {
        do {
            _ = try parse(text)
            XCTFail("expected an error", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    func testTablesArraysOfTablesAndValues() throws {
        let document = try parse("""
            # a comment line
            [defaults]   # comment after a header
            db = "pop.sqlite"          # comment after a value
            min_cell = 11
            negative = -3
            big = 1_000
            flag = true
            off = false
            literal = 'C:\\data\\no escapes'
            escaped = "tab\\there \\"quoted\\" \\u00e9 # not a comment"
            empty = ""

            [[job]]
            name = "a"
            measures = [
              "cms122",  # first
              "cms165",
            ]

            [[job]]
            name = "b"
            measures = ["cms2"]
            nested = [["x"], []]
            """)
        XCTAssertEqual(document.sectionOrder, ["defaults", "job"])
        let defaults = try XCTUnwrap(document.tables["defaults"])
        XCTAssertEqual(defaults.line, 2)
        XCTAssertEqual(defaults.keys, ["db", "min_cell", "negative", "big", "flag", "off", "literal", "escaped", "empty"])
        XCTAssertEqual(defaults["db"], .init(value: .string("pop.sqlite"), line: 3))
        XCTAssertEqual(defaults["min_cell"]?.value, .integer(11))
        XCTAssertEqual(defaults["negative"]?.value, .integer(-3))
        XCTAssertEqual(defaults["big"]?.value, .integer(1000))
        XCTAssertEqual(defaults["flag"]?.value, .boolean(true))
        XCTAssertEqual(defaults["off"]?.value, .boolean(false))
        XCTAssertEqual(defaults["literal"]?.value, .string("C:\\data\\no escapes"))
        XCTAssertEqual(defaults["escaped"]?.value, .string("tab\there \"quoted\" é # not a comment"))
        XCTAssertEqual(defaults["empty"]?.value, .string(""))
        let jobs = try XCTUnwrap(document.arrays["job"])
        XCTAssertEqual(jobs.count, 2)
        XCTAssertEqual(jobs[0].line, 13)
        XCTAssertEqual(jobs[0]["measures"], .init(value: .array([.string("cms122"), .string("cms165")]), line: 15))
        XCTAssertEqual(jobs[1]["name"]?.value, .string("b"))
        XCTAssertEqual(jobs[1]["nested"]?.value, .array([.array([.string("x")]), .array([])]))
        XCTAssertTrue(document.root.keys.isEmpty)
    }

    func testCRLFAndByteOrderMark() throws {
        let document = try parse("\u{FEFF}[defaults]\r\ndb = \"x\"\r\n\r\n[[job]]\r\nname = \"a\"\r\n")
        XCTAssertEqual(document.tables["defaults"]?["db"]?.value, .string("x"))
        XCTAssertEqual(document.arrays["job"]?[0]["name"]?.line, 5)
    }

    func testSyntaxErrorsNameTheLine() {
        let cases: [(String, Int, String?, String)] = [
            ("[defaults]\ndb = \"pop.sqlite\n", 2, "db", "unterminated string"),
            ("[defaults]\n\ndb \"x\"\n", 3, "db", "expected '='"),
            ("[defaults]\ndb = \"a\"\ndb = \"b\"\n", 3, "db", "duplicate key"),
            ("[[job]]\nat = 06:00\n", 2, "at", "write strings in quotes"),
            ("[[job]]\nname = weekly\n", 2, "name", "strings need quotes"),
            ("[defaults]\nmin_cell = 1.5\n", 2, "min_cell", "floats"),
            ("[defaults]\nmin_cell = 011\n", 2, "min_cell", "not a value"),
            ("[defaults]\nx = { a = 1 }\n", 2, "x", "inline tables"),
            ("[defaults]\nx = \"\"\"long\"\"\"\n", 2, "x", "multi-line strings"),
            ("[defaults]\nx = \"bad \\q escape\"\n", 2, "x", "unknown escape"),
            ("[[job]]\nmeasures = [\n  \"cms122\",\n\n", 2, "measures", "unterminated array (opened on line 2"),
            ("[[job]]\nmeasures = [\"a\" \"b\"]\n", 2, "measures", "expected ',' or ']'"),
            ("[[job]]\nmeasures = [,]\n", 2, "measures", "expected a value"),
            ("[defaults]\ndb = \"x\" trailing\n", 2, nil, "unexpected 't'"),
            ("[defaults]\n[defaults]\n", 2, nil, "defined twice"),
            ("[job]\n[[job]]\n", 2, nil, "cannot also be [[job]]"),
            ("[defaults\n", 1, nil, "expected ']'"),
            ("[[job]\n", 1, nil, "expected ']]'"),
            ("[defaults]\njob.name = \"x\"\n", 2, "job", "dotted keys"),
            ("[defaults]\n\"db\" = \"x\"\n", 2, nil, "quoted keys"),
            ("[defaults]\ndb =\n", 2, "db", "missing value"),
        ]
        for (text, line, key, fragment) in cases {
            guard let error = failure(text) else { continue }
            XCTAssertEqual(error.file, "test.toml", text)
            XCTAssertEqual(error.line, line, "\(text) → \(error)")
            XCTAssertEqual(error.key, key, "\(text) → \(error)")
            XCTAssertTrue(error.message.contains(fragment), "\(text) → \(error)")
        }
    }

    func testErrorDescriptionCarriesFileLineAndKey() {
        let error = failure("[defaults]\n\nmin_cell = 1.5\n")
        XCTAssertEqual(error?.description.hasPrefix("test.toml:3: key 'min_cell': "), true, error?.description ?? "")
    }
}
