// Bulk-insert micro-benchmark: thin raw SQLite wrapper vs GRDB.swift 7.10.0.
//
// Every run: fresh temp database file, `PRAGMA journal_mode=DELETE; PRAGMA synchronous=NORMAL`,
// table created (untimed), then N rows inserted inside ONE transaction. The timed region is
// BEGIN ... N inserts ... COMMIT (the commit's fsync included); open/close/CREATE TABLE are not.
// After each run the database is re-read (untimed) and a checksum compared across variants, so
// every variant is proven to have written exactly the same data.
//
// Usage: sqlite-binding-bench [--rows N] [--runs R] [--warmup ROWS] [--dir PATH] [--variants a,b,...]
// Defaults: 1,000,000 rows, 3 runs per variant, 100,000-row untimed warm-up per variant, $TMPDIR.

import CSQLite
import Foundation
import GRDB

// MARK: - Options

struct Options {
    var rows = 1_000_000
    var runs = 3
    var warmupRows = 100_000
    var dir = FileManager.default.temporaryDirectory
    var variants: [Variant] = Variant.allCases
}

enum Variant: String, CaseIterable {
    /// (a) sqlite3_prepare_v3 once; per row bind_int64/double/text(SQLITE_TRANSIENT), step, reset.
    case raw
    /// (b) GRDB: cachedStatement(sql:) once before the loop, `execute(arguments: [...])` per row.
    case grdb
    /// (c) GRDB: cachedStatement(sql:) once, `setUncheckedArguments([...])` + `execute()` per row.
    case grdbUnchecked = "grdb-unchecked"
    /// (b') supplementary: `db.cachedStatement(sql:)` looked up again for every row (cache hit), then
    /// `execute(arguments:)`. Shows the price of fetching the cached statement inside the loop.
    case grdbCachedPerRow = "grdb-cached-per-row"

    var label: String {
        switch self {
        case .raw: return "(a) raw sqlite3 (bind/step/reset)"
        case .grdb: return "(b) GRDB execute(arguments:)"
        case .grdbUnchecked: return "(c) GRDB setUncheckedArguments+execute()"
        case .grdbCachedPerRow: return "(b') GRDB cachedStatement per row"
        }
    }
}

func parseOptions() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst().makeIterator()
    func usage() -> Never {
        let names = Variant.allCases.map(\.rawValue).joined(separator: ",")
        FileHandle.standardError.write(Data("usage: sqlite-binding-bench [--rows N] [--runs R] [--warmup ROWS] [--dir PATH] [--variants \(names)]\n".utf8))
        exit(2)
    }
    while let a = args.next() {
        switch a {
        case "--rows": guard let v = args.next().flatMap({ Int($0) }), v > 0 else { usage() }; o.rows = v
        case "--runs": guard let v = args.next().flatMap({ Int($0) }), v > 0 else { usage() }; o.runs = v
        case "--warmup": guard let v = args.next().flatMap({ Int($0) }), v >= 0 else { usage() }; o.warmupRows = v
        case "--dir": guard let v = args.next() else { usage() }; o.dir = URL(fileURLWithPath: v, isDirectory: true)
        case "--variants":
            guard let v = args.next() else { usage() }
            let parsed = v.split(separator: ",").map { Variant(rawValue: String($0)) }
            guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else { usage() }
            o.variants = parsed.map { $0! }
        default: usage()
        }
    }
    return o
}

// MARK: - Schema and deterministic data

let pragmasSQL = "PRAGMA journal_mode=DELETE; PRAGMA synchronous=NORMAL;"

let createSQL = """
    CREATE TABLE measurement (
        measurement_id INTEGER PRIMARY KEY,
        person_id INTEGER,
        measurement_date INTEGER,
        value_as_number REAL,
        unit_source_value TEXT,
        source_system TEXT,
        source_code TEXT,
        visit_occurrence_id INTEGER,
        provider_id INTEGER,
        import_id INTEGER
    )
    """

let insertSQL = """
    INSERT INTO measurement (measurement_id, person_id, measurement_date, value_as_number, \
    unit_source_value, source_system, source_code, visit_occurrence_id, provider_id, import_id) \
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """

