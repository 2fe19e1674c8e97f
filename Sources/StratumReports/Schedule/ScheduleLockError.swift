/// The lock file could not be opened or locked (not: another process holds it).
public struct ScheduleLockError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String

    public var description: String { "cannot lock \(path): \(message)" }
}
