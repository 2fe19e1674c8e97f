import ArgumentParser
import Foundation

/// `stratum line-echo`: a hidden command that exercises `LineEditor` on its own, so the terminal
/// side of the REPL (prompt, editing, history, completion, Ctrl-C, Ctrl-D) is tested through a
/// real pseudo-terminal before the query language exists. Not for users; `shouldDisplay: false`
/// keeps it out of `stratum --help`.
struct LineEchoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "line-echo",
        abstract: "Echo lines read with the REPL's line editor (for testing).",
        shouldDisplay: false)

    /// The words TAB completes, chosen to share prefixes (`co` has three candidates).
    static let words = ["cohort", "count", "condition", "measurement"]

    @Option(name: .long, help: ArgumentHelp("Read and write the line history here.", valueName: "FILE"))
    var history: String?

    func run() throws {
        let editor = LineEditor(historyFile: history) { word, _ in
            Self.words.filter { $0.hasPrefix(word) }
        }
        while let line = editor.readLine(prompt: "echo> ") {
            editor.addHistory(line)
            print("you said: \(line)")
            // A REPL answers each line as it comes; stdout to a pipe is block-buffered otherwise.
            fflush(nil)  // every stream; Swift 6 will not name the C global `stdout`
        }
        editor.saveHistory()
    }
}
