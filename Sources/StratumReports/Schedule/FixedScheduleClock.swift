import Foundation

/// A clock stopped at one instant (tests; `stratum schedule run-due --now`).
public struct FixedScheduleClock: ScheduleClock {
    public var instant: Date

    public init(_ instant: Date) {
        self.instant = instant
    }

    public func now() -> Date { instant }
}