// Small arrays of Strings; a mix of small (inline) and heap-allocated (> 15 UTF-8 bytes) strings.
let units: [String] = ["mg/dL", "mmol/L", "g/L", "%", "10*9/L", "mmHg", "kg", "cm"]
let systems: [String] = ["http://loinc.org", "http://snomed.info/sct", "urn:oid:2.16.840.1.113883.6.1"]
let codes: [String] = ["2345-7", "718-7", "4548-4", "2093-3", "8480-6", "29463-7", "8302-2"]

// Row i (0-based) -> values. Kept @inline(__always) so every variant pays the same generation cost.
@inline(__always) func measurementID(_ i: Int) -> Int64 { Int64(i + 1) }
@inline(__always) func personID(_ i: Int) -> Int64 { Int64(i / 20 + 1) }
@inline(__always) func measurementDate(_ i: Int) -> Int64 { 1_577_836_800 + Int64(i % 1826) * 86_400 }
@inline(__always) func valueAsNumber(_ i: Int) -> Double { Double(i % 1000) * 0.125 + 3.5 }
@inline(__always) func unit(_ i: Int) -> String { units[i % units.count] }
@inline(__always) func system(_ i: Int) -> String { systems[i % systems.count] }
@inline(__always) func code(_ i: Int) -> String { codes[(i / 3) % codes.count] }
@inline(__always) func visitID(_ i: Int) -> Int64 { Int64(i / 5 + 1) }
@inline(__always) func providerID(_ i: Int) -> Int64 { Int64(i % 97 + 1) }
let importID: Int64 = 42

// MARK: - Thin raw SQLite wrapper

struct SQLiteError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { "SQLite error \(code): \(message)" }
}

// SQLITE_TRANSIENT is a C macro ((sqlite3_destructor_type)-1) that Swift does not import.
nonisolated(unsafe) let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

final class RawDatabase {
    let handle: OpaquePointer

    init(path: String) throws {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard rc == SQLITE_OK, let db else {
            let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? "open failed"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: msg)
        }
        handle = db
    }

    deinit { sqlite3_close_v2(handle) }

    func error(_ rc: Int32) -> SQLiteError { SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle))) }

    func exec(_ sql: String) throws {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc) }
    }

    func prepare(_ sql: String) throws -> RawStatement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc) }
        return RawStatement(db: self, stmt: stmt)
    }

    /// First column of the first row, as text (untimed helper).
    func scalarText(_ sql: String) throws -> String {
        let s = try prepare(sql)
        guard sqlite3_step(s.stmt) == SQLITE_ROW, let p = sqlite3_column_text(s.stmt, 0) else { return "" }
        return String(cString: p)
    }
}

final class RawStatement {
    let db: RawDatabase
    let stmt: OpaquePointer

    init(db: RawDatabase, stmt: OpaquePointer) { self.db = db; self.stmt = stmt }
    deinit { sqlite3_finalize(stmt) }

    @inline(__always) func bind(_ v: Int64, at i: Int32) { sqlite3_bind_int64(stmt, i, v) }
    @inline(__always) func bind(_ v: Double, at i: Int32) { sqlite3_bind_double(stmt, i, v) }
    @inline(__always) func bind(_ v: String, at i: Int32) {
        var v = v
        v.withUTF8 { buf in
            _ = sqlite3_bind_text(stmt, i, UnsafeRawPointer(buf.baseAddress)?.assumingMemoryBound(to: CChar.self), Int32(buf.count), SQLITE_TRANSIENT)
        }
    }

    /// step (expecting SQLITE_DONE) then reset.
    @inline(__always) func run() throws {
        let rc = sqlite3_step(stmt)
        sqlite3_reset(stmt)
        guard rc == SQLITE_DONE else { throw db.error(rc) }
    }
}

// MARK: - Runs

let clock = ContinuousClock()

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// user+sys CPU seconds consumed by this process so far. Reported next to wall time because the
/// benchmark host is shared: CPU time is much less sensitive to other processes than wall time.
func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)  // Glibc imports RUSAGE_SELF as an enum
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6
        + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) * 1e-6
}

/// Opens `path` with the raw wrapper, applies the pragmas and creates the table (untimed).
func prepareRawDatabase(path: String) throws -> RawDatabase {
    let db = try RawDatabase(path: path)
    try db.exec(pragmasSQL)
    try db.exec(createSQL)
    return db
}

