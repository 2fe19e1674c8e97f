import Foundation
import XCTest
#if canImport(Glibc)
import Glibc

/// Runs a program on a pseudo-terminal, as a person at a terminal would, for tests of
/// interactive behaviour (line editing, completion, Ctrl-C) that pipes cannot show: with a pipe
/// on stdin, `isatty` is false and the program never starts its line editor.
///
/// The child gets a session of its own (`setsid`) with the pty as its controlling terminal, so
/// Ctrl-C typed into the master becomes SIGINT for the child's foreground process group, not
/// for the test. It is started with `posix_spawn`, not `fork`: forking a multi-threaded test
/// process and running Swift code in the child before `exec` is unsafe.
///
/// Nothing here blocks without a deadline: `expect` and `waitForExit` take timeouts and throw
/// when they pass, and the child is killed when the `PseudoTerminal` goes away.
final class PseudoTerminal {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    private let master: Int32
    /// The parent keeps the slave side open too, so that reading the master never sees a hang-up
    /// before the child has opened it (or after it exits); the child's end is detected with
    /// `waitpid`, not with EOF.
    private let slave: Int32
    /// Everything the child has written, as bytes.
    private var raw: [UInt8] = []
    /// How many unicode scalars of the stripped transcript `expect` has consumed.
    private var consumed = 0
    private(set) var exitStatus: Int32?

