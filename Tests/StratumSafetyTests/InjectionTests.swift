import Foundation
import Stratum
import XCTest
@testable import StratumQuery
@testable import StratumStore

/// Quotes, semicolons, comment markers, NULs and SQL text inside every place a script or the
/// command line can put text — cohort titles, rule names, value-set codes, `load` paths, list and
/// count labels, `--param` values — run against a real store. The SQL SQLite runs must be the
/// same, byte for byte, as with plain values (only bound parameters differ), the data must be
/// untouched, and the values must come back intact where they are stored.
final class InjectionTests: XCTestCase {
    /// Texts that would change a statement if they were ever pasted into SQL.
    static let payloads: [String] = [
        "'", "\"", ";", "--", "/*", "*/", "#", "\\", "?", "?1", ":name", "$1", "@x",
        "DROP TABLE person;",
        "x'; DROP TABLE person; --",
        "x\"; DROP TABLE person; --",
        "*/ DROP TABLE person; /*",
        "' OR '1'='1",
        "'); DELETE FROM condition_occurrence; --",
        "a\u{0}b; DROP TABLE person;",
        "\u{0}",
        "caf\u{e9} \u{1F600} \u{202E}gnp.exe \u{FEFF} e\u{301} \u{65E5}\u{672C}",
        "tab\there\rcarriage",
        "x'; DROP TABLE person; -- \" /* */ # ; \\ ? \u{0} \u{1F600}",
    ]

    struct Values {
        var name: String
        var title: String
        var rule: String
        var code: String
        var label: String
        var path: String
        var param: String
    }

    static let plain = Values(name: "Plain", title: "plain title", rule: "plain rule", code: "plaincode", label: "plain label",
                              path: "plain.json", param: "plain note")

    /// The payload in every slot. Script strings cannot hold a line break (the lexer ends a
    /// string at the end of the line), file names cannot hold '/' or NUL; `--param` values can
    /// hold anything, so they get a newline as well.
    static func values(_ payload: String) -> Values {
        let oneLine = payload.replacingOccurrences(of: "\n", with: " ")
        let fileName = String(oneLine.unicodeScalars.filter { $0 != "/" && $0 != "\u{0}" }.map(Character.init))
        // A '*' in a code is a wildcard, quoted or not (`testQuotedCodesEndingInAStarArePrefixes`).
        let code = oneLine.replacingOccurrences(of: "*", with: "+")
        return Values(name: "Inj\u{e9}cted\u{1F600}", title: oneLine, rule: oneLine + " rule", code: code, label: oneLine + " label",
                      path: "vs " + fileName + ".json", param: payload + "\nsecond line")
    }