func runRaw(path: String, rows: Int) throws -> Double {
    let db = try prepareRawDatabase(path: path)
    let stmt = try db.prepare(insertSQL)
    let elapsed = try clock.measure {
        try db.exec("BEGIN")
        for i in 0..<rows {
            stmt.bind(measurementID(i), at: 1)
            stmt.bind(personID(i), at: 2)
            stmt.bind(measurementDate(i), at: 3)
            stmt.bind(valueAsNumber(i), at: 4)
            stmt.bind(unit(i), at: 5)
            stmt.bind(system(i), at: 6)
            stmt.bind(code(i), at: 7)
            stmt.bind(visitID(i), at: 8)
            stmt.bind(providerID(i), at: 9)
            stmt.bind(importID, at: 10)
            try stmt.run()
        }
        try db.exec("COMMIT")
    }
    return seconds(elapsed)
}

func makeQueue(path: String) throws -> DatabaseQueue {
    var config = Configuration()
    config.prepareDatabase { db in
        try db.execute(sql: pragmasSQL)
    }
    let queue = try DatabaseQueue(path: path, configuration: config)
    try queue.writeWithoutTransaction { db in try db.execute(sql: createSQL) }
    return queue
}

func runGRDB(path: String, rows: Int, variant: Variant) throws -> Double {
    let queue = try makeQueue(path: path)
    let elapsed = try clock.measure {
        // dbQueue.write wraps the closure in BEGIN DEFERRED ... COMMIT, like the raw variant.
        try queue.write { db in
            switch variant {
            case .grdb:
                let statement = try db.cachedStatement(sql: insertSQL)
                for i in 0..<rows {
                    try statement.execute(arguments: [
                        measurementID(i), personID(i), measurementDate(i), valueAsNumber(i),
                        unit(i), system(i), code(i), visitID(i), providerID(i), importID,
                    ])
                }
            case .grdbUnchecked:
                let statement = try db.cachedStatement(sql: insertSQL)
                for i in 0..<rows {
                    statement.setUncheckedArguments([
                        measurementID(i), personID(i), measurementDate(i), valueAsNumber(i),
                        unit(i), system(i), code(i), visitID(i), providerID(i), importID,
                    ])
                    try statement.execute()
                }
            case .grdbCachedPerRow:
                for i in 0..<rows {
                    let statement = try db.cachedStatement(sql: insertSQL)
                    try statement.execute(arguments: [
                        measurementID(i), personID(i), measurementDate(i), valueAsNumber(i),
                        unit(i), system(i), code(i), visitID(i), providerID(i), importID,
                    ])
                }
            case .raw:
                fatalError("not a GRDB variant")
            }
        }
    }
    return seconds(elapsed)
}

/// Untimed: re-reads the file with the raw wrapper; returns a checksum of the whole table and
/// the effective pragmas of a fresh connection to it.
func checksum(path: String) throws -> String {
    let db = try RawDatabase(path: path)
    return try db.scalarText("""
        SELECT count(*) || '/' || total(value_as_number) || '/' ||
               sum(measurement_id + person_id + measurement_date + visit_occurrence_id + provider_id + import_id) || '/' ||
               sum(length(unit_source_value) + 3 * length(source_system) + 7 * length(source_code))
        FROM measurement
        """)
}

/// Untimed: the effective journal_mode / synchronous of a connection configured like a variant.
func effectivePragmas(variant: Variant, path: String) throws -> String {
    let sql = "SELECT (SELECT journal_mode FROM pragma_journal_mode) || ',synchronous=' || (SELECT synchronous FROM pragma_synchronous)"
    if variant == .raw {
        let db = try prepareRawDatabase(path: path)
        return try db.scalarText(sql)
    } else {
        let queue = try makeQueue(path: path)
        return try queue.read { db in try String.fetchOne(db, sql: sql) ?? "?" }
    }
}

func removeDatabase(_ path: String) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        try? FileManager.default.removeItem(atPath: path + suffix)
    }
}

func fmt(_ x: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", x) }
func grouped(_ x: Double) -> String {
    let n = Int(x.rounded())
    var s = String(n)
    var i = s.count - 3
    while i > 0 { s.insert(",", at: s.index(s.startIndex, offsetBy: i)); i -= 3 }
    return s
}
func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
func lpad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }

// MARK: - Main

let opts = parseOptions()
let tag = "\(ProcessInfo.processInfo.processIdentifier)"
func dbPath(_ name: String) -> String { opts.dir.appendingPathComponent("sqlite-binding-bench-\(tag)-\(name).sqlite").path }

