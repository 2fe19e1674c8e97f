import CSQLite
import Foundation
import XCTest
@testable import StratumQuery
@testable import StratumStore

/// A store in a temporary directory, removed when the test ends.
final class TempStore {
    let directory: URL
    let store: Store

    init(_ testCase: XCTestCase) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-safety-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try Store(path: directory.appendingPathComponent("store.sqlite").path)
        let dir = directory
        testCase.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    var db: Database { store.db }

    /// Days since 1970 of a date.
    static func day(_ y: Int, _ m: Int, _ d: Int) -> Int64 { Int64(CivilDate.days(year: y, month: m, day: d)) }

    func person(_ id: Int64, female: Bool, born year: Int) throws {
        try db.run("INSERT INTO person (person_id, gender_concept_id, year_of_birth, birth_date) VALUES (?, ?, ?, ?)",
                   [.integer(id), .integer(female ? 8532 : 8507), .integer(Int64(year)), .integer(TempStore.day(year, 6, 1))])
        try db.run("INSERT INTO observation_period (person_id, observation_period_start_date, observation_period_end_date) VALUES (?, ?, ?)",
                   [.integer(id), .integer(TempStore.day(2000, 1, 1)), .integer(TempStore.day(2030, 12, 31))])
    }

    func condition(_ person: Int64, _ system: String, _ code: String, on date: Int64 = TempStore.day(2024, 3, 1)) throws {
        try db.run("INSERT INTO condition_occurrence (person_id, condition_start_date, source_system, source_code) VALUES (?, ?, ?, ?)",
                   [.integer(person), .integer(date), .text(system), .text(code)])
    }

    func observation(_ person: Int64, _ system: String, _ code: String, text: String, on date: Int64 = TempStore.day(2024, 2, 1)) throws {
        try db.run("INSERT INTO observation (person_id, observation_date, value_as_string, source_system, source_code) VALUES (?, ?, ?, ?, ?)",
                   [.integer(person), .integer(date), .text(text), .text(system), .text(code)])
    }

    func measurement(_ person: Int64, _ system: String, _ code: String, value: Double, unit: String?, on date: Int64 = TempStore.day(2024, 5, 1)) throws {
        try db.run("INSERT INTO measurement (person_id, measurement_date, value_as_number, unit_source_value, source_system, source_code) VALUES (?, ?, ?, ?, ?, ?)",
                   [.integer(person), .integer(date), .real(value), unit.map { .text($0) } ?? .null, .text(system), .text(code)])
    }

    /// Every table's schema and contents (as hex, so embedded NULs count), for "nothing changed".
    func snapshot(excluding: Set<String> = ["cohort", "cohort_definition", "cohort_attrition"]) throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try db.query("SELECT type, name, sql FROM sqlite_master ORDER BY type, name") {
            out["schema \(row[0].text ?? "") \(row[1].text ?? "")"] = row[2].text ?? ""
        }
        for row in try db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") {
            guard let table = row[0].text, !excluding.contains(table) else { continue }
            let columns = try db.query("SELECT name FROM pragma_table_info(?)", [.text(table)]).compactMap { $0[0].text }
            let hexed = columns.map { "typeof(\($0)) || ':' || hex(\($0))" }.joined(separator: " || ',' || ")
            let rows = try db.query("SELECT \(hexed.isEmpty ? "''" : hexed) FROM \(table) ORDER BY rowid").map { $0[0].text ?? "" }
            out["rows \(table)"] = "\(rows.count): " + rows.joined(separator: "\n")
        }
        return out
    }

    /// The first column of every row, as text (select `hex(x)` to read text with NULs).
    func strings(_ sql: String, _ arguments: [SQLValue] = []) throws -> [String] {
        try db.query(sql, arguments).map { $0[0].text ?? "NULL" }
    }
}

func hex(_ text: String) -> String { text.utf8.map { String(format: "%02X", $0) }.joined() }

/// The text of every statement SQLite runs on a connection, as prepared (placeholders, not
/// values), with the number of parameters SQLite counted in it.
final class SQLTrace {
    struct Entry: Equatable { var sql: String; var parameterCount: Int }
    var entries: [Entry] = []
    private let db: Database

    init(_ db: Database) {
        self.db = db
        sqlite3_trace_v2(db.handle, UInt32(SQLITE_TRACE_STMT), { _, context, statement, _ in
            guard let context, let statement else { return 0 }
            let trace = Unmanaged<SQLTrace>.fromOpaque(context).takeUnretainedValue()
            let stmt = OpaquePointer(statement)
            if let sql = sqlite3_sql(stmt) {
                trace.entries.append(Entry(sql: String(cString: sql), parameterCount: Int(sqlite3_bind_parameter_count(stmt))))
            }
            return 0
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    func stop() { sqlite3_trace_v2(db.handle, 0, nil, nil) }
    deinit { stop() }
}

/// Scripts of the fuzz corpus (Sources/StratumFuzz/Corpus.swift), read from the source file:
/// the first is the preamble the fuzz environment binds, the rest are the seeds.
enum FuzzCorpus {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/StratumFuzz/Corpus.swift")

    static func scripts() throws -> (preamble: String, scripts: [String]) {
        let text = try String(contentsOf: file, encoding: .utf8)
        var blocks: [String] = []
        for part in text.components(separatedBy: "#\"\"\"\n").dropFirst() {
            guard let end = part.range(of: "\n\"\"\"#") else { continue }
            blocks.append(String(part[..<end.lowerBound]))
        }
        guard let preamble = blocks.first, blocks.count > 1 else { throw XCTSkip("no corpus in \(file.path)") }
        return (preamble, Array(blocks.dropFirst()))
    }
}

/// A FHIR ValueSet file with the given codes.
func fhirValueSet(name: String, codes: [(system: String, code: String)]) -> String {
    func json(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
    let contains = codes.map { "{\"system\": \(json($0.system)), \"code\": \(json($0.code))}" }.joined(separator: ", ")
    return "{\"resourceType\": \"ValueSet\", \"name\": \(json(name)), \"expansion\": {\"contains\": [\(contains)]}}"
}
