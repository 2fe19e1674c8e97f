/// Whether a job should run now, for its latest slot at or before now.
public enum DueDecision: Equatable, Sendable {
    /// The slot has no successful run and none in progress (never run, or only failed runs).
    case due(ScheduleSlot)
    /// The slot already has a successful run (`runID`).
    case done(ScheduleSlot, runID: Int64)
    /// A run of the slot is in progress in another process.
    case running(ScheduleSlot, runID: Int64, pid: Int32?)
    /// The job is disabled in the config.
    case disabled(ScheduleSlot)

    public var slot: ScheduleSlot {
        switch self {
        case .due(let s), .done(let s, _), .running(let s, _, _), .disabled(let s): s
        }
    }

    public var isDue: Bool {
        if case .due = self { return true }
        return false
    }
}
