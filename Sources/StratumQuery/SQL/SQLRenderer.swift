import StratumStore

/// Renders the typed tree to SQL text for one dialect, collecting parameters in order.
public struct SQLRenderer {
    public let dialect: any SQLDialect
    private var parameters: [SQLValue] = []
    /// Indentation makes `explain` output readable; it costs nothing at run time.
    private var pretty: Bool

    public init(dialect: any SQLDialect, pretty: Bool = true) {
        self.dialect = dialect
        self.pretty = pretty
    }

    public static func render(_ statement: SQLStatement, dialect: any SQLDialect) -> RenderedSQL {
        var renderer = SQLRenderer(dialect: dialect)
        let sql = renderer.statement(statement)
        return RenderedSQL(sql: sql, parameters: renderer.parameters)
    }

    mutating func statement(_ statement: SQLStatement) -> String {
        switch statement {
        case .select(let s): return select(s, indent: 0)
        case .createTemp(let name, let s): return dialect.createTemp(name, as: "\n" + select(s, indent: 1))
        case .createTempTable(let name, let columns): return dialect.createTempTable(name, columns: columns)
        case .createIndex(let name, let table, let columns):
            return "CREATE INDEX \(name) ON \(table) (\(columns.joined(separator: ", ")))"
        case .insert(let table, let columns, let s, let orIgnore):
            return dialect.insertPrefix(orIgnore: orIgnore) + " \(table) (\(columns.joined(separator: ", ")))\n" + select(s, indent: 0)
                + dialect.insertSuffix(orIgnore: orIgnore)
        case .insertValues(let table, let columns, let rows, let orIgnore):
            let values = rows.map { "(" + $0.map { expr($0) }.joined(separator: ", ") + ")" }.joined(separator: ", ")
            return dialect.insertPrefix(orIgnore: orIgnore) + " \(table) (\(columns.joined(separator: ", "))) VALUES \(values)"
                + dialect.insertSuffix(orIgnore: orIgnore)
        case .delete(let table, let filter):
            return "DELETE FROM \(table)" + (filter.map { " WHERE " + expr($0) } ?? "")
        case .dropTable(let name): return dialect.dropTable(name)
        }
    }

    private func newline(_ indent: Int) -> String { pretty ? "\n" + String(repeating: "  ", count: indent) : " " }

    mutating func select(_ s: SQLSelect, indent: Int) -> String {
        var out = ""
        if !s.ctes.isEmpty {
            out += "WITH " + s.ctes.map { "\($0.name) AS (" + newline(indent + 1) + select($0.select, indent: indent + 1) + ")" }
                .joined(separator: "," + newline(indent)) + newline(indent)
        }
        out += "SELECT " + (s.distinct ? "DISTINCT " : "")
        out += s.columns.map { c in expr(c.expr) + (c.alias.map { " AS \($0)" } ?? "") }.joined(separator: ", ")
        if let from = s.from { out += newline(indent) + "FROM " + source(from, indent: indent) }
        for join in s.joins {
            out += newline(indent) + dialect.joinKeyword(join.kind) + " " + source(join.source, indent: indent) + " ON " + expr(join.on)
        }
        if let filter = s.filter { out += newline(indent) + "WHERE " + expr(filter) }
        if !s.groupBy.isEmpty { out += newline(indent) + "GROUP BY " + s.groupBy.map { expr($0) }.joined(separator: ", ") }
        if let having = s.having { out += newline(indent) + "HAVING " + expr(having) }
        for part in s.compound {
            out += newline(indent) + part.op.rawValue + newline(indent) + select(part.select, indent: indent)
        }
        if !s.orderBy.isEmpty { out += newline(indent) + "ORDER BY " + order(s.orderBy) }
        if let limit = s.limit { out += newline(indent) + "LIMIT " + expr(limit) }
        return out
    }

    mutating func source(_ from: SQLFrom, indent: Int) -> String {
        switch from {
        case .table(let name, let alias): return name == alias ? name : "\(name) \(alias)"
        case .subquery(let s, let alias): return "(" + newline(indent + 1) + select(s, indent: indent + 1) + ") \(alias)"
        }
    }

    mutating func order(_ items: [SQLOrder]) -> String {
        items.map { expr($0.expr) + ($0.descending ? " DESC" : "") }.joined(separator: ", ")
    }

    mutating func expr(_ e: SQLExpr) -> String {
        switch e {
        case .column(let table, let name): return table.map { "\($0).\(name)" } ?? name
        case .param(let p):
            parameters.append(dialect.value(p))
            return dialect.placeholder(parameters.count)
        case .star: return "*"
        case .bool(let b): return dialect.bool(b)
        case .binary(let l, let op, let r): return "(\(expr(l)) \(op.rawValue) \(expr(r)))"
        case .not(let inner): return "NOT \(expr(inner))"
        case .isNull(let inner, let negated): return "\(expr(inner)) IS \(negated ? "NOT " : "")NULL"
        case .call(let f, let args): return dialect.function(f) + "(" + args.map { expr($0) }.joined(separator: ", ") + ")"
        case .aggregate(let a, let arg, let distinct):
            return a.rawValue.uppercased() + "(" + (distinct ? "DISTINCT " : "") + expr(arg) + ")"
        case .exists(let s): return "EXISTS (" + select(s, indent: 2) + ")"
        case .subquery(let s): return "(" + select(s, indent: 2) + ")"
        case .inSelect(let lhs, let s, let negated):
            let left = lhs.count == 1 ? expr(lhs[0]) : "(" + lhs.map { expr($0) }.joined(separator: ", ") + ")"
            return left + (negated ? " NOT IN (" : " IN (") + select(s, indent: 2) + ")"
        case .inList(let lhs, let items):
            return expr(lhs) + " IN (" + items.map { expr($0) }.joined(separator: ", ") + ")"
        case .caseWhen(let branches, let otherwise):
            var out = "CASE"
            for (condition, value) in branches { out += " WHEN \(expr(condition)) THEN \(expr(value))" }
            if let otherwise { out += " ELSE \(expr(otherwise))" }
            return out + " END"
        case .window(let function, let partition, let orderBy, let frame):
            let head: String
            switch function {
            case .rowNumber: head = "ROW_NUMBER()"
            case .aggregate(let a, let arg): head = a.rawValue.uppercased() + "(" + expr(arg) + ")"
            }
            var over = ""
            if !partition.isEmpty { over += "PARTITION BY " + partition.map { expr($0) }.joined(separator: ", ") }
            if !orderBy.isEmpty { over += (over.isEmpty ? "" : " ") + "ORDER BY " + order(orderBy) }
            if let frame { over += " " + frame.rawValue }
            return "\(head) OVER (\(over))"
        case .addDays(let date, let days): return dialect.addDays(expr(date), expr(days))
        case .ageYears(let birth, let yob, let at):
            return template(dialect.ageYearsTemplate, ["birth": birth, "yob": yob, "at": at])
        case .yearOf(let date): return template(dialect.yearOfTemplate, ["date": date])
        case .normalizedUnit(let unit):
            var text = "lower(\(expr(unit)))"
            for c in ["[", "]", "{", "}", "_", " "] { text = "replace(\(text), '\(c)', '')" }
            return text
        }
    }

    /// Expands `{name}` placeholders left to right, rendering the argument at each use so that
    /// a parameter used twice is bound twice, in order.
    private mutating func template(_ text: String, _ arguments: [String: SQLExpr]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let key = String(rest[rest.index(after: open)..<close])
            if let argument = arguments[key] { out += expr(argument) } else { out += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
