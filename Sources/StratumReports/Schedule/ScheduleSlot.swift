import Foundation

/// One scheduled occurrence of a job: the local date and time it is due, and the instant that is
/// in the evaluator's time zone. The job name plus the slot date is the idempotency key: at most
/// one successful run per job and slot date.
public struct ScheduleSlot: Hashable, Sendable, CustomStringConvertible {
    public let job: String
    /// The local date of the slot; also the run date the measurement period is computed from.
    public let date: LocalDate
    public let time: TimeOfDay
    /// When the slot begins. On a day when the local time does not exist (a DST gap) it is the
    /// first instant after the gap; when it happens twice (DST ends), the first.
    public let instant: Date

    public init(job: String, date: LocalDate, time: TimeOfDay, instant: Date) {
        self.job = job
        self.date = date
        self.time = time
        self.instant = instant
    }

    /// `YYYY-MM-DD HH:MM` (local).
    public var description: String { "\(date.iso) \(time)" }
}
