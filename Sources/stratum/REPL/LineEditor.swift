// libedit's readline API is a set of C globals (rl_attempted_completion_function, rl_line_buffer, …),
// which Swift 6 rejects as shared mutable state; @preconcurrency accepts them. They are touched
// only from the thread that runs the REPL (see LineEditor).
@preconcurrency import CEditLine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads lines for the REPL: with libedit (editing, history, TAB completion) when a person is
/// typing at a terminal, and as plain lines when stdin is a pipe or a file, so that
/// `stratum repl --db x < queries.txt` and tests that drive the REPL through a pipe see clean
/// output.
///
/// It uses libedit's readline-compatible API (`editline/readline.h`) rather than the native
/// `el_*` one because that API is what GNU readline users know (`~/.editrc` aside) and it does
/// history files and completion lists for us. The price is that the readline API is one global
/// editor: one history, one completion function, one prompt. So **only one `LineEditor` may exist
/// at a time** (creating a second while the first lives traps), and C callbacks, which cannot
/// capture Swift context, reach the completer through the static `LineEditorState`.
///
/// Not thread-safe: create and use it on one thread (the REPL's main loop). The static state is
/// `nonisolated(unsafe)` for that reason, not guarded by a lock: libedit calls back on the thread
/// that called `readline`, synchronously, so a lock would protect nothing.
///
/// Ctrl-C at the prompt abandons the line being typed and shows a fresh prompt; it does not end
/// the process. Ctrl-D on an empty line is end of input (`readLine` returns `nil`).
final class LineEditor {
    /// Given the word before the cursor and the whole line, the candidates that can replace the
    /// word. Candidates should start with the word: libedit inserts the longest prefix they share,
    /// and lists them all on a second TAB.
    typealias Completer = (_ word: String, _ line: String) -> [String]

    /// At most this many entries are kept in memory and in the history file.
    static let historyLimit: Int32 = 1000

    /// Characters that end a word for completion: blanks and the punctuation of the query language,
    /// so that `count(co<TAB>` completes `co`. Not `_`, which occurs inside names, nor `:` `.` `-`
    /// `*`, which occur inside codes (`loinc:4548-4`, `icd10cm:E11.*`): TAB after a code sees the
    /// whole code as the word (and completes nothing) instead of an empty word after `-` or `*`
    /// (which would list every keyword). `:` also starts meta commands (`:ex<TAB>`).
    static let wordBreakCharacters = " \t\n\"'`@$><=;|&{}()[],+/%!"

    let historyFile: String?
    /// True when libedit edits the line: stdin and stdout are both terminals.
    let isInteractive: Bool
    /// The last line added, to keep repeated commands out of the history.
    private var lastHistoryEntry: String?

    /// - Parameters:
    ///   - historyFile: read now and written by `saveHistory()`; `nil` keeps no history across runs.
    ///     Ignored when input is not interactive (a script's lines are not a person's history).
    ///   - completer: called on TAB; see `Completer`.
    init(historyFile: String?, completer: @escaping Completer) {
        precondition(!LineEditorState.alive, "only one LineEditor may exist at a time (libedit's readline API is global)")
        LineEditorState.alive = true
        // Both ends must be a terminal: with stdout redirected, libedit would write its prompt
        // and redraws into the file or pipe.
        isInteractive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        self.historyFile = isInteractive ? historyFile : nil
        LineEditorState.completer = completer
        guard isInteractive else { return }

        LineEditorState.useUTF8Locale()
        LineEditorState.prepareWakePipe()
        // Our reader instead of libedit's, so that Ctrl-C is never lost (see
        // `LineEditorState.nextInputByte`) and UTF-8 input is decoded. Set before rl_initialize,
        // which is when libedit looks at it.
        rl_getc_function = lineEditorGetc

        rl_readline_name = UnsafePointer(LineEditorState.readlineName)  // `$if stratum` sections in ~/.editrc
        // libedit 3.1's rl_complete() breaks words with rl_basic_word_break_characters, not
        // rl_completer_word_break_characters as GNU readline does; set both.
        rl_basic_word_break_characters = UnsafePointer(LineEditorState.wordBreaks)
        rl_completer_word_break_characters = LineEditorState.wordBreaks
        rl_attempted_completion_function = lineEditorAttemptCompletion
        rl_initialize()
        using_history()
        stifle_history(Self.historyLimit)
        if let historyFile {
            // A missing file is normal (first run); any other failure just means no old history.
            _ = read_history(historyFile)
        }
    }

