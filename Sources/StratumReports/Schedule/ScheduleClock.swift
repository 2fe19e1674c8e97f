import Foundation

/// Where the scheduler gets the current time, so tests and `--now` can fix it. (The store's
/// `Clock` only formats wall-clock stamps; this one is injectable.)
public protocol ScheduleClock: Sendable {
    func now() -> Date
}
