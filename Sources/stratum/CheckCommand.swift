import ArgumentParser
import Foundation
import Stratum

/// `stratum check`: parse and bind scripts without running them.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check cohort scripts for errors without running them (no store needed).",
        discussion: """
            Reports every error with file:line:col, the source line and a caret, and exits 3 if \
            there are any. With --db, names of cohorts already in that store are known too.
            """)

    @Argument(help: ArgumentHelp("Script files to check, in order.", valueName: "SCRIPT"))
    var scripts: [String]

    @Option(name: .long, help: ArgumentHelp("A store whose saved cohorts scripts may refer to (optional).", valueName: "FILE"))
    var db: String?

    @OptionGroup var script: ScriptOptions

    @Flag(name: .long, help: "Print the SQL each statement compiles to (with its parameters) on stdout.")
    var sql = false

    @Flag(name: .long, help: "Print how long parsing, binding and SQL generation took per script.")
    var timing = false

    func validate() throws {
        if scripts.isEmpty { throw ValidationError("give at least one script to check") }
    }

    func run() throws {
        let sources = try scripts.map(ScriptFile.read)
        let store: Store
        do {
            // Without a store, check against an empty in-memory one: names and SQL still bind.
            store = try Store(path: db ?? ":memory:")
        } catch {
            throw CLIError(message: "cannot open store \(db ?? ""): \(error)", exitCode: ExitStatus.failure)
        }
        let session = try script.session(store: store)
        var errors = 0
        for source in sources {
            let started = DispatchTime.now()
            let (diagnostics, files, statements) = session.compile(source)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
            if timing { Terminal.note(String(format: "%@: parse + bind + SQL in %.2f ms (%d statements)", source.name, elapsed, statements.count)) }
            if sql {
                for (label, rendered) in statements {
                    var text = "-- \(label)\n\(rendered.sql);\n"
                    if !rendered.parameters.isEmpty { text += "-- parameters: " + rendered.parameters.map { $0.text.map { "'\($0)'" } ?? "NULL" }.joined(separator: ", ") + "\n" }
                    FileHandle.standardOutput.write(Data((text + "\n").utf8))
                }
            }
            if !diagnostics.isEmpty {
                FileHandle.standardError.write(Data((DiagnosticRenderer(sources: files).render(diagnostics) + "\n").utf8))
            }
            errors += diagnostics.filter { $0.severity == .error }.count
        }
        if errors > 0 {
            throw CLIError(message: "\(errors) error\(errors == 1 ? "" : "s")", exitCode: ExitStatus.data)
        }
        Terminal.note("ok: \(sources.count) script\(sources.count == 1 ? "" : "s") checked")
    }
}
