import StratumStore

/// SQL as a typed tree. Values only ever appear as `.param`, rendered as bound parameters;
/// identifiers only come from the engine (table and column names it owns, temp tables it
/// names), never from script text. Dialects decide spelling (`SQLDialect`).
public indirect enum SQLExpr: Sendable {
    case column(String?, String)
    case param(SQLParam)
    case star
    case bool(Bool)
    case binary(SQLExpr, SQLOp, SQLExpr)
    case not(SQLExpr)
    case isNull(SQLExpr, negated: Bool)
    case call(SQLFunction, [SQLExpr])
    case aggregate(SQLAggregate, SQLExpr, distinct: Bool)
    case exists(SQLSelect)
    case subquery(SQLSelect)
    case inSelect([SQLExpr], SQLSelect, negated: Bool)
    case inList(SQLExpr, [SQLExpr])
    case caseWhen([(SQLExpr, SQLExpr)], otherwise: SQLExpr?)
    case window(SQLWindowFunction, partitionBy: [SQLExpr], orderBy: [SQLOrder], frame: SQLFrame?)
    /// A date (days) plus a number of days; dialects spell date arithmetic differently.
    case addDays(SQLExpr, SQLExpr)
    /// Whole years from a birth date to a date, the way people count age.
    case ageYears(birthDate: SQLExpr, yearOfBirth: SQLExpr, at: SQLExpr)
    case yearOf(SQLExpr)
    /// Lower-cased unit text without UCUM decorations (see `Units.normalize`).
    case normalizedUnit(SQLExpr)

    public static func col(_ table: String, _ name: String) -> SQLExpr { .column(table, name) }
    public static func int(_ v: Int) -> SQLExpr { .param(.integer(Int64(v))) }
    public static func text(_ v: String) -> SQLExpr { .param(.text(v)) }
    public static func real(_ v: Double) -> SQLExpr { .param(.real(v)) }
    public static func date(_ days: Int) -> SQLExpr { .param(.date(days)) }

    public static func && (l: SQLExpr, r: SQLExpr) -> SQLExpr { .binary(l, .and, r) }
    public static func || (l: SQLExpr, r: SQLExpr) -> SQLExpr { .binary(l, .or, r) }
    public static func == (l: SQLExpr, r: SQLExpr) -> SQLExpr { .binary(l, .eq, r) }
    public static func <= (l: SQLExpr, r: SQLExpr) -> SQLExpr { .binary(l, .le, r) }
    public static func >= (l: SQLExpr, r: SQLExpr) -> SQLExpr { .binary(l, .ge, r) }
    public static func < (l: SQLExpr, r: SQLExpr) -> SQLExpr { .binary(l, .lt, r) }
    public static func > (l: SQLExpr, r: SQLExpr) -> SQLExpr { .binary(l, .gt, r) }

    /// AND of several conditions; TRUE when empty.
    public static func all(_ parts: [SQLExpr]) -> SQLExpr { chain(parts, .and, empty: .bool(true)) }
    public static func any(_ parts: [SQLExpr]) -> SQLExpr { chain(parts, .or, empty: .bool(false)) }

    /// Parts joined left to right, ((a op b) op c) …; a long list is split in halves, since each
    /// link nests one parenthesis deeper and SQLite's parser stops at about 60 ('parser stack
    /// overflow'). Lists of up to 16 keep the left-to-right shape.
    public static func chain(_ parts: [SQLExpr], _ op: SQLOp, empty: SQLExpr) -> SQLExpr {
        guard var out = parts.first else { return empty }
        if parts.count > 16 {
            let middle = parts.count / 2
            return .binary(chain(Array(parts[..<middle]), op, empty: empty), op, chain(Array(parts[middle...]), op, empty: empty))
        }
        for p in parts.dropFirst() { out = .binary(out, op, p) }
        return out
    }
}

/// A bound value. Dates are days since 1970-01-01; a dialect may send them as DATE values.
public enum SQLParam: Sendable, Equatable {
    case integer(Int64), real(Double), text(String), date(Int), null
}

public enum SQLOp: String, Sendable {
    case and = "AND", or = "OR", eq = "=", ne = "<>", lt = "<", le = "<=", gt = ">", ge = ">="
    case plus = "+", minus = "-", times = "*", divide = "/"
}

public enum SQLFunction: String, Sendable {
    case coalesce, least, greatest, abs, floor, lower, nullif
}

public enum SQLAggregate: String, Sendable { case count, min, max, sum, avg }

/// The window frames the compiler uses (era building needs the rows before the current one).
public enum SQLFrame: String, Sendable {
    case precedingRows = "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING"
    case runningRows = "ROWS UNBOUNDED PRECEDING"
}

public enum SQLWindowFunction: Sendable {
    case rowNumber
    case aggregate(SQLAggregate, SQLExpr)
}

public struct SQLOrder: Sendable {
    public var expr: SQLExpr
    public var descending: Bool
    public init(_ expr: SQLExpr, descending: Bool = false) { self.expr = expr; self.descending = descending }
}

public indirect enum SQLFrom: Sendable {
    case table(String, alias: String)
    case subquery(SQLSelect, alias: String)
}

public struct SQLJoin: Sendable {
    public enum Kind: String, Sendable {
        case inner = "JOIN", left = "LEFT JOIN"
        /// An inner join whose left side drives the loop: for a few persons' events among many,
        /// probing each person's rows beats scanning every event with the codes. SQLite keeps
        /// the order of a CROSS JOIN; a dialect without that rule renders a plain JOIN.
        case ordered = "CROSS JOIN"
    }
    public var kind: Kind
    public var source: SQLFrom
    public var on: SQLExpr
}

public struct SQLSelect: Sendable {
    public var ctes: [(name: String, select: SQLSelect)] = []
    public var distinct = false
    public var columns: [(expr: SQLExpr, alias: String?)]
    public var from: SQLFrom?
    public var joins: [SQLJoin] = []
    public var filter: SQLExpr?
    public var groupBy: [SQLExpr] = []
    public var having: SQLExpr?
    public var orderBy: [SQLOrder] = []
    public var limit: SQLExpr?
    /// `UNION ALL` / `UNION` / `EXCEPT` / `INTERSECT` with more selects.
    public var compound: [(op: SQLSetOp, select: SQLSelect)] = []

    public init(columns: [(expr: SQLExpr, alias: String?)], from: SQLFrom?, filter: SQLExpr? = nil) {
        self.columns = columns
        self.from = from
        self.filter = filter
    }
}

public enum SQLSetOp: String, Sendable { case unionAll = "UNION ALL", union = "UNION", except = "EXCEPT", intersect = "INTERSECT" }

/// A statement the engine runs. Temp tables hold the steps of a cohort so `explain` can time
/// and count each one.
public indirect enum SQLStatement: Sendable {
    case select(SQLSelect)
    case createTemp(String, SQLSelect)
    case createTempTable(String, columns: [(String, String)])
    case createIndex(String, table: String, columns: [String])
    case insert(String, columns: [String], SQLSelect, orIgnore: Bool = false)
    case insertValues(String, columns: [String], rows: [[SQLExpr]], orIgnore: Bool = false)
    case delete(String, filter: SQLExpr?)
    case dropTable(String)
}

/// SQL text with its parameters in order.
public struct RenderedSQL: Sendable, Equatable {
    public var sql: String
    public var parameters: [SQLValue]
}
