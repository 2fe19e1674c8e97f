import StratumStore

/// How a database spells the parts of SQL that differ between engines. The parser and the
/// binder know nothing of this; adding PostgreSQL means adding one more conformance.
public protocol SQLDialect: Sendable {
    var name: String { get }
    /// The placeholder for the n-th (1-based) parameter.
    func placeholder(_ index: Int) -> String
    /// The value sent for a parameter (SQLite sends dates as day numbers).
    func value(_ param: SQLParam) -> SQLValue
    func addDays(_ date: String, _ days: String) -> String
    /// Age in whole years, as a template over `{birth}`, `{yob}` and `{at}`; each placeholder is
    /// rendered where it appears, so bound parameters stay in text order.
    var ageYearsTemplate: String { get }
    /// The calendar year of a date, as a template over `{date}`.
    var yearOfTemplate: String { get }
    func function(_ function: SQLFunction) -> String
    func bool(_ value: Bool) -> String
    func createTemp(_ name: String, as select: String) -> String
    func createTempTable(_ name: String, columns: [(String, String)]) -> String
    func dropTable(_ name: String) -> String
    /// `INSERT INTO` or its duplicate-skipping form (`INSERT OR IGNORE INTO` in SQLite,
    /// `INSERT INTO … ON CONFLICT DO NOTHING` in PostgreSQL).
    /// The keyword of a join (`SQLJoin.Kind.ordered` is SQLite's CROSS JOIN).
    func joinKeyword(_ kind: SQLJoin.Kind) -> String
    func insertPrefix(orIgnore: Bool) -> String
    func insertSuffix(orIgnore: Bool) -> String
}

/// SQLite: dates are INTEGER days, so date arithmetic is integer arithmetic.
public struct SQLiteDialect: SQLDialect {
    public func joinKeyword(_ kind: SQLJoin.Kind) -> String { kind.rawValue }
    public init() {}
    public var name: String { "sqlite" }
    public func placeholder(_ index: Int) -> String { "?" }
    public func value(_ param: SQLParam) -> SQLValue {
        switch param {
        case .integer(let v): return .integer(v)
        case .real(let v): return .real(v)
        case .text(let v): return .text(v)
        case .date(let d): return .integer(Int64(d))
        case .null: return .null
        }
    }
    public func addDays(_ date: String, _ days: String) -> String { "(\(date) + \(days))" }
    private func strftime(_ format: String, _ days: String) -> String { "strftime('\(format)', (\(days)) * 86400, 'unixepoch')" }
    // Whole years from the birth date; without one, the OHDSI convention (year difference).
    public var ageYearsTemplate: String {
        "(CASE WHEN {birth} IS NOT NULL THEN CAST(\(strftime("%Y", "{at}")) AS INTEGER) - CAST(\(strftime("%Y", "{birth}")) AS INTEGER)"
            + " - (\(strftime("%m%d", "{at}")) < \(strftime("%m%d", "{birth}")))"
            + " ELSE CAST(\(strftime("%Y", "{at}")) AS INTEGER) - {yob} END)"
    }
    public var yearOfTemplate: String { "CAST(\(strftime("%Y", "{date}")) AS INTEGER)" }
    public func function(_ function: SQLFunction) -> String {
        switch function {
        case .least: return "min"
        case .greatest: return "max"
        default: return function.rawValue
        }
    }
    public func bool(_ value: Bool) -> String { value ? "1" : "0" }
    public func createTemp(_ name: String, as select: String) -> String { "CREATE TEMP TABLE \(name) AS \(select)" }
    public func createTempTable(_ name: String, columns: [(String, String)]) -> String {
        "CREATE TEMP TABLE \(name) (" + columns.map { $0.0.isEmpty ? $0.1 : "\($0.0) \($0.1)" }.joined(separator: ", ") + ")"
    }
    public func dropTable(_ name: String) -> String { "DROP TABLE IF EXISTS temp.\(name)" }
    public func insertPrefix(orIgnore: Bool) -> String { orIgnore ? "INSERT OR IGNORE INTO" : "INSERT INTO" }
    public func insertSuffix(orIgnore: Bool) -> String { "" }
}