    /// Starts `executable` with `arguments` on a new `columns` × `rows` pty.
    ///
    /// The environment is the test's, with `TERM=xterm` (libedit needs a known terminal to bind
    /// arrow keys and to redraw), without `COLUMNS`/`LINES` (which would override the pty size)
    /// and without `EDITRC`, then `environment` on top (pass `HOME` to keep a user's `~/.editrc`
    /// out of a test).
    init(executable: String, arguments: [String], environment: [String: String] = [:],
         columns: UInt16 = 80, rows: UInt16 = 24) throws {
        let pty = try Self.openMaster()
        master = pty.master
        slave = open(pty.slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else {
            close(master)
            throw Failure(description: "cannot open \(pty.slavePath): \(String(cString: strerror(errno)))")
        }
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)

        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm"
        for name in ["COLUMNS", "LINES", "EDITRC"] { env[name] = nil }
        env.merge(environment) { $1 }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened in the child after setsid and without O_NOCTTY: the pty becomes its controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, pty.slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Ignored signals survive exec: if the test runner ignores SIGINT or SIGPIPE, the child
        // would too, and a Ctrl-C test could pass for the wrong reason. Reset them and unblock all.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD, SIGWINCH, SIGALRM, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(Self.spawnSetSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            close(master)
            close(slave)
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        pid = child
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }
        close(master)
        close(slave)
    }

    /// Types `text` (control characters included: "\r" is Enter, "\u{03}" Ctrl-C, "\u{04}"
    /// Ctrl-D, "\t" TAB, "\u{1B}[A" Up).
    func send(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw Failure(description: "write to pty: \(String(cString: strerror(errno)))")
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Resizes the terminal, as a person dragging the window's corner does: the kernel records
    /// the new size (what `TIOCGWINSZ` then reports to the program) and sends SIGWINCH to the
    /// terminal's foreground process group.
    func setWindowSize(rows: UInt16, cols: UInt16) throws {
        var size = winsize(ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0)
        guard ioctl(master, UInt(TIOCSWINSZ), &size) == 0 else {
            throw Failure(description: "TIOCSWINSZ: \(String(cString: strerror(errno)))")
        }
    }

    /// Sends `signal` to the program (as `kill(1)` would, not through the terminal).
    func signal(_ signal: Int32) {
        if exitStatus == nil { kill(pid, signal) }
    }

    /// Waits until `substring` appears in the output after what earlier `expect`s consumed, and
    /// returns the output up to and including it (escape sequences and CR removed); the next
    /// `expect` starts after it. Throws, with what was seen, when `timeout` passes or the
    /// program exits first.
    @discardableResult
    func expect(_ substring: String, timeout: TimeInterval = 10) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let text = Self.stripEscapes(String(decoding: raw, as: UTF8.self))
            let scalars = text.unicodeScalars
            let start = scalars.index(scalars.startIndex, offsetBy: min(consumed, scalars.count))
            let rest = String(scalars[start...])
            if let range = rest.range(of: substring) {
                let matched = String(rest[..<range.upperBound])
                consumed += matched.unicodeScalars.count
                return matched
            }
            if Date() >= deadline {
                throw Failure(description: "timed out after \(timeout)s waiting for \(substring.debugDescription); saw \(rest.debugDescription)")
            }
            if !pump(until: min(deadline, Date().addingTimeInterval(0.1))), let status = reap() {
                _ = pump(until: Date())  // whatever it wrote just before exiting
                if Self.stripEscapes(String(decoding: raw, as: UTF8.self)).unicodeScalars.count > text.unicodeScalars.count { continue }
                throw Failure(description: "process exited with \(status) before showing \(substring.debugDescription); saw \(rest.debugDescription)")
            }
        }
    }

    /// Waits until the program has switched the terminal out of canonical (line-at-a-time) mode,
    /// that is until a line editor is reading keys one by one.
    ///
    /// Needed after each prompt: libedit prints its prompt *before* it puts the terminal in raw
    /// mode, and keys sent in between are handled by the terminal driver instead: echoed twice
    /// (once by the driver, once by libedit's redraw), with Ctrl-D taken as the driver's EOF
    /// and Ctrl-C flushing the input. A person typing ahead sees the same; a test must not race it.
    func waitForRawMode(timeout: TimeInterval = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            var settings = termios()
            if tcgetattr(slave, &settings) == 0 && settings.c_lflag & tcflag_t(ICANON) == 0 { return }
            if let status = reap() {
                throw Failure(description: "process exited with \(status) before reading keys; saw \(transcript.debugDescription)")
            }
            if Date() >= deadline {
                throw Failure(description: "terminal still in canonical mode after \(timeout)s; saw \(transcript.debugDescription)")
            }
            _ = pump(until: Date().addingTimeInterval(0.005))
        }
    }

    /// The output not yet consumed by `expect`, after reading for `duration` (for checking that
    /// something does *not* appear).
    func drain(for duration: TimeInterval) -> String {
        let deadline = Date().addingTimeInterval(duration)
        while Date() < deadline { _ = pump(until: deadline) }
        let scalars = Self.stripEscapes(String(decoding: raw, as: UTF8.self)).unicodeScalars
        return String(scalars[scalars.index(scalars.startIndex, offsetBy: min(consumed, scalars.count))...])
    }

    /// Everything the program has shown so far, escape sequences removed.
    var transcript: String { Self.stripEscapes(String(decoding: raw, as: UTF8.self)) }

    var isRunning: Bool { reap() == nil }

    /// The exit status (128 + N when killed by signal N), once the program ends within `timeout`.
    func waitForExit(timeout: TimeInterval = 10) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let status = reap() { return status }
            if Date() >= deadline {
                throw Failure(description: "still running after \(timeout)s; output: \(transcript.debugDescription)")
            }
            // Keep reading: a child blocked writing to a full pty would never exit.
            _ = pump(until: min(deadline, Date().addingTimeInterval(0.05)))
        }
    }

    // MARK: - Internals

    /// Reads what is available until `deadline`; true if anything was read.
    private func pump(until deadline: Date) -> Bool {
        var got = false
        while true {
            let remaining = max(0, Int(deadline.timeIntervalSinceNow * 1000))
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(got ? 0 : remaining))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0, descriptor.revents & Int16(POLLIN) != 0 else { return got }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            guard count > 0 else { return got }
            raw.append(contentsOf: buffer[..<count])
            got = true
        }
    }

    /// The exit status if the child has ended (reaping it once).
    private func reap() -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import (they are macros).
        exitStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return exitStatus
    }

    /// glibc's POSIX_SPAWN_SETSID (2.26+); `spawn.h` defines it only for _GNU_SOURCE, which the
    /// Glibc module does not import.
    private static let spawnSetSID: Int32 = 0x80

    /// A new pty master and its slave's path. posix_openpt, grantpt, unlockpt and ptsname_r
    /// are looked up at run time: `stdlib.h` declares them only for _XOPEN_SOURCE, so the Glibc
    /// module does not import them.
    private static func openMaster() throws -> (master: Int32, slavePath: String) {
        typealias IntFunction = @convention(c) (Int32) -> Int32
        typealias PtsnameR = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32
        let libc = dlopen(nil, RTLD_NOW)
        guard let openpt = dlsym(libc, "posix_openpt"), let grant = dlsym(libc, "grantpt"),
              let unlock = dlsym(libc, "unlockpt"), let ptsname = dlsym(libc, "ptsname_r") else {
            throw Failure(description: "libc has no posix_openpt/grantpt/unlockpt/ptsname_r")
        }
        let master = unsafeBitCast(openpt, to: IntFunction.self)(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw Failure(description: "posix_openpt: \(String(cString: strerror(errno)))") }
        var name = [CChar](repeating: 0, count: 256)
        guard unsafeBitCast(grant, to: IntFunction.self)(master) == 0,
              unsafeBitCast(unlock, to: IntFunction.self)(master) == 0,
              unsafeBitCast(ptsname, to: PtsnameR.self)(master, &name, name.count) == 0 else {
            let message = String(cString: strerror(errno))
            close(master)
            throw Failure(description: "setting up pty: \(message)")
        }
        return (master, String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// `text` without terminal control sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL`,
    /// DCS/PM/APC strings, two- and three-character escapes), carriage returns and bells, so
    /// tests match what a person would read. An escape cut off at the end is dropped (the rest of
    /// it has not arrived yet).
    static func stripEscapes(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "\r" || c == "\u{07}" { i += 1; continue }
            guard c == "\u{1B}" else { out.append(c); i += 1; continue }
            guard i + 1 < scalars.count else { break }
            let kind = scalars[i + 1]
            i += 2
            switch kind {
            case "[":
                while i < scalars.count && !(0x40...0x7E).contains(scalars[i].value) { i += 1 }
                i += 1
            case "]", "P", "_", "^", "X":
                while i < scalars.count {
                    if scalars[i] == "\u{07}" { i += 1; break }
                    if scalars[i] == "\u{1B}" && i + 1 < scalars.count && scalars[i + 1] == "\\" { i += 2; break }
                    i += 1
                }
            case "(", ")", "*", "+", "#", "%":
                i += 1
            default:
                break
            }
        }
        return String(out)
    }
}
#endif
