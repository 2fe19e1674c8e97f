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
            let (diagnostics, files) = session.check(source)
            if !diagnostics.isEmpty {
                FileHandle.standardError.write(Data((DiagnosticRenderer(sources: files).render(diagnostics) + "\n").utf8))
            }
            errors += diagnostics.filter { $0.severity == .error }.count
            // Later scripts may use what earlier ones define.
            if diagnostics.allSatisfy({ $0.severity != .error }) { _ = try? session.define(source) }
        }
        if errors > 0 {
            throw CLIError(message: "\(errors) error\(errors == 1 ? "" : "s")", exitCode: ExitStatus.data)
        }
        Terminal.note("ok: \(sources.count) script\(sources.count == 1 ? "" : "s") checked")
    }
}
