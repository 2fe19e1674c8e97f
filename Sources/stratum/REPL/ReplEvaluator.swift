import Foundation
import Stratum

/// What the REPL and the notebook protocol share: one long-lived session, input that may span
/// several lines, meta commands (`:help`, `:explain` …) and completion. Front ends only read
/// lines and show results.
final class ReplEvaluator {
    let session: Session
    var format: ResultFormat = .table
    var timing = false
    private var inputCounter = 0

    init(session: Session) { self.session = session }

    /// Words completion offers besides the session's names.
    static let keywords: [String] = Array(Set(Parser.statementKeywords).union(Parser.clauseKeywords).union([
        "condition", "drug", "measurement", "procedure", "observation", "visit", "death", "cohort",
        "first", "last", "all", "ever", "lowest", "highest", "during", "within", "before", "after", "around", "between",
        "from", "to", "on", "value", "age", "sex", "female", "male", "any", "of", "least", "most", "exactly", "no", "not",
        "by", "with", "limit", "days", "weeks", "months", "years", "band", "provider", "care", "site", "year", "observation",
        "same", "distinct", "where", "members", "everyone", "continuous", "gap", "offset", "pad", "union", "intersect", "minus",
        "descendants", "load", "period", "starting", "ending", "exclusive",
        "device", "order", "overlapping", "missing", "status", "intent", "category", "numerator", "denominator", "exclusion",
        "exception", "population", "initial", "evidence", "improvement",
    ])).sorted()

    static let metaCommands = [":help", ":explain", ":timing", ":format", ":schema", ":load", ":cohorts", ":valuesets", ":quit"]

