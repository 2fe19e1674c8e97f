import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A small store for the REPL tests, made the way a user makes one: `stratum synth` then
/// `stratum import`, with the built binary. The synthetic population has type 2 diabetes coded
/// as snomed:44054006 (and icd10cm:E11.* for some).
enum ReplFixture {
    static let diabetes = "valueset D = snomed:44054006, icd10cm:E11.*"
    /// The cohort the brief's examples use, one line per clause, ending with the blank line.
    static let cohortT = [
        "cohort T \"Adults with type 2 diabetes\"",
        "  entry first condition in D",
        "  require age at entry >= 18",
        "",
    ]

    /// Creates `dir/X.sqlite` (300 patients, seed 3) and returns its path.
    static func makeStore(in dir: URL) throws -> String {
        let archive = dir.appendingPathComponent("X.tar.gz").path
        let db = dir.appendingPathComponent("X.sqlite").path
        let synth = try run(["synth", "--patients", "300", "--seed", "3", "-o", archive, "-q"])
        guard synth.status == 0 else { throw ReplTestFailure("stratum synth failed (\(synth.status)): \(synth.stderr)") }
        let imported = try run(["import", archive, "--db", db, "--quiet"])
        guard imported.status == 0 else { throw ReplTestFailure("stratum import failed (\(imported.status)): \(imported.stderr)") }
        return db
    }

    /// The store both REPL test classes use, made once per test process (synth + import is the
    /// slow part); removed when the process exits.
    nonisolated(unsafe) private static var shared: Result<String, any Error>?

    /// A private copy of the shared store in a fresh temp dir: running a cohort records it in the
    /// store (cohort_definition), and tests must not see each other's.
    static func storeCopy() throws -> (dir: URL, db: String) {
        if shared == nil {
            shared = Result {
                let dir = try CLI.tempDir()
                sharedDir = dir
                atexit { if let dir = ReplFixture.sharedDir { try? FileManager.default.removeItem(at: dir) } }
                return try makeStore(in: dir)
            }
        }
        let master = try shared!.get()
        let dir = try CLI.tempDir()
        let db = dir.appendingPathComponent("X.sqlite").path
        try FileManager.default.copyItem(atPath: master, toPath: db)
        return (dir, db)
    }
    nonisolated(unsafe) static var sharedDir: URL?

    /// `CLI.run` with a deadline: the program is killed when it outlives `timeout`.
    static func run(_ arguments: [String], timeout: TimeInterval = 300) throws -> CLIResult {
        let (process, out, err) = try CLI.start(arguments)
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        // stderr on another thread, so that neither pipe can fill up and stall the program.
        let errors = ErrorCollector(err)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                         stderr: errors.wait())
    }

    /// Reads a pipe to its end on a background thread.
    final class ErrorCollector: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)
        init(_ pipe: Pipe) {
            let handle = pipe.fileHandleForReading
            DispatchQueue.global().async {
                self.data = handle.readDataToEndOfFile()
                self.done.signal()
            }
        }
        /// What was read; waits at most 30 s after the writer is gone (it always is by then).
        func wait() -> String {
            _ = done.wait(timeout: .now() + 30)
            return String(decoding: data, as: UTF8.self)
        }
    }
}

struct ReplTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `stratum repl` as a person meets it: on a pseudo-terminal, with libedit editing the line,
/// multi-line cohorts, meta commands, TAB completion, history and Ctrl-C / Ctrl-D.
final class ReplPTYTests: XCTestCase {
    #if canImport(Glibc)
    static let prompt = "stratum> ", continuation = "...> "
    static let up = "\u{1B}[A", ctrlC = "\u{03}", ctrlD = "\u{04}"
    /// Generous: the tests share two cores with other builds.
    static let timeout: TimeInterval = 60

    private var dir: URL!
    private var db: String!
    private var historyFile: String { dir.appendingPathComponent("history").path }

