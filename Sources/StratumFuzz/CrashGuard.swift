#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Keeps the input being processed where a dying process can still write it out.
///
/// A Swift trap (`fatalError`, an overflow, an index out of range) raises SIGILL/SIGTRAP, a
/// runaway recursion SIGSEGV on the guard page. The handler runs on its own stack and uses
/// only `open`/`write`/`close`: it copies the current input to `crash.stratum`, writes the seed
/// and index to `crash.txt`, prints how to replay, and re-raises the signal. A watchdog thread
/// does the same for an input that runs past the hang limit. As a last resort against SIGKILL
/// (the OOM killer), `current.txt` always holds the seed and index of the input in progress.
enum CrashGuard {
    nonisolated(unsafe) static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    static let capacity = 4 << 20
    nonisolated(unsafe) static var length = 0
    nonisolated(unsafe) static var truncated = false
    nonisolated(unsafe) static var seed: UInt64 = 0
    nonisolated(unsafe) static var index: UInt64 = 0
    /// Monotonic start of the current input in nanoseconds; 0 when idle.
    nonisolated(unsafe) static var startedAt: UInt64 = 0
    nonisolated(unsafe) static var crashPath: UnsafeMutablePointer<CChar>? = nil
    nonisolated(unsafe) static var crashInfoPath: UnsafeMutablePointer<CChar>? = nil
    nonisolated(unsafe) static var currentFD: Int32 = -1
    nonisolated(unsafe) static var replayCommand: UnsafeMutablePointer<CChar>? = nil
    /// False when the input came from a file: then seed and index mean nothing.
    nonisolated(unsafe) static var generated = true
    nonisolated(unsafe) static var hangNanoseconds: UInt64 = 10_000_000_000
    nonisolated(unsafe) static var digits = UnsafeMutablePointer<UInt8>.allocate(capacity: 32)

    static func install(directory: String, executable: String, hangSeconds: Double) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        crashPath = strdup(directory + "/crash.stratum")
        crashInfoPath = strdup(directory + "/crash.txt")
        replayCommand = strdup(executable + " --replay")
        currentFD = open(directory + "/current.txt", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        hangNanoseconds = UInt64(hangSeconds * 1e9)

        // An alternate stack, so a stack overflow can still be reported.
        let altSize = 1 << 18
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: altSize, alignment: 16)
        stack.ss_size = altSize
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
        for sig in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = crashSignalHandler
            #else
            action.__sigaction_u.__sa_handler = crashSignalHandler
            #endif
            action.sa_flags = Int32(truncatingIfNeeded: Int(SA_ONSTACK) | Int(SA_RESETHAND))
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, nil)
        }
        let watchdog = Thread { watchdogLoop() }
        watchdog.stackSize = 1 << 20
        watchdog.start()
    }

    /// Records the input about to run. Cheap: a copy into a preallocated buffer and, for the
    /// SIGKILL case, one `pwrite` of a fixed-width line.
    static func begin(seed: UInt64, index: UInt64, text: String) {
        self.seed = seed
        self.index = index
        var text = text
        text.withUTF8 { utf8 in
            let n = min(utf8.count, capacity)
            if let base = utf8.baseAddress { buffer.update(from: base, count: n) }
            length = n
            truncated = utf8.count > capacity
        }
        if currentFD >= 0 {
            var line = Array("seed \(pad(seed)) index \(pad(index))\n".utf8)
            _ = pwrite(currentFD, &line, line.count, 0)
        }
        startedAt = now()
    }

    static func end() { startedAt = 0 }

    /// For an input read from a file: the replay hint names the file.
    static func replaying(file path: String, executable: String) {
        generated = false
        replayCommand = strdup(executable + " --replay-file " + path)
    }

    /// Writes `text` to `path` with plain POSIX calls (FileManager writes atomically and syncs,
    /// which costs more than fuzzing the input).
    static func save(_ text: String, to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        var text = text
        text.withUTF8 { utf8 in if let base = utf8.baseAddress { _ = Glibc_write(fd, base, utf8.count) } }
        close(fd)
    }

    static func pad(_ v: UInt64) -> String { let s = String(v); return String(repeating: " ", count: max(0, 20 - s.count)) + s }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// CPU time of the calling thread, in nanoseconds: what an input costs, whatever else the
    /// machine is doing.
    static func cpuNow() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static func watchdogLoop() {
        while true {
            usleep(100_000)
            let started = startedAt
            if started != 0, now() > started, now() - started > hangNanoseconds, startedAt == started {
                report(reason: "hang: an input ran past the hang limit")
                _exit(3)
            }
        }
    }

    // MARK: - Async-signal-safe reporting

    static func write(_ fd: Int32, _ text: StaticString) {
        _ = Glibc_write(fd, text.utf8Start, text.utf8CodeUnitCount)
    }

    static func write(_ fd: Int32, cString: UnsafeMutablePointer<CChar>?) {
        guard let cString else { return }
        _ = Glibc_write(fd, cString, strlen(cString))
    }

    static func write(_ fd: Int32, number: UInt64) {
        var v = number, n = 0
        repeat { digits[31 - n] = UInt8(48 + v % 10); v /= 10; n += 1 } while v > 0 && n < 31
        _ = Glibc_write(fd, digits + (32 - n), n)
    }

    static func report(reason: StaticString, signal: Int32 = 0) {
        if let crashPath {
            let fd = open(crashPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if fd >= 0 { _ = Glibc_write(fd, buffer, length); close(fd) }
        }
        if let crashInfoPath {
            let fd = open(crashInfoPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if fd >= 0 {
                write(fd, "seed "); write(fd, number: seed); write(fd, " index "); write(fd, number: index); write(fd, "\n"); close(fd)
            }
        }
        write(2, "\nstratum-fuzz: "); write(2, reason)
        if signal != 0 { write(2, " (signal "); write(2, number: UInt64(signal)); write(2, ")") }
        if generated { write(2, "\n  input: seed "); write(2, number: seed); write(2, " index "); write(2, number: index) }
        write(2, "\n  saved to "); write(2, cString: crashPath)
        if truncated { write(2, " (first 4 MiB; replay regenerates all of it)") }
        write(2, "\n  replay: "); write(2, cString: replayCommand)
        if generated { write(2, " "); write(2, number: seed); write(2, " "); write(2, number: index) }
        if generated {
            write(2, "\nfuzz: FAILED (crash or hang on seed "); write(2, number: seed); write(2, " index "); write(2, number: index); write(2, ")\n")
        } else {
            write(2, "\nfuzz: FAILED (crash or hang)\n")
        }
    }
}

@inline(__always) func Glibc_write(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, pointer, count)
    #else
    return Darwin.write(fd, pointer, count)
    #endif
}

private func crashSignalHandler(_ signal: Int32) {
    CrashGuard.report(reason: "crash: the process received a fatal signal", signal: signal)
    raise(signal)   // SA_RESETHAND restored the default action: die with the same signal
}