    /// Whether `buffer` is an unfinished statement: an open group or a missing value, or a cohort
    /// whose clauses may continue on the next line (a blank line ends it).
    static func needsMore(_ buffer: String, lastLine: String) -> Bool {
        if buffer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return false }
        if lastLine.trimmingCharacters(in: .whitespaces).isEmpty { return Parser.needsMoreInput(buffer) }
        if Parser.needsMoreInput(buffer) { return true }
        // A cohort definition goes on until a blank line, so its clauses can follow one per line.
        let (tokens, _) = Lexer.tokenize(SourceFile(name: "<input>", text: buffer))
        var lastStatement: String?
        var atLineStart = true
        for token in tokens {
            if token.kind == .newline { atLineStart = true; continue }
            if let word = token.identifier?.lowercased(), Parser.statementKeywords.contains(word), atLineStart || lastStatement == nil {
                lastStatement = word
            }
            atLineStart = false
        }
        if lastStatement == "cohort" {
            return !isAlgebra(buffer)
        }
        return false
    }

    private static func isAlgebra(_ buffer: String) -> Bool {
        buffer.range(of: #"cohort\s+\w+\s*(\"[^\"]*\"\s*)?="#, options: .regularExpression) != nil
    }

    /// Completion candidates for the word before the cursor.
    func complete(word: String, line: String) -> [String] {
        if line.trimmingCharacters(in: .whitespaces).hasPrefix(":") && !line.contains(" ") {
            return ReplEvaluator.metaCommands.filter { $0.hasPrefix(line.trimmingCharacters(in: .whitespaces)) }
                .map { String($0.dropFirst(line.trimmingCharacters(in: .whitespaces).count - word.count)) }
        }
        let lower = word.lowercased()
        let names = Set(session.environment.allNames + ReplEvaluator.keywords)
        return names.filter { $0.lowercased().hasPrefix(lower) }.sorted()
    }

    enum Outcome {
        case results([StatementResult], milliseconds: Double)
        case failure(message: String, rendered: String, diagnostics: [[String: Any]])
        case quit
    }

    /// Runs one complete input (statements, or one meta command).
    func evaluate(_ text: String, name: String? = nil) -> Outcome {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix(":") { return meta(trimmed) }
        inputCounter += 1
        let source = SourceFile(name: name ?? "input\(inputCounter)", text: text)
        let started = Date()
        do {
            let results = try session.run(source)
            return .results(results, milliseconds: Date().timeIntervalSince(started) * 1000)
        } catch let error as QueryError {
            let renderer = DiagnosticRenderer(sources: error.sources)
            let diagnostics = DiagnosticRenderer.sorted(error.diagnostics).map { d -> [String: Any] in
                var out: [String: Any] = ["severity": d.severity.rawValue, "message": d.text]
                if let (line, column) = renderer.location(d) { out["line"] = line; out["column"] = column }
                if let file = d.file { out["file"] = file }
                if !d.notes.isEmpty { out["notes"] = d.notes }
                return out
            }
            let first = DiagnosticRenderer.sorted(error.diagnostics).first { $0.severity == .error }?.text ?? "error"
            return .failure(message: first, rendered: error.description, diagnostics: diagnostics)
        } catch let error as ExecutionError {
            return .failure(message: error.message, rendered: error.message, diagnostics: [])
        } catch {
            return .failure(message: "\(error)", rendered: "\(error)", diagnostics: [])
        }
    }

    static let help = """
        Statements (see docs/LANGUAGE.md):
          valueset NAME = snomed:44054006, icd10cm:E11.*, load "file.json"
          param period = 2024-01-01 .. 2024-12-31
          let recent = measurement in HbA1c within 365 days before entry
          cohort NAME ["title"]            clauses follow, one per line; a blank line ends the cohort
            entry first condition in Diabetes
            require age at entry >= 18
            rule "name" any of ( ... )      exclude "name" ...     exit ...     collapse pad 30 days
          count NAME by sex, age band 10
          list NAME with age, sex, last measurement in HbA1c during period as hba1c limit 20
          explain NAME
        Commands:
          :help                 this text
          :explain NAME         generated SQL, attrition per rule and timing of a cohort
          :timing on|off        show how long each input took
          :format table|csv|json
          :schema [TABLE]       the store's tables, or one table's columns
          :load FILE            run a script file in this session
          :cohorts              cohorts known to the session and the store
          :valuesets            value sets defined in this session
          :quit                 leave (Ctrl-D works too)
        Editing: arrows and history (saved in ~/.stratum_history), TAB completes keywords and names,
        Ctrl-C abandons the current input. An error never ends the session.
        """

    func meta(_ command: String) -> Outcome {
        let parts = command.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let name = parts[0].lowercased()
        let argument = parts.dropFirst().joined(separator: " ")
        func text(_ t: String) -> Outcome { .results([.text(t)], milliseconds: 0) }
        switch name {
        case ":help", ":h", ":?": return text(ReplEvaluator.help)
        case ":quit", ":q", ":exit": return .quit
        case ":timing":
            switch argument.lowercased() {
            case "on": timing = true
            case "off": timing = false
            case "": timing.toggle()
            default: return .failure(message: ":timing takes on or off", rendered: ":timing takes on or off", diagnostics: [])
            }
            return text("timing is \(timing ? "on" : "off")")
        case ":format":
            guard let f = ResultFormat(rawValue: argument.lowercased()) else {
                let m = ":format takes one of: " + ResultFormat.allCases.map(\.rawValue).joined(separator: ", ")
                return .failure(message: m, rendered: m, diagnostics: [])
            }
            format = f
            return text("format is \(f.rawValue)")
        case ":explain":
            guard !argument.isEmpty else { return .failure(message: ":explain needs a cohort name", rendered: ":explain needs a cohort name", diagnostics: []) }
            return evaluate("explain \(argument)")
        case ":load":
            guard !argument.isEmpty else { return .failure(message: ":load needs a file", rendered: ":load needs a file", diagnostics: []) }
            guard let data = FileManager.default.contents(atPath: argument), let script = String(data: data, encoding: .utf8) else {
                return .failure(message: "cannot read \(argument)", rendered: "cannot read \(argument)", diagnostics: [])
            }
            return evaluate(script, name: argument)
        case ":cohorts":
            let rows = session.environment.cohortNames.map { [SQLValue.text($0)] }
            return .results([.table(ResultTable(title: "cohorts", columns: ["cohort"], rows: rows))], milliseconds: 0)
        case ":valuesets":
            let rows = session.environment.valueSets.values.sorted { $0.name < $1.name }.map { entry -> [SQLValue] in
                let v = entry.value
                return [.text(entry.name), .integer(Int64(v.codes.count)), .integer(Int64(v.prefixes.count)), .integer(Int64(v.descendantsOf.count + v.conceptIDs.count))]
            }
            return .results([.table(ResultTable(title: "value sets", columns: ["value set", "codes", "patterns", "concepts"], rows: rows))], milliseconds: 0)
        case ":schema":
            do {
                if argument.isEmpty {
                    let rows = try session.store.db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                    var out: [[SQLValue]] = []
                    for row in rows {
                        let table = row[0].text ?? ""
                        let count = try session.store.db.scalar("SELECT count(*) FROM \"\(table.replacingOccurrences(of: "\"", with: "\"\""))\"")
                        out.append([.text(table), count])
                    }
                    return .results([.table(ResultTable(title: "tables", columns: ["table", "rows"], rows: out))], milliseconds: 0)
                }
                guard let schema = CDMSchema.table(named: argument.lowercased()) else {
                    let m = "no table '\(argument)'"
                    return .failure(message: m, rendered: m, diagnostics: [])
                }
                let rows = schema.columns.map { [SQLValue.text($0.name), .text(String(describing: $0.type))] }
                return .results([.table(ResultTable(title: schema.name, columns: ["column", "type"], rows: rows))], milliseconds: 0)
            } catch {
                return .failure(message: "\(error)", rendered: "\(error)", diagnostics: [])
            }
        default:
            var m = "unknown command \(name)"
            if let s = Suggestions.closest(to: name, among: ReplEvaluator.metaCommands) { m += " (did you mean \(s)?)" }
            m += "; :help lists the commands"
            return .failure(message: m, rendered: m, diagnostics: [])
        }
    }

    /// Text for a terminal (or a pipe) in the current format.
    func render(_ result: StatementResult, width: Int?) -> String {
        switch result {
        case .table(let t): return ResultRenderer.render(t, as: format, maxWidth: width)
        case .cohort(let s): return s.line + "\n"
        case .explain(let e):
            return e.sql + "\n\n" + ResultRenderer.render(e.attrition, as: format, maxWidth: width)
                + ResultRenderer.render(e.timing, as: format, maxWidth: width)
        case .text(let t): return t + "\n"
        case .warnings(let w): return w + "\n"
        }
    }
}