    /// A script string literal: doubled quotes and backslashes, as the lexer reads them.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func script(_ v: Values) -> String {
        """
        valueset Dx = snomed:\(quoted(v.code)), snomed:44054006
        valueset Loaded = load \(quoted(v.path))
        valueset Smoking = loinc:72166-2
        param note = "default"
        cohort \(v.name) \(quoted(v.title))
          entry condition in Dx or condition in Loaded
          rule \(quoted(v.rule)) observation in Smoking where text = note
          require \(quoted(v.rule + " 2")) age >= 0
        list \(v.name) with person, first condition in Dx as \(quoted(v.label)), count condition in Dx as \(quoted(v.label + " 2")), no drug in Dx as \(quoted(v.label + " 3")) limit 10
        count \(v.name) by sex, condition in Dx as \(quoted(v.label))
        """
    }

    struct Run {
        var sql: [SQLTrace.Entry]
        var results: [StatementResult]
        var titleHex: [String]
        var nameHex: [String]
        var ruleHex: [String]
        var attrition: [String]
        var members: [String]
        var before: [String: String]
        var after: [String: String]
    }

    /// Runs the script with `v` in a fresh store holding rows with both the plain and the
    /// payload values, so both runs select the same people.
    func run(_ v: Values) throws -> Run {
        let temp = try TempStore(self)
        try temp.db.transaction {
            try temp.person(1, female: true, born: 1960)
            try temp.person(2, female: false, born: 1970)
            try temp.person(3, female: true, born: 1980)
            try temp.person(4, female: false, born: 1990)
            for code in Set([InjectionTests.plain.code, v.code]) { try temp.condition(1, "snomed", code) }
            try temp.condition(2, "snomed", "44054006")
            try temp.condition(3, "snomed", "195967001")
            try temp.condition(4, "snomed", "other")
            for text in Set([InjectionTests.plain.param, v.param]) { try temp.observation(1, "loinc", "72166-2", text: text) }
            try temp.observation(2, "loinc", "72166-2", text: "never")
        }
        try temp.write(v.path, fhirValueSet(name: "Loaded", codes: [("http://snomed.info/sct", "195967001")]))

        let before = try temp.snapshot()
        let session = try Session(store: temp.store, parameters: ["note": v.param], loader: FHIRValueSetSource())
        let trace = SQLTrace(temp.db)
        let results = try session.run(SourceFile(name: temp.path("script.stratum"), text: InjectionTests.script(v)))
        trace.stop()
        return Run(sql: trace.entries, results: results,
                   titleHex: try temp.strings("SELECT hex(title) FROM cohort_definition"),
                   nameHex: try temp.strings("SELECT hex(name) FROM cohort_definition"),
                   ruleHex: try temp.strings("SELECT hex(rule_name) FROM cohort_attrition ORDER BY rule_index"),
                   attrition: try temp.strings("SELECT rule_index || ':' || persons || ':' || events FROM cohort_attrition ORDER BY rule_index"),
                   members: try temp.strings("SELECT subject_id FROM cohort ORDER BY subject_id"),
                   before: before, after: try temp.snapshot())
    }

    func tables(_ results: [StatementResult]) -> [ResultTable] {
        results.compactMap { if case .table(let t) = $0 { return t } else { return nil } }
    }

    func testPayloadsNeverChangeTheSQLAndRoundTrip() throws {
        let baseline = try run(InjectionTests.plain)
        XCTAssertFalse(baseline.sql.isEmpty)
        XCTAssertEqual(baseline.members, ["1"])
        XCTAssertEqual(baseline.attrition, ["0:3:3", "1:1:1", "2:1:1"])
        XCTAssertEqual(baseline.before, baseline.after)

        for payload in InjectionTests.payloads {
            let v = InjectionTests.values(payload)
            let run = try run(v)
            let what = "payload \(payload.debugDescription)"
            // The same statements, byte for byte, in the same order.
            XCTAssertEqual(run.sql.count, baseline.sql.count, what)
            for (a, b) in zip(run.sql, baseline.sql) where a != b {
                XCTFail("\(what): SQL differs from the plain run:\n\(a.sql)\n---\n\(b.sql)")
                break
            }
            XCTAssertFalse(run.sql.contains { $0.sql.contains("DROP TABLE person") }, what)
            // Data untouched.
            XCTAssertEqual(run.before.count, run.after.count, what)
            for (key, value) in run.before where run.after[key] != value { XCTFail("\(what): \(key) changed") }
            // The code and the parameter matched rows by their exact bytes: the same people.
            XCTAssertEqual(run.members, baseline.members, what)
            XCTAssertEqual(run.attrition, baseline.attrition, what)
            // Stored values round-trip.
            XCTAssertEqual(run.titleHex, [hex(v.title)], what)
            XCTAssertEqual(run.nameHex, [hex(v.name)], what)
            XCTAssertEqual(run.ruleHex, [hex("entry events"), hex(v.rule), hex(v.rule + " 2")], what)
            // Labels come back as column names.
            let results = tables(run.results), plainResults = tables(baseline.results)
            XCTAssertEqual(results.count, 2, what)
            if results.count == 2 && plainResults.count == 2 {
                XCTAssertEqual(results[0].columns, ["person", v.label, v.label + " 2", v.label + " 3"], what)
                XCTAssertEqual(results[1].columns, ["sex", v.label, "persons", "eras"], what)
                XCTAssertEqual(results[0].rows.count, 1, what)
                XCTAssertEqual(results[0].rows, plainResults[0].rows, what)
                XCTAssertEqual(results[1].rows, plainResults[1].rows, what)
            }
        }
    }

    /// The plan the session ran, rendered: the SQL text is the plain run's; only the parameters
    /// carry the payload.
    func testCompiledPlansDifferOnlyInParameters() throws {
        func plan(_ v: Values) throws -> [RenderedSQL] {
            let temp = try TempStore(self)
            try temp.write(v.path, fhirValueSet(name: "Loaded", codes: [("http://snomed.info/sct", "195967001")]))
            let session = try Session(store: temp.store, parameters: ["note": v.param], loader: FHIRValueSetSource())
            try session.run(SourceFile(name: temp.path("script.stratum"), text: InjectionTests.script(v)))
            let run = try XCTUnwrap(session.runs[Environment.key(v.name)])
            return (run.plan.setup + run.plan.steps).map { SQLRenderer.render($0.statement, dialect: SQLiteDialect()) }
                + run.plan.attrition.map { SQLRenderer.render(.select($0.select), dialect: SQLiteDialect()) }
        }
        let baseline = try plan(InjectionTests.plain)
        for payload in InjectionTests.payloads {
            let v = InjectionTests.values(payload)
            let rendered = try plan(v)
            XCTAssertEqual(rendered.map(\.sql), baseline.map(\.sql), payload.debugDescription)
            XCTAssertEqual(rendered.map(\.parameters.count), baseline.map(\.parameters.count), payload.debugDescription)
            let texts = rendered.flatMap(\.parameters).compactMap { p -> String? in if case .text(let s) = p { return s } else { return nil } }
            XCTAssertTrue(texts.contains(v.code), "the code travels as a parameter: \(payload.debugDescription)")
            XCTAssertTrue(texts.contains(v.param), "the --param value travels as a parameter: \(payload.debugDescription)")
        }
    }

    /// A quoted code ending in '*' is a prefix pattern; the prefix is a parameter too.
    func testQuotedCodesEndingInAStarArePrefixes() throws {
        let temp = try TempStore(self)
        try temp.person(1, female: true, born: 1960)
        try temp.person(2, female: true, born: 1960)
        let prefix = "x'; DROP TABLE person; --"
        try temp.condition(1, "snomed", prefix + "123")
        try temp.condition(2, "snomed", "x")
        let before = try temp.snapshot()
        let session = try Session(store: temp.store)
        let trace = SQLTrace(temp.db)
        try session.run(SourceFile(name: temp.path("s.stratum"), text: """
            cohort C "c"
              entry condition in snomed:\(InjectionTests.quoted(prefix + "*"))
            """))
        trace.stop()
        XCTAssertFalse(trace.entries.contains { $0.sql.contains("DROP TABLE person") })
        XCTAssertEqual(try temp.strings("SELECT subject_id FROM cohort"), ["1"])
        XCTAssertEqual(before, try temp.snapshot())
    }

    /// Value-set codes read from a FHIR file (not from the script) are parameters too.
    func testCodesFromValueSetFilesAreParameters() throws {
        let temp = try TempStore(self)
        try temp.person(1, female: true, born: 1960)
        let code = "x'; DROP TABLE person; --"
        try temp.condition(1, "snomed", code)
        try temp.write("nasty.json", fhirValueSet(name: "x'; DROP TABLE person; --", codes: [("http://snomed.info/sct", code)]))
        let before = try temp.snapshot()
        let session = try Session(store: temp.store, loader: FHIRValueSetSource())
        let trace = SQLTrace(temp.db)
        try session.run(SourceFile(name: temp.path("s.stratum"), text: """
            valueset Nasty = load "nasty.json"
            cohort C "c"
              entry condition in Nasty
            """))
        trace.stop()
        XCTAssertFalse(trace.entries.contains { $0.sql.contains("DROP TABLE person") })
        XCTAssertEqual(try temp.strings("SELECT subject_id FROM cohort"), ["1"])
        XCTAssertEqual(before, try temp.snapshot())
    }
}