print("sqlite-binding-bench: \(grouped(Double(opts.rows))) rows x \(opts.runs) runs per variant, one transaction per run")
print("SQLite \(String(cString: sqlite3_libversion())) (raw and GRDB link the same system libsqlite3), GRDB 7.10.0")
print("temp dir: \(opts.dir.path), cores: \(ProcessInfo.processInfo.activeProcessorCount)")
for v in opts.variants {
    let p = dbPath("pragma-\(v.rawValue)")
    removeDatabase(p)
    print("  \(pad(v.rawValue, 20)) effective pragmas: \(try effectivePragmas(variant: v, path: p))")
    removeDatabase(p)
}

// Untimed warm-up of every variant (first-touch page faults, malloc growth, GRDB lazy setup), so
// that whichever variant is measured first is not penalised.
if opts.warmupRows > 0 {
    for v in opts.variants {
        let path = dbPath("warmup-\(v.rawValue)")
        removeDatabase(path)
        _ = try v == .raw ? runRaw(path: path, rows: opts.warmupRows) : runGRDB(path: path, rows: opts.warmupRows, variant: v)
        removeDatabase(path)
    }
    print("warm-up: \(grouped(Double(opts.warmupRows))) rows per variant (untimed)")
}

var times: [Variant: [Double]] = [:]
var cpuTimes: [Variant: [Double]] = [:]
var checksums: [Variant: Set<String>] = [:]
for round in 0..<opts.runs {
    // Rotate the order every round so no variant always runs first (cold caches) or last.
    let order = opts.variants.indices.map { opts.variants[($0 + round) % opts.variants.count] }
    for v in order {
        let path = dbPath(v.rawValue)
        removeDatabase(path)
        let cpu0 = cpuSeconds()
        let t = try v == .raw ? runRaw(path: path, rows: opts.rows) : runGRDB(path: path, rows: opts.rows, variant: v)
        let cpu = cpuSeconds() - cpu0  // includes the untimed open + CREATE TABLE (negligible)
        let sum = try checksum(path: path)
        removeDatabase(path)
        times[v, default: []].append(t)
        cpuTimes[v, default: []].append(cpu)
        checksums[v, default: []].insert(sum)
        print("  run \(round + 1)  \(pad(v.rawValue, 20)) \(fmt(t, 3)) s  \(lpad(grouped(Double(opts.rows) / t), 11)) rows/s  cpu \(fmt(cpu, 3)) s  checksum \(sum)")
    }
}

let allSums = Set(checksums.values.flatMap { $0 })
guard allSums.count == 1 else {
    print("ERROR: variants wrote different data: \(checksums)")
    exit(1)
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

print("")
print("median of \(opts.runs) runs (release build), \(grouped(Double(opts.rows))) rows, all variants wrote identical data")
print("\(pad("variant", 42)) \(lpad("median s", 9)) \(lpad("rows/s", 11)) \(lpad("min s", 7)) \(lpad("max s", 7)) \(lpad("vs raw", 7)) \(lpad("cpu s", 7)) \(lpad("cpu vs raw", 10))")
let rawMedian = times[.raw].map(median)
let rawCPUMedian = cpuTimes[.raw].map(median)
for v in opts.variants {
    let ts = times[v]!
    let m = median(ts)
    let ratio = rawMedian.map { "x" + fmt(m / $0, 2) } ?? "-"
    let c = median(cpuTimes[v]!)
    let cpuRatio = rawCPUMedian.map { "x" + fmt(c / $0, 2) } ?? "-"
    print("\(pad(v.label, 42)) \(lpad(fmt(m, 3), 9)) \(lpad(grouped(Double(opts.rows) / m), 11)) \(lpad(fmt(ts.min()!, 3), 7)) \(lpad(fmt(ts.max()!, 3), 7)) \(lpad(ratio, 7)) \(lpad(fmt(c, 3), 7)) \(lpad(cpuRatio, 10))")
}
if let rawMedian {
    print("")
    for v in opts.variants where v != .raw {
        print("ratio \(v.rawValue)/raw: wall \(fmt(median(times[v]!) / rawMedian, 2)), cpu \(fmt(median(cpuTimes[v]!) / rawCPUMedian!, 2))")
    }
}
