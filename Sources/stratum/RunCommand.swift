import ArgumentParser
import Foundation
import Stratum

/// `stratum run`: runs cohort scripts against a store.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run cohort scripts: define cohorts into the store and print counts, lists and explanations.",
        discussion: """
            Scripts run in order in one session, so a later script can use the value sets, \
            parameters and cohorts of an earlier one. Nothing runs if any script has an error: \
            every error is reported with file:line:col and the command exits 3. Cohorts are \
            written to the store's `cohort` table (one definition id per cohort name).

            Examples:
              stratum run Cohorts/type2_diabetes.stratum --db pop.sqlite
              stratum run Cohorts/poor_glycemic_control.stratum --db pop.sqlite --param period=2024 --format csv --out poor.csv

            The language is described in docs/LANGUAGE.md.
            """)

    @Argument(help: ArgumentHelp("Script files (.stratum) to run, in order.", valueName: "SCRIPT"))
    var scripts: [String]

    @Option(name: .long, help: ArgumentHelp("The Stratum store (a SQLite file).", valueName: "FILE"))
    var db: String

    @OptionGroup var script: ScriptOptions

    @Option(name: .long, help: ArgumentHelp("Output format for results: table, csv or json.", valueName: "FORMAT"))
    var format: ResultFormat = .table

    @Option(name: .long, help: ArgumentHelp("Write results to this file (atomically) instead of stdout.", valueName: "FILE"))
    var out: String?

    @Flag(name: [.short, .long], help: "Print only results (no cohort summary lines).")
    var quiet = false

    func validate() throws {
        if scripts.isEmpty { throw ValidationError("give at least one script to run") }
    }

    func run() throws {
        let sources = try scripts.map(ScriptFile.read)
        guard FileManager.default.fileExists(atPath: db) else {
            throw CLIError(message: "no store at \(db) (create one with 'stratum import ARCHIVE --db \(db)')", exitCode: ExitStatus.data)
        }
        let store: Store
        do { store = try Store(path: db) } catch {
            throw CLIError(message: "cannot open store \(db): \(error)", exitCode: ExitStatus.failure)
        }
        let session = try script.session(store: store)
        let output = ResultOutput(format: format, quiet: quiet, toFile: out != nil)
        do {
            for source in sources {
                session.sourceFile = source.name
                try session.run(source) { output.add($0) }
            }
        } catch let error as QueryError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            let count = error.diagnostics.filter { $0.severity == .error }.count
            throw CLIError(message: "\(count) error\(count == 1 ? "" : "s"); nothing was run", exitCode: ExitStatus.data)
        } catch let error as ExecutionError {
            throw CLIError(message: error.message, exitCode: ExitStatus.failure)
        }
        let text = output.finish()
        if let out {
            try writeAtomically(text, to: out)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

extension ResultFormat: ExpressibleByArgument {}

/// Collects results and renders them in the chosen format. Tables stream to stdout as they come
/// (a long script shows progress); JSON is one document at the end.
final class ResultOutput {
    let format: ResultFormat
    let quiet: Bool
    let toFile: Bool
    private var buffer = ""
    private var json: [[String: Any]] = []
    private var first = true

    init(format: ResultFormat, quiet: Bool, toFile: Bool) {
        self.format = format
        self.quiet = quiet
        self.toFile = toFile
    }

    private func emit(_ text: String) {
        if toFile { buffer += text } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    func add(_ result: StatementResult) {
        switch format {
        case .json: json.append(ResultOutput.jsonObject(result))
        case .csv:
            switch result {
            case .table(let t):
                if !first { emit("\n") }
                first = false
                emit(ResultRenderer.render(t, as: .csv))
            case .cohort(let s): if !quiet { Terminal.note(s.line) }
            case .explain(let e):
                // CSV holds tables only: the attrition and the timing (the SQL is in table and json output).
                if !first { emit("\n") }
                first = false
                emit(ResultRenderer.render(e.attrition, as: .csv) + "\n" + ResultRenderer.render(e.timing, as: .csv))
            case .text(let t): Terminal.note(t)
            case .warnings(let w): Terminal.note(w)
            }
        case .table:
            let width = Terminal.width
            switch result {
            case .table(let t):
                emit((first ? "" : "\n") + ResultRenderer.render(t, as: .table, maxWidth: width))
            case .cohort(let s):
                if !quiet { emit((first ? "" : "") + s.line + "\n") }
            case .explain(let e):
                emit("\n" + e.sql + "\n\n" + ResultRenderer.render(e.attrition, as: .table, maxWidth: width)
                     + "\n" + ResultRenderer.render(e.timing, as: .table, maxWidth: width))
            case .text(let t): emit(t + "\n")
            case .warnings(let w): Terminal.note(w)
            }
            first = false
        }
    }

    func finish() -> String {
        if format == .json {
            let data = (try? JSONSerialization.data(withJSONObject: ["results": json], options: [.prettyPrinted, .sortedKeys])) ?? Data()
            emit(String(decoding: data, as: UTF8.self) + "\n")
        }
        return buffer
    }

    static func jsonValue(_ v: SQLValue) -> Any {
        switch v {
        case .null: return NSNull()
        case .integer(let i): return i
        case .real(let d): return d.isFinite ? d : NSNull()
        case .text(let s): return s
        default: return v.description
        }
    }

    static func jsonTable(_ t: ResultTable) -> [String: Any] {
        ["kind": "table", "title": t.title ?? "", "columns": t.columns, "rows": t.rows.map { $0.map(jsonValue) }]
    }

    static func jsonObject(_ result: StatementResult) -> [String: Any] {
        switch result {
        case .table(let t): return jsonTable(t)
        case .cohort(let s):
            return ["kind": "cohort", "name": s.name, "definition_id": s.definitionID, "persons": s.persons, "eras": s.eras,
                    "milliseconds": (s.milliseconds * 10).rounded() / 10, "attrition": jsonTable(s.attritionTable)]
        case .explain(let e):
            return ["kind": "explain", "cohort": e.cohort, "sql": e.sql, "attrition": jsonTable(e.attrition), "timing": jsonTable(e.timing)]
        case .text(let t): return ["kind": "text", "text": t]
        case .warnings(let w): return ["kind": "warnings", "text": w]
        }
    }
}

/// Writes a file atomically (a temporary file beside it, then a rename: a reader never sees half
/// of it), failing with exit status 1. The previous CLI-only version resolved a relative path's
/// temporary file and target against different bases, so replacing an existing file failed every
/// other run.
func writeAtomically(_ text: String, to path: String) throws {
    do { try AtomicFile.write(text, to: path) } catch {
        throw CLIError(message: "\(error)", exitCode: ExitStatus.failure)
    }
}
