import ArgumentParser
import Foundation
import Stratum

/// `stratum repl`: an interactive session, or the line-delimited JSON protocol the notebook
/// kernel speaks (docs/PROTOCOL.md).
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "An interactive session with the cohort language (line editing, history, completion).",
        discussion: """
            Definitions carry from one input to the next. A cohort's clauses may follow on \
            separate lines; a blank line ends it. Type :help for commands.
            With --protocol json, reads one JSON request per line on stdin and writes one JSON \
            response per line on stdout (the Jupyter kernel uses this; see docs/PROTOCOL.md).
            """)

    enum ProtocolKind: String, ExpressibleByArgument { case text, json }

    @Option(name: .long, help: ArgumentHelp("The Stratum store (a SQLite file).", valueName: "FILE"))
    var db: String

    @OptionGroup var script: ScriptOptions

    @Option(name: .long, help: ArgumentHelp("text (interactive, the default) or json (for programs).", valueName: "KIND"))
    var `protocol`: ProtocolKind = .text

    @Option(name: .long, help: ArgumentHelp("History file (default ~/.stratum_history; STRATUM_HISTORY overrides).", valueName: "FILE"))
    var history: String?

    @Option(name: .long, help: ArgumentHelp("Result format: table, csv or json.", valueName: "FORMAT"))
    var format: ResultFormat = .table

    func run() throws {
        guard FileManager.default.fileExists(atPath: db) else {
            throw CLIError(message: "no store at \(db) (create one with 'stratum import ARCHIVE --db \(db)')", exitCode: ExitStatus.data)
        }
        let store: Store
        do { store = try Store(path: db) } catch {
            throw CLIError(message: "cannot open store \(db): \(error)", exitCode: ExitStatus.failure)
        }
        let evaluator = ReplEvaluator(session: try script.session(store: store))
        evaluator.format = format
        switch self.protocol {
        case .json:
            JSONProtocolServer(evaluator: evaluator).serve()
        case .text:
            let file = history ?? ProcessInfo.processInfo.environment["STRATUM_HISTORY"]
                ?? (NSHomeDirectory() as NSString).appendingPathComponent(".stratum_history")
            InteractiveREPL(evaluator: evaluator, historyFile: file, storeName: db).run()
        }
    }
}

/// The terminal loop: prompt, read (several lines for one statement), evaluate, print.
struct InteractiveREPL {
    let evaluator: ReplEvaluator
    let historyFile: String
    let storeName: String

    func run() {
        let editor = LineEditor(historyFile: historyFile) { word, line in evaluator.complete(word: word, line: line) }
        if editor.isInteractive {
            print("Stratum \(Store.engineVersion) — store \(storeName). Type :help for help, Ctrl-D to leave.")
        }
        var buffer = ""
        /// Runs one complete input; false when it asks to leave (`:quit`).
        func evaluate(_ input: String) -> Bool {
            editor.addHistory(input)
            switch evaluator.evaluate(input) {
            case .quit:
                return false
            case .failure(_, let rendered, _):
                FileHandle.standardError.write(Data((rendered + "\n").utf8))
            case .results(let results, let ms):
                for result in results {
                    FileHandle.standardOutput.write(Data(evaluator.render(result, width: Terminal.width).utf8))
                }
                if evaluator.timing { print(String(format: "(%.1f ms)", ms)) }
            }
            fflush(nil)
            return true
        }
        while true {
            let prompt = buffer.isEmpty ? "stratum> " : "     ...> "
            let line: String
            switch editor.read(prompt: prompt) {
            case .line(let text): line = text
            case .interrupted:
                // Ctrl-C abandons the whole input, the lines of an unfinished cohort included.
                buffer = ""
                continue
            case .end:
                // The end of input ends a cohort as a blank line does: a piped script need not
                // end with one.
                if !buffer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { _ = evaluate(buffer) }
                editor.saveHistory()
                return
            }
            if buffer.isEmpty && line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            buffer += (buffer.isEmpty ? "" : "\n") + line
            if !buffer.trimmingCharacters(in: .whitespaces).hasPrefix(":") && ReplEvaluator.needsMore(buffer, lastLine: line) { continue }
            let input = buffer
            buffer = ""
            if !evaluate(input) {
                editor.saveHistory()
                return
            }
        }
    }
}
