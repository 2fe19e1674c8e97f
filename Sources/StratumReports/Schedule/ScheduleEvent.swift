/// Something `run-due` reports, in the order it happened.
public enum ScheduleEvent: Sendable, Equatable {
    /// Another `run-due` holds the lock of the store at `databasePath`; none of `jobs` ran.
    case lockHeld(databasePath: String, pid: Int32?, jobs: [String])
    /// A `running` row whose process died (or that outlived the time limit) was marked failed;
    /// its job is due again.
    case recovered(ScheduleRunRecord)
    /// One job's outcome.
    case job(JobOutcome)
    /// Something went wrong that did not fail a job (retention could not delete a folder).
    case warning(String)

    /// The line `run-due` prints for the event.
    public var line: String {
        switch self {
        case .lockHeld(_, let pid, _):
            return "another `stratum schedule run-due` holds the lock (pid \(pid.map(String.init) ?? "unknown")); nothing run"
        case .recovered(let row):
            return "recovered run \(row.id) of \(row.job) (slot \(row.slot)): \(row.error ?? "abandoned")"
        case .job(let outcome):
            var text = outcome.kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + " " + outcome.job
            if let slot = outcome.slot { text += "  slot \(slot)" }
            if let period = outcome.period { text += "  period \(period)" }
            if let out = outcome.outputDirectory { text += "  → \(out)" }
            if !outcome.detail.isEmpty { text += "  (\(outcome.detail))" }
            if !outcome.removed.isEmpty { text += "; retention removed \(outcome.removed.count) older folder\(outcome.removed.count == 1 ? "" : "s")" }
            return text
        case .warning(let message):
            return "warning: \(message)"
        }
    }
}
