import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive, non-blocking `flock(2)` on a lock file beside a store (`<db>.schedule.lock`), so
/// that two overlapping `stratum schedule run-due` invocations never both run jobs on one store.
/// The holder writes its pid into the file; the lock is released when `release()` is called, the
/// lock is deinitialised, or the process ends (the kernel drops it even after a crash, so a lock
/// file left behind is never stale).
public final class ScheduleLock {
    public let path: String
    private var descriptor: Int32

    /// The outcome of trying to take the lock.
    public enum Attempt {
        case acquired(ScheduleLock)
        /// Another open file description holds it; `pid` is what the holder wrote, when readable.
        case held(pid: Int32?)
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { release() }

    /// The lock file for the store at `databasePath`: beside the store's real file (symlinks
    /// resolved, so two spellings of one store share one lock).
    public static func lockPath(forDatabase databasePath: String) -> String {
        URL(fileURLWithPath: databasePath).standardizedFileURL.resolvingSymlinksInPath().path + ".schedule.lock"
    }

    /// Tries to take the lock at `path` without waiting.
    public static func acquire(path: String) throws -> Attempt {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ScheduleLockError(path: path, message: String(cString: strerror(errno)))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            let pid = readPid(fd)
            close(fd)
            if code == EWOULDBLOCK || code == EAGAIN { return .held(pid: pid) }
            throw ScheduleLockError(path: path, message: String(cString: strerror(code)))
        }
        let text = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        return .acquired(ScheduleLock(path: path, descriptor: fd))
    }

    /// Releases the lock (the file stays; its presence means nothing).
    public func release() {
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, 0)
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    private static func readPid(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Whether a process with `pid` exists (signal 0 probes without sending anything).
    public static func isProcessAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