    deinit {
        if isInteractive { rl_attempted_completion_function = nil }
        LineEditorState.completer = nil
        LineEditorState.candidates = []
        LineEditorState.alive = false
    }

    /// What one `read(prompt:)` got.
    enum Input: Equatable {
        /// A line, without its line break.
        case line(String)
        /// Ctrl-C: the line being typed was abandoned (the cursor is already on a fresh line).
        case interrupted
        /// End of input: Ctrl-D on an empty line, or the end of a pipe.
        case end
    }

    /// The next line without its line break, or `nil` at end of input (Ctrl-D on an empty line,
    /// or the end of a pipe). An interrupted line (Ctrl-C) is dropped and the prompt shown again;
    /// callers that keep state across lines (the REPL's multi-line input) use `read(prompt:)`,
    /// which reports the interruption instead.
    func readLine(prompt: String) -> String? {
        while true {
            switch read(prompt: prompt) {
            case .line(let line): return line
            case .end: return nil
            case .interrupted: continue
            }
        }
    }

    /// The next line, an interruption (Ctrl-C) or the end of input.
    ///
    /// When input is not interactive the prompt is not printed on stdout, so piped output holds
    /// only results. If stdin is a terminal but stdout is not (`stratum repl | tee log`), the
    /// prompt goes to stderr when stderr is a terminal, and the terminal's own line editing applies.
    func read(prompt: String) -> Input {
        guard isInteractive else {
            if isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1 {
                FileHandle.standardError.write(Data(prompt.utf8))
            }
            return Swift.readLine(strippingNewline: true).map(Input.line) ?? .end
        }
        let result = LineEditorState.withInterruptibleRead { readline(prompt) }
        if let line = result.line {
            defer { free(line) }
            return .line(String(cString: line))
        }
        // End of input: libedit has echoed "^D" after the prompt and left the cursor there.
        // Interrupted: libedit has already put the terminal back in cooked mode and left the
        // cursor after the abandoned text. Either way, finish the line, like a shell, so that
        // the next prompt (or the shell's) starts on its own.
        print("")
        fflush(nil)
        return result.interrupted ? .interrupted : .end
    }

    /// Adds a line to the in-memory history (Up-arrow recalls it). Blank lines and a repeat of the
    /// previous line are not added.
    func addHistory(_ line: String) {
        guard isInteractive, !line.allSatisfy(\.isWhitespace), line != lastHistoryEntry else { return }
        lastHistoryEntry = line
        add_history(line)
    }

    /// Writes the history to `historyFile` (at most `historyLimit` entries), readable by the user
    /// only: queries can name patients. Failing to write it is not worth stopping the session for;
    /// a warning goes to stderr.
    func saveHistory() {
        guard isInteractive, let historyFile else { return }
        if write_history(historyFile) != 0 {
            Terminal.note("stratum: warning: could not write history to \(historyFile): \(String(cString: strerror(errno)))")
            return
        }
        _ = history_truncate_file(historyFile, Self.historyLimit)
        chmod(historyFile, 0o600)
    }
}

/// What the C callbacks of libedit reach, since they cannot capture a Swift context. Touched only
/// on the thread running the REPL (see `LineEditor`).
enum LineEditorState {
    nonisolated(unsafe) static var alive = false
    nonisolated(unsafe) static var completer: LineEditor.Completer?
    /// Candidates of the completion in progress, handed out one by one by `lineEditorGenerator`.
    nonisolated(unsafe) static var candidates: [String] = []
    nonisolated(unsafe) static var nextCandidate = 0

    /// libedit keeps the pointers it is given: these C strings live as long as the process.
    nonisolated(unsafe) static let readlineName: UnsafeMutablePointer<CChar> = strdup("stratum")
    nonisolated(unsafe) static let wordBreaks: UnsafeMutablePointer<CChar> = strdup(LineEditor.wordBreakCharacters)

