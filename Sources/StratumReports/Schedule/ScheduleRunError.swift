/// A scheduler problem outside the runner: the output folder cannot be published, the store is
/// missing. Messages name paths, never patient data.
public struct ScheduleRunError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