    override func setUpWithError() throws {
        (dir, db) = try ReplFixture.storeCopy()
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    // MARK: - Driving the REPL

    /// `stratum repl --db <copy> --history <temp>` on a pty, HOME in the temp dir (no ~/.editrc,
    /// no ~/.stratum_history), after its banner and first prompt.
    private func start(columns: UInt16 = 100) throws -> PseudoTerminal {
        let terminal = try PseudoTerminal(executable: CLI.binary.path,
                                          arguments: ["repl", "--db", db, "--history", historyFile],
                                          environment: ["HOME": dir.path, "STRATUM_HISTORY": dir.appendingPathComponent("unused").path],
                                          columns: columns)
        try awaitPrompt(terminal)
        return terminal
    }

    /// Waits for `prompt` and for libedit to read keys (see `PseudoTerminal.waitForRawMode`);
    /// returns what came before the prompt.
    @discardableResult
    private func awaitPrompt(_ terminal: PseudoTerminal, _ prompt: String = ReplPTYTests.prompt) throws -> String {
        let seen = try terminal.expect(prompt, timeout: Self.timeout)
        try terminal.waitForRawMode(timeout: Self.timeout)
        return String(seen.dropLast(prompt.count))
    }

    /// Types `line` and Enter, waits for `prompt`; returns what was shown in between (the echo
    /// of the line, then the output).
    @discardableResult
    private func enter(_ terminal: PseudoTerminal, _ line: String, then prompt: String = ReplPTYTests.prompt) throws -> String {
        try terminal.send(line + "\r")
        return try awaitPrompt(terminal, prompt)
    }

    /// Types the lines of a definition: each but the last answered by the continuation prompt.
    @discardableResult
    private func enterLines(_ terminal: PseudoTerminal, _ lines: [String]) throws -> String {
        for line in lines.dropLast() { try enter(terminal, line, then: Self.continuation) }
        return try enter(terminal, lines.last ?? "")
    }

    /// Defines D and T; returns T's summary line.
    @discardableResult
    private func defineT(_ terminal: PseudoTerminal) throws -> String {
        let valueSet = try enter(terminal, ReplFixture.diabetes)
        XCTAssertFalse(valueSet.contains("error"), valueSet)
        return try enterLines(terminal, ReplFixture.cohortT)
    }

    private func quit(_ terminal: PseudoTerminal, file: StaticString = #filePath, line: UInt = #line) throws {
        try terminal.send(Self.ctrlD)
        XCTAssertEqual(try terminal.waitForExit(timeout: Self.timeout), 0, terminal.transcript, file: file, line: line)
    }

    private func matches(_ text: String, _ pattern: String) -> Bool {
        text.range(of: pattern, options: .regularExpression) != nil
    }

    // MARK: - (1) Banner and :help

    func testBannerAndHelp() throws {
        let terminal = try start()
        let banner = terminal.transcript
        XCTAssertTrue(matches(banner, #"Stratum \S+ — store .*X\.sqlite\. Type :help for help, Ctrl-D to leave\."#), banner)

        let help = try enter(terminal, ":help")
        for text in ["Statements", "cohort NAME", "Commands:", ":explain NAME", ":timing on|off", ":format table|csv|json",
                     ":schema [TABLE]", ":load FILE", ":cohorts", ":valuesets", ":quit", "Ctrl-C abandons"] {
            XCTAssertTrue(help.contains(text), "\(text) missing from :help: \(help)")
        }
        try quit(terminal)
    }

    // MARK: - (2) A cohort over several lines

    func testMultiLineCohortShowsContinuationPromptThenSummary() throws {
        let terminal = try start()
        XCTAssertFalse(try enter(terminal, ReplFixture.diabetes).contains("error"))
        // Each clause line is answered by the continuation prompt, not by a result…
        for line in ReplFixture.cohortT.dropLast() {
            let shown = try enter(terminal, line, then: Self.continuation)
            XCTAssertFalse(shown.contains("cohort T:"), "ran before the blank line: \(shown)")
            XCTAssertFalse(shown.contains("error"), shown)
        }
        // …and the blank line runs it.
        let summary = try enter(terminal, "")
        XCTAssertTrue(matches(summary, #"cohort T: [1-9][0-9]* persons?, [0-9]+ eras? \(definition [0-9]+, [0-9]+ ms\)"#), summary)

        let cohorts = try enter(terminal, ":cohorts")
        XCTAssertTrue(matches(cohorts, #"(?m)^T$"#), cohorts)
        try quit(terminal)
    }

    // MARK: - (3) A count prints a table

    func testCountBySexPrintsATable() throws {
        let terminal = try start()
        try defineT(terminal)
        let table = try enter(terminal, "count T by sex")
        let lines = table.components(separatedBy: "\n")
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("sex") && $0.contains("persons") }, table)
        XCTAssertTrue(matches(lines[header + 1], #"^-+( +-+)+$"#), table)
        XCTAssertTrue(lines.contains { matches($0, #"^(female|male) +[0-9]+"#) }, table)
        XCTAssertTrue(matches(table, #"\([0-9]+ rows?\)"#), table)
        try quit(terminal)
    }

    // MARK: - (4) Errors point at the input and the session goes on

    func testErrorShowsLocationCaretAndSuggestionAndSessionContinues() throws {
        let terminal = try start()
        try defineT(terminal)
        let error = try enter(terminal, "count Tx")
        XCTAssertTrue(matches(error, #"input[0-9]+:1:7: error: .*Tx"#), error)
        XCTAssertTrue(error.contains("\n  count Tx\n        ^~"), "no caret under Tx: \(error.debugDescription)")
        XCTAssertTrue(error.contains("did you mean 'T'?"), error)
        XCTAssertTrue(terminal.isRunning)

        // The next statement works, with the definitions made before the error.
        let table = try enter(terminal, "count T by sex")
        XCTAssertTrue(table.contains("persons"), table)
        XCTAssertFalse(table.contains("error"), table)

        // A parse error in a multi-line cohort points at its line.
        try enter(terminal, "cohort Bad", then: Self.continuation)
        try enter(terminal, "  entry first condition in D", then: Self.continuation)
        try enter(terminal, "  require age at entry >= eighteen", then: Self.continuation)
        let bad = try enter(terminal, "")
        XCTAssertTrue(matches(bad, #"input[0-9]+:3:[0-9]+: error:"#), bad)
        XCTAssertTrue(try enter(terminal, "count T").contains("persons"))
        try quit(terminal)
    }

    // MARK: - (5) TAB completion

    func testTabCompletesSessionNamesKeywordsAndCommands() throws {
        let terminal = try start()
        XCTAssertFalse(try enter(terminal, "valueset Glycemia = snomed:44054006, icd10cm:E11.*").contains("error"))
        // A value-set name defined in the session, completed on a continuation line.
        try enter(terminal, "cohort Hyperglycemic \"h\"", then: Self.continuation)
        try terminal.send("  entry first condition in Glyc\t")
        try terminal.expect("Glycemia", timeout: Self.timeout)
        try enter(terminal, "", then: Self.continuation)
        let summary = try enter(terminal, "")
        XCTAssertTrue(matches(summary, #"cohort Hyperglycemic: [1-9][0-9]* persons?"#), summary)

        // A keyword ("cou" → count) and a cohort name ("Hyper" → Hyperglycemic): only the
        // completed words make a valid statement.
        try terminal.send("cou\t")
        try terminal.expect("count", timeout: Self.timeout)
        try terminal.send("Hyper\t")
        try terminal.expect("Hyperglycemic", timeout: Self.timeout)
        let table = try enter(terminal, "by sex")
        XCTAssertFalse(table.contains("error"), table)
        XCTAssertTrue(table.contains("persons"), table)

        // A meta command.
        try terminal.send(":sch\t")
        try terminal.expect(":schema", timeout: Self.timeout)
        let columns = try enter(terminal, "person")
        XCTAssertTrue(columns.contains("year_of_birth"), columns)

        // Two candidates: the first TAB completes what they share, the second lists them.
        XCTAssertFalse(try enter(terminal, "valueset Glycated = snomed:44054006").contains("error"))
        try terminal.send("count Gly\t\t")
        let listing = try terminal.expect(Self.prompt + "count Glyc", timeout: Self.timeout)
        XCTAssertTrue(listing.contains("Glycemia") && listing.contains("Glycated"), listing)
        try terminal.waitForRawMode(timeout: Self.timeout)
        XCTAssertTrue(try enter(terminal, "").contains("error"), "ran 'count Glyc'")

        // TAB after a code lists nothing: a code (with its ':' '.' '-' '*') is one word, not an
        // empty word after '*' for which every keyword and name is a candidate.
        try terminal.send("valueset Z = icd10cm:E11.*\t\t")
        let afterCode = terminal.drain(for: 1)
        XCTAssertFalse(afterCode.contains("descendants") || afterCode.contains("Glycemia"), "TAB after a code listed candidates: \(afterCode)")
        XCTAssertFalse(try enter(terminal, "").contains("error"))
        try quit(terminal)
    }

    // MARK: - (6) Meta commands

    func testExplainPrintsSQLAndAttrition() throws {
        let terminal = try start()
        try defineT(terminal)
        let explained = try enter(terminal, ":explain T")
        XCTAssertTrue(explained.contains("SELECT"), explained)
        XCTAssertTrue(explained.contains("attrition of T"), explained)
        XCTAssertTrue(matches(explained, #"(?m)^step +rule +persons +events"#), explained)
        XCTAssertTrue(explained.contains("timing of T"), explained)
        XCTAssertTrue(try enter(terminal, ":explain").contains(":explain needs a cohort name"))
        try quit(terminal)
    }

    func testTimingAndFormat() throws {
        let terminal = try start()
        try defineT(terminal)
        XCTAssertTrue(try enter(terminal, ":timing on").contains("timing is on"))
        let timed = try enter(terminal, "count T")
        XCTAssertTrue(matches(timed, #"(?m)^\([0-9]+\.[0-9] ms\)$"#), timed)
        XCTAssertTrue(try enter(terminal, ":timing off").contains("timing is off"))
        XCTAssertFalse(matches(try enter(terminal, "count T"), #"\([0-9]+\.[0-9] ms\)"#))
        XCTAssertTrue(try enter(terminal, ":timing maybe").contains(":timing takes on or off"))

        XCTAssertTrue(try enter(terminal, ":format csv").contains("format is csv"))
        let csv = try enter(terminal, "count T by sex").components(separatedBy: "\n")
        XCTAssertTrue(csv.contains("sex,persons") || csv.contains { $0.hasPrefix("sex,") }, csv.joined(separator: "\n"))
        XCTAssertTrue(csv.contains { matches($0, #"^(female|male),[0-9]+"#) }, csv.joined(separator: "\n"))
        XCTAssertFalse(csv.contains { matches($0, #"^-+ +-+"#) }, "a table rule in CSV output")
        XCTAssertTrue(try enter(terminal, ":format json").contains("format is json"))
        XCTAssertTrue(try enter(terminal, "count T by sex").contains("\"sex\""))
        XCTAssertTrue(try enter(terminal, ":format yaml").contains(":format takes one of: "))
        try quit(terminal)
    }

    func testSchemaListsTablesAndColumns() throws {
        let terminal = try start()
        let tables = try enter(terminal, ":schema")
        for table in ["person", "condition_occurrence", "measurement", "cohort_definition"] {
            XCTAssertTrue(matches(tables, "(?m)^\(table) +[0-9]+$"), "\(table) not listed: \(tables)")
        }
        XCTAssertTrue(matches(tables, #"(?m)^person +300$"#), tables)
        let columns = try enter(terminal, ":schema person")
        for column in ["person_id", "year_of_birth", "gender_concept_id"] {
            XCTAssertTrue(columns.contains(column), "\(column) not listed: \(columns)")
        }
        XCTAssertTrue(try enter(terminal, ":schema nosuch").contains("no table 'nosuch'"))
        try quit(terminal)
    }

    func testLoadRunsAScriptFileAndUnknownCommandsSuggest() throws {
        let script = dir.appendingPathComponent("loaded.stratum")
        try """
            valueset L = snomed:44054006
            cohort Loaded "from a file"
              entry first condition in L

            count Loaded by sex
            """.write(to: script, atomically: true, encoding: .utf8)
        let terminal = try start()
        let loaded = try enter(terminal, ":load \(script.path)")
        XCTAssertTrue(matches(loaded, #"cohort Loaded: [1-9][0-9]* persons?"#), loaded)
        XCTAssertTrue(loaded.contains("persons"), loaded)
        // Its definitions stay in the session.
        XCTAssertTrue(matches(try enter(terminal, ":valuesets"), #"(?m)^L +1 "#))
        XCTAssertTrue(try enter(terminal, "count Loaded").contains("persons"))
        XCTAssertTrue(try enter(terminal, ":load \(dir.path)/missing.stratum").contains("cannot read"))

        let unknown = try enter(terminal, ":foo")
        XCTAssertTrue(unknown.contains("unknown command :foo"), unknown)
        XCTAssertTrue(unknown.contains(":help lists the commands"), unknown)
        let typo = try enter(terminal, ":shema")
        XCTAssertTrue(typo.contains("did you mean :schema?"), typo)
        try quit(terminal)
    }

    // MARK: - (7) Wide results fit the terminal

    func testWideResultIsTruncatedToTheTerminalWidth() throws {
        let terminal = try start(columns: 200)
        try defineT(terminal)
        let command = "list T with person, age, sex, provider, care site, race, ethnicity"
        let wide = try enter(terminal, command)
        XCTAssertFalse(wide.contains("hidden") || wide.contains("…"), "cut at 200 columns: \(wide)")
        XCTAssertTrue(matches(wide, #"(?m)^ +person +age +sex +provider +care site +race +ethnicity$"#), wide)

        try terminal.setWindowSize(rows: 24, cols: 60)
        // Let libedit take the new size (SIGWINCH) before the next long line is typed.
        try enter(terminal, ":format table")
        let narrow = try enter(terminal, command)
        // Text cells are cut with "…" and the columns that still do not fit are named below.
        XCTAssertTrue(narrow.contains("…"), narrow)
        XCTAssertTrue(matches(narrow, #"(?m)^\([0-9]+ rows, [0-9]+ columns? hidden(: .*ethnicity)?\)$"#), narrow)
        // From the title to the footer, no line is wider than the terminal.
        let lines = narrow.components(separatedBy: "\n")
        let rule = try XCTUnwrap(lines.firstIndex { matches($0, #"^-+( +-+)*$"#) }, narrow)
        let footer = try XCTUnwrap(lines.lastIndex { $0.hasPrefix("(") && $0.contains("row") }, narrow)
        guard rule >= 2 else { throw ReplTestFailure("no title before the table: \(narrow)") }
        XCTAssertTrue(lines[rule - 2].hasPrefix("list T with"), "no title line: \(narrow)")
        for line in lines[(rule - 2)...footer] {
            XCTAssertLessThanOrEqual(line.unicodeScalars.count, 60, "wider than 60 columns: \(line.debugDescription)")
        }
        try quit(terminal)
    }

    // MARK: - (8) History

    func testHistoryPersistsAcrossRuns() throws {
        let first = try start()
        XCTAssertFalse(try enter(first, "valueset Remembered = snomed:44054006").contains("error"))
        try quit(first)
        let saved = try String(contentsOfFile: historyFile, encoding: .utf8)
        XCTAssertTrue(saved.replacingOccurrences(of: "\\040", with: " ").contains("valueset Remembered = snomed:44054006"), saved)

        // A new session: Up recalls the line, Enter runs it.
        let second = try start()
        try second.send(Self.up)
        try second.expect("valueset Remembered = snomed:44054006", timeout: Self.timeout)
        try enter(second, "")
        XCTAssertTrue(matches(try enter(second, ":valuesets"), #"(?m)^Remembered +1 "#))
        try quit(second)
    }

    // MARK: - (9) Ctrl-C and Ctrl-D

    func testCtrlCAbandonsAPartialCohortAndCtrlDExitsZero() throws {
        let terminal = try start()
        try enter(terminal, ReplFixture.diabetes)
        try enter(terminal, "cohort Abandoned \"x\"", then: Self.continuation)
        try terminal.send("  entry first condition in D")
        try terminal.expect("in D", timeout: Self.timeout)
        try terminal.send(Self.ctrlC)
        // The primary prompt: the lines typed so far are gone, not just the last one.
        let between = try awaitPrompt(terminal)
        XCTAssertFalse(between.contains(Self.continuation), between)
        XCTAssertTrue(terminal.isRunning)

        // The next input starts afresh: had the abandoned lines stayed, this would end up in
        // one input with them and fail to parse.
        let next = try enter(terminal, "valueset E = snomed:44054006")
        XCTAssertFalse(next.contains("error"), next)
        XCTAssertTrue(matches(try enter(terminal, ":valuesets"), #"(?m)^E +1 "#))
        XCTAssertFalse(try enter(terminal, ":cohorts").contains("Abandoned"))

        // Ctrl-C on an empty primary prompt is harmless too.
        try terminal.send(Self.ctrlC)
        try awaitPrompt(terminal)
        try quit(terminal)
    }

    func testCtrlDOnTheFirstPromptExitsZero() throws {
        let terminal = try start()
        try quit(terminal)
        XCTAssertFalse(terminal.transcript.contains("error"), terminal.transcript)
    }

    func testQuitCommandExitsZeroAndSavesHistory() throws {
        let terminal = try start()
        try enter(terminal, ":timing on")
        try terminal.send(":quit\r")
        XCTAssertEqual(try terminal.waitForExit(timeout: Self.timeout), 0)
        XCTAssertTrue(try String(contentsOfFile: historyFile, encoding: .utf8).contains(":timing"))
    }

    // MARK: - (10) An open parenthesis continues the input

    func testOpenParenthesisContinuesInput() throws {
        let terminal = try start()
        try enter(terminal, ReplFixture.diabetes)
        try enter(terminal, "cohort X \"grouped\"", then: Self.continuation)
        try enter(terminal, "  entry first condition in D", then: Self.continuation)
        try enter(terminal, "  rule \"adult\" any of (", then: Self.continuation)
        try enter(terminal, "    age >= 18", then: Self.continuation)
        // Inside the parentheses even a blank line does not end the input.
        try enter(terminal, "", then: Self.continuation)
        try enter(terminal, "  )", then: Self.continuation)
        let summary = try enter(terminal, "")
        XCTAssertTrue(matches(summary, #"cohort X: [1-9][0-9]* persons?"#), summary)
        XCTAssertFalse(summary.contains("error"), summary)
        try quit(terminal)
    }
    #endif
}