    /// libedit decodes what is typed, and encodes the line it returns, with the C library's
    /// LC_CTYPE; a Swift program never calls `setlocale`, so it runs in the "C" locale, where
    /// libedit silently drops every non-ASCII character ("Sjögren" comes back as "Sjgren").
    /// Take the user's locale, and C.UTF-8 when that is not UTF-8 (Swift strings are UTF-8
    /// whatever the locale says). Only LC_CTYPE: number formatting (LC_NUMERIC) stays "C".
    static func useUTF8Locale() {
        if setlocale(LC_CTYPE, "") != nil, String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8" { return }
        if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "en_US.UTF-8") }
    }

    /// Creates the self-pipe once: the SIGINT and SIGCONT handlers write a byte to it, and
    /// `lineEditorGetc` waits on it beside stdin.
    static func prepareWakePipe() {
        guard lineEditorWakeRead < 0 else { return }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }  // then Ctrl-C still works while blocked in poll (EINTR)
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        }
        lineEditorWakeRead = fds[0]
        lineEditorWakeWrite = fds[1]
    }

    /// Runs `read` (a `readline` call) with our SIGINT and SIGCONT handlers installed, and reports
    /// whether SIGINT arrived.
    ///
    /// Why a handler, and only while reading: libedit keeps ISIG on in its raw mode, so Ctrl-C
    /// raises SIGINT, and with the default disposition that kills the process. libedit's own
    /// handler (`rl_catch_signals`, on by default) puts the terminal back in cooked mode, restores
    /// the handler it found (ours) and re-raises the signal with `kill(0, SIGINT)`, that is to
    /// the whole process group. Ours sets `lineEditorInterrupted` and writes to the self-pipe;
    /// `lineEditorGetc` sees that and reports end of input, so `readline` returns NULL and we
    /// tell Ctrl-C from Ctrl-D by the flag.
    ///
    /// SIGCONT reaches ours the same way after libedit has restored raw mode, so that
    /// `nextInputByte` can redraw the line.
    ///
    /// Outside `readline` the previous dispositions are back, so Ctrl-C during a long query
    /// behaves as the rest of the program decides (by default it stops the process).
    static func withInterruptibleRead(_ read: () -> UnsafeMutablePointer<CChar>?) -> (line: UnsafeMutablePointer<CChar>?, interrupted: Bool) {
        // Initialise and reset what the handlers touch before they can run.
        lineEditorInterrupted = 0
        lineEditorContinued = 0
        drainWakePipe()
        var action = sigaction()
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: a blocked poll must return EINTR
        action.__sigaction_handler.sa_handler = lineEditorSIGINT
        var previousINT = sigaction(), previousCONT = sigaction()
        sigaction(SIGINT, &action, &previousINT)
        action.__sigaction_handler.sa_handler = lineEditorSIGCONT
        sigaction(SIGCONT, &action, &previousCONT)
        let line = read()
        sigaction(SIGINT, &previousINT, nil)
        sigaction(SIGCONT, &previousCONT, nil)
        return (line, lineEditorInterrupted != 0)
    }

    static func drainWakePipe() {
        guard lineEditorWakeRead >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(lineEditorWakeRead, &buffer, buffer.count) > 0 {}
    }

    /// The next byte typed, or nil at end of input, on an error, or once Ctrl-C was pressed.
    ///
    /// It waits in `poll` on stdin *and* the self-pipe rather than in `read(2)` on stdin alone,
    /// because a SIGINT that arrives while libedit is not blocked in `read` (it prints the prompt
    /// before it switches the terminal to raw mode, echoes keys and runs the completer between
    /// reads) interrupts nothing: libedit's own reader would then block for the next key and the
    /// Ctrl-C would be lost. The pipe keeps the news until we look. The same goes for SIGCONT.
    static func nextInputByte() -> UInt8? {
        while true {
            if lineEditorInterrupted != 0 { return nil }
            if lineEditorContinued != 0 {
                // SIGCONT after Ctrl-Z and `fg`: libedit's handler has put the terminal back in
                // raw mode, and its own reader would redraw the line now; do the same, or the
                // prompt and what was typed stay missing from the screen. (Other signals, such
                // as SIGWINCH, need nothing: libedit's handler has taken the new width.)
                lineEditorContinued = 0
                rl_forced_update_display()
            }
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: lineEditorWakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if fds[1].revents != 0 {
                // A handler ran. Its flag was set before it wrote, so the checks above see it.
                drainWakePipe()
                continue
            }
            guard fds[0].revents != 0 else { continue }
            var byte: UInt8 = 0
            let count = read(STDIN_FILENO, &byte, 1)
            if count == 1 { return byte }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            return nil  // 0: the terminal hung up
        }
    }

    /// One character typed, decoded from UTF-8 (libedit's `rl_getc_function` hands back one
    /// `int` per call and stores it as a `wchar_t` without decoding), or nil as in `nextInputByte`.
    /// A malformed sequence becomes U+FFFD.
    static func nextInputScalar() -> Int32? {
        guard let lead = nextInputByte() else { return nil }
        var value: UInt32
        let continuation: Int
        switch lead {
        case 0x00..<0x80: return Int32(lead)
        case 0xC2...0xDF: continuation = 1; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: continuation = 2; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: continuation = 3; value = UInt32(lead & 0x07)
        default: return 0xFFFD
        }
        for _ in 0..<continuation {
            guard let next = nextInputByte() else { return nil }
            guard next & 0xC0 == 0x80 else { return 0xFFFD }
            value = value << 6 | UInt32(next & 0x3F)
        }
        let smallest: UInt32 = continuation == 1 ? 0x80 : continuation == 2 ? 0x800 : 0x10000
        guard value >= smallest, let scalar = Unicode.Scalar(value) else { return 0xFFFD }
        return Int32(scalar.value)
    }
}

