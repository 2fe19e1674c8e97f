import StratumStore

/// What a statement returns to a front end.
public enum StatementResult: Sendable {
    case cohort(CohortSummary)
    case table(ResultTable)
    case explain(Explanation)
    case text(String)
    case warnings(String)
}

public struct CohortSummary: Sendable {
    public var name: String
    public var title: String?
    public var definitionID: Int64
    public var persons: Int
    public var eras: Int
    public var milliseconds: Double
    public var attrition: [CohortRun.AttritionRow] = []

    public var line: String {
        "cohort \(name): \(persons) person\(persons == 1 ? "" : "s"), \(eras) era\(eras == 1 ? "" : "s") (definition \(definitionID), \(String(format: "%.0f", milliseconds)) ms)"
    }

    public var attritionTable: ResultTable {
        ResultTable(title: "attrition of \(name)", columns: ["step", "rule", "persons", "events"],
                    rows: attrition.enumerated().map { [.integer(Int64($0.offset)), .text($0.element.rule),
                                                        .integer(Int64($0.element.persons)), .integer(Int64($0.element.events))] })
    }
}

/// The record of one cohort run: its plan and how long each step took.
public struct CohortRun: Sendable {
    public struct StepTiming: Sendable { public var label: String; public var milliseconds: Double; public var rows: Int? }
    public struct AttritionRow: Sendable { public var rule: String; public var events: Int; public var persons: Int }
    public var cohort: BoundCohort
    public var plan: CohortPlan
    public var summary: CohortSummary
    public var timings: [StepTiming]

    /// Text that stays inside a `--` comment: labels are often script text (an unnamed rule's
    /// criterion, an inline value set) and values can hold line breaks, which would end the
    /// comment and show the rest as SQL.
    static func comment(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": out += "\\u{\(String(c.value, radix: 16))}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    public func explanation(dialect: any SQLDialect) -> Explanation {
        let statements = (plan.setup + plan.steps).filter { if case .dropTable = $0.statement { return false }; return true }
        let sql = statements.map { step -> String in
            let rendered = SQLRenderer.render(step.statement, dialect: dialect)
            let params = rendered.parameters.isEmpty ? "" : "\n-- parameters: " + rendered.parameters.map { p -> String in
                if case .text(let s) = p { return "'" + CohortRun.comment(s.replacingOccurrences(of: "'", with: "''")) + "'" }
                return p.description
            }.joined(separator: ", ")
            return "-- \(CohortRun.comment(step.label))\n\(rendered.sql);\(params)"
        }.joined(separator: "\n\n")
        let timing = ResultTable(title: "timing of \(cohort.name)", columns: ["step", "rows", "ms"],
                                 rows: timings.map { [.text($0.label), $0.rows.map { .integer(Int64($0)) } ?? .null, .real(($0.milliseconds * 10).rounded() / 10)] })
        return Explanation(cohort: cohort.name, sql: sql, attrition: summary.attritionTable, timing: timing, summary: summary)
    }
}

public struct Explanation: Sendable {
    public var cohort: String
    public var sql: String
    public var attrition: ResultTable
    public var timing: ResultTable
    public var summary: CohortSummary
}
