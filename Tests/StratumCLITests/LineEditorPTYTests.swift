import Foundation
import XCTest

/// The REPL's line editor as a person meets it: `stratum line-echo` (a hidden command built on
/// `LineEditor`) run on a pseudo-terminal, typed at, and read back. And the same command with
/// pipes, as scripts drive it.
final class LineEditorPTYTests: XCTestCase {
    static let prompt = "echo> "
    static let up = "\u{1B}[A", ctrlC = "\u{03}", ctrlD = "\u{04}"

    #if canImport(Glibc)
    private var dir: URL!

    override func setUpWithError() throws {
        dir = try CLI.tempDir()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private var historyFile: String { dir.appendingPathComponent("history").path }

    /// `stratum line-echo --history <temp>` on a pty, with HOME in the temp dir (no ~/.editrc).
    private func start() throws -> PseudoTerminal {
        let terminal = try PseudoTerminal(executable: CLI.binary.path, arguments: ["line-echo", "--history", historyFile],
                                          environment: ["HOME": dir.path])
        try awaitPrompt(terminal)
        return terminal
    }

    /// The prompt, and then libedit reading keys (see `PseudoTerminal.waitForRawMode`).
    private func awaitPrompt(_ terminal: PseudoTerminal) throws {
        try terminal.expect(Self.prompt)
        try terminal.waitForRawMode()
    }

    func testTypedLineIsEchoed() throws {
        let terminal = try start()
        try terminal.send("hello world\r")
        try terminal.expect("you said: hello world\n")
        try awaitPrompt(terminal)
        try terminal.send(Self.ctrlD)
        XCTAssertEqual(try terminal.waitForExit(timeout: 10), 0)
    }

    /// libedit in the "C" locale drops non-ASCII input; the editor runs it in UTF-8, whatever LANG says.
    func testNonASCIIInputIsKeptAndEditedByCharacter() throws {
        for lang in ["C.UTF-8", "C"] {
            let terminal = try PseudoTerminal(executable: CLI.binary.path, arguments: ["line-echo"],
                                              environment: ["HOME": dir.path, "LANG": lang, "LC_ALL": lang])
            try awaitPrompt(terminal)
            // Backspace (DEL) removes the whole wide character, not one of its bytes.
            try terminal.send("Sjögren 糖尿病\u{7F}\r")
            try terminal.expect("you said: Sjögren 糖尿\n")
            try awaitPrompt(terminal)
            try terminal.send(Self.ctrlD)
            XCTAssertEqual(try terminal.waitForExit(), 0, "LANG=\(lang)")
        }
    }

    func testTabTabListsCandidatesAndTabCompletesAUniqueOne() throws {
        let terminal = try start()
        try terminal.send("co")
        try terminal.expect("co")
        // First TAB: the candidates share only "co", so nothing is inserted (libedit rings the
        // bell). Second TAB: the list, then the prompt and the line again.
        try terminal.send("\t\t")
        let listing = try terminal.expect(Self.prompt + "co")
        for word in ["cohort", "condition", "count"] {
            XCTAssertTrue(listing.contains(word), "\(word) not listed in \(listing.debugDescription)")
        }
        XCTAssertFalse(listing.contains("measurement"), listing)

        // One candidate left: TAB inserts it and a space.
        try terminal.send("nd\t\r")
        try terminal.expect("you said: condition \n")
        try awaitPrompt(terminal)
        try terminal.send(Self.ctrlD)
        XCTAssertEqual(try terminal.waitForExit(), 0)
    }

    func testUpArrowRecallsPreviousLines() throws {
        let terminal = try start()
        for line in ["alpha", "beta"] {
            try terminal.send(line + "\r")
            try terminal.expect("you said: \(line)\n")
            try awaitPrompt(terminal)
        }
        try terminal.send(Self.up)
        try terminal.expect("beta")
        try terminal.send(Self.up)
        try terminal.expect("alpha")
        try terminal.send("\r")
        try terminal.expect("you said: alpha\n")
        try awaitPrompt(terminal)
        try terminal.send(Self.ctrlD)
        XCTAssertEqual(try terminal.waitForExit(), 0)
    }

    func testHistoryFileIsWrittenOnExitAndReadOnStart() throws {
        let first = try start()
        try first.send("count cohort\r")
        try first.expect("you said: count cohort\n")
        try awaitPrompt(first)
        try first.send(Self.ctrlD)
        XCTAssertEqual(try first.waitForExit(), 0)

        // libedit's own format: a "_HiStOrY_V2_" header, then one line per entry with
        // spaces and other specials encoded by strvis(3) ("\040").
        let contents = try String(contentsOfFile: historyFile, encoding: .utf8)
        XCTAssertTrue(contents.hasPrefix("_HiStOrY_V2_\n"), contents)
        XCTAssertTrue(contents.replacingOccurrences(of: "\\040", with: " ").contains("count cohort\n"), contents)
        let permissions = try FileManager.default.attributesOfItem(atPath: historyFile)[.posixPermissions] as? Int
        XCTAssertEqual(permissions, 0o600, "the history can name patients: owner-only")

        let second = try start()
        try second.send(Self.up + "\r")
        try second.expect("you said: count cohort\n")
        try awaitPrompt(second)
        try second.send(Self.ctrlD)
        XCTAssertEqual(try second.waitForExit(), 0)
    }

    func testCtrlCAbandonsTheLineAndKeepsRunning() throws {
        let terminal = try start()
        try terminal.send("partial")
        try terminal.expect("partial")
        try terminal.send(Self.ctrlC)
        try awaitPrompt(terminal)
        XCTAssertTrue(terminal.isRunning, "Ctrl-C ended the process: \(terminal.transcript.debugDescription)")

        try terminal.send("after\r")
        try terminal.expect("you said: after\n")
        XCTAssertFalse(terminal.transcript.contains("you said: partial"), terminal.transcript)

        // Twice in a row, and on an empty line, is just as harmless.
        try awaitPrompt(terminal)
        try terminal.send(Self.ctrlC)
        try awaitPrompt(terminal)
        try terminal.send(Self.ctrlC)
        try awaitPrompt(terminal)
        try terminal.send(Self.ctrlD)
        XCTAssertEqual(try terminal.waitForExit(), 0)
    }

    /// Ctrl-C pressed while libedit is not waiting for a key (here: right after the prompt, before
    /// it switches to raw mode) interrupts no `read`; it must still abandon the line.
    func testCtrlCBeforeTheEditorReadsKeysIsNotLost() throws {
        let terminal = try PseudoTerminal(executable: CLI.binary.path, arguments: ["line-echo"], environment: ["HOME": dir.path])
        try terminal.expect(Self.prompt)
        try terminal.send(Self.ctrlC)
        try awaitPrompt(terminal)
        try terminal.send("x\r")
        try terminal.expect("you said: x\n")
        try awaitPrompt(terminal)
        try terminal.send(Self.ctrlD)
        XCTAssertEqual(try terminal.waitForExit(), 0)
    }

    /// Stopped and continued (as by Ctrl-Z and `fg`), the editor redraws the prompt and the line so far.
    func testContinuedAfterStopRedrawsTheLine() throws {
        let terminal = try start()
        try terminal.send("abc")
        try terminal.expect("abc")
        terminal.signal(SIGSTOP)
        terminal.signal(SIGCONT)
        try terminal.expect(Self.prompt + "abc")
        try terminal.send("def\r")
        try terminal.expect("you said: abcdef\n")
        try awaitPrompt(terminal)
        try terminal.send(Self.ctrlD)
        XCTAssertEqual(try terminal.waitForExit(), 0)
    }

    func testCtrlDOnAnEmptyLineExitsZero() throws {
        let terminal = try start()
        try terminal.send(Self.ctrlD)
        XCTAssertEqual(try terminal.waitForExit(), 0)
        XCTAssertFalse(terminal.transcript.contains("you said"), terminal.transcript)
    }

    /// The harness itself: waiting for text that never comes fails in time, and a program that
    /// outlives its test is killed.
    func testHarnessNeverHangs() throws {
        let terminal = try start()
        let started = Date()
        XCTAssertThrowsError(try terminal.expect("never printed", timeout: 0.5))
        XCTAssertThrowsError(try terminal.waitForExit(timeout: 0.3))
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertTrue(terminal.isRunning)
        XCTAssertEqual(PseudoTerminal.stripEscapes("\u{1B}[1;32mok\u{1B}[0m\r\n\u{1B}]0;title\u{07}x\u{1B}(By\u{1B}"), "ok\nxy")
    }
    #endif

    /// Piped stdin: no libedit, no prompt, no escape sequences; one answer per line; no history file.
    func testPipedInputGetsPlainLines() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let history = dir.appendingPathComponent("history").path
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["line-echo", "--history", history]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Never hang: a line-echo that stops reading is killed (and the assertions below fail).
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: watchdog)
        defer { watchdog.cancel() }
        input.fileHandleForWriting.write(Data("one\n\ntwo words\nno newline at end".utf8))
        try input.fileHandleForWriting.close()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(String(decoding: stdout, as: UTF8.self),
                       "you said: one\nyou said: \nyou said: two words\nyou said: no newline at end\n")
        XCTAssertEqual(String(decoding: stderr, as: UTF8.self), "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: history), "a script's lines are not a person's history")
    }

    func testLineEchoIsHiddenFromHelp() throws {
        let help = try CLI.run(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertFalse(help.stdout.contains("line-echo"), help.stdout)
    }
}