// What the signal handlers touch: word-sized globals, and `write(2)` on a pipe, the kind of
// thing a signal handler may do. Initialised (by `prepareWakePipe` and `withInterruptibleRead`)
// before a handler is installed, so that no lazy initialisation runs inside one.
nonisolated(unsafe) var lineEditorInterrupted: sig_atomic_t = 0
/// Set by `lineEditorSIGCONT` (reached through libedit's handler, which re-raises the signal).
nonisolated(unsafe) var lineEditorContinued: sig_atomic_t = 0
nonisolated(unsafe) var lineEditorWakeRead: Int32 = -1
nonisolated(unsafe) var lineEditorWakeWrite: Int32 = -1

private let lineEditorSIGINT: @convention(c) (Int32) -> Void = { _ in
    let savedErrno = errno
    lineEditorInterrupted = 1
    var byte: UInt8 = 1
    _ = write(lineEditorWakeWrite, &byte, 1)
    errno = savedErrno
}

private let lineEditorSIGCONT: @convention(c) (Int32) -> Void = { _ in
    let savedErrno = errno
    lineEditorContinued = 1
    var byte: UInt8 = 1
    _ = write(lineEditorWakeWrite, &byte, 1)
    errno = savedErrno
}

/// `rl_getc_function`: the next character for libedit (Ctrl-D included: libedit decides what it
/// means), or -1, which libedit takes as end of input, when the terminal hangs up, on an error,
/// or after Ctrl-C.
private let lineEditorGetc: @convention(c) (UnsafeMutablePointer<FILE>?) -> Int32 = { _ in
    LineEditorState.nextInputScalar() ?? -1
}

/// `rl_attempted_completion_function`: asks the Swift completer for candidates and builds libedit's
/// match list (`rl_completion_matches` calls `lineEditorGenerator` until it returns NULL and puts
/// the longest common prefix first).
private let lineEditorAttemptCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, _, _ in
    // Without this, libedit falls back to completing file names when we have no candidates.
    rl_attempted_completion_over = 1
    let word = text.map { String(cString: $0) } ?? ""
    let line = rl_line_buffer.map { String(cString: $0) } ?? ""
    LineEditorState.candidates = LineEditorState.completer?(word, line) ?? []
    guard let text, !LineEditorState.candidates.isEmpty else { return nil }
    return rl_completion_matches(text, lineEditorGenerator)
}

/// `rl_compentry_func_t`: the next candidate, malloc'd (libedit frees it), or NULL after the last.
/// `state` is 0 on the first call of a completion; later calls pass a non-zero value (libedit
/// passes the count so far, GNU readline documents only "non-zero"), so we keep our own index.
private let lineEditorGenerator: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, state in
    if state == 0 { LineEditorState.nextCandidate = 0 }
    let index = LineEditorState.nextCandidate
    guard index < LineEditorState.candidates.count else { return nil }
    LineEditorState.nextCandidate += 1
    return strdup(LineEditorState.candidates[index])
}
