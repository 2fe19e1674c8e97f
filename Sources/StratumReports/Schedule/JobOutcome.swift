import Foundation

/// What `run-due` did with one job, for the one line it prints per job.
public struct JobOutcome: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The job ran and its output is in place.
        case ran
        /// The job was not due (its slot already succeeded, is running elsewhere, or it is disabled),
        /// or its store's lock was held by another `run-due`.
        case skipped
        /// The job ran and failed; nothing was written to its output folder.
        case failed
        /// `--dry-run`: the job is due and would run.
        case wouldRun = "would run"
    }

    public var kind: Kind
    public var job: String
    public var slot: ScheduleSlot?
    public var period: MeasurementPeriod?
    /// The final output folder (absolute).
    public var outputDirectory: String?
    /// The run log row, when one was written or found.
    public var runID: Int64?
    /// Why it was skipped or how it failed; for a run, a summary ("3 files").
    public var detail: String
    /// Output folders removed by retention after this run.
    public var removed: [String]

    public init(kind: Kind, job: String, slot: ScheduleSlot?, period: MeasurementPeriod?, outputDirectory: String?,
                runID: Int64?, detail: String, removed: [String] = []) {
        self.kind = kind
        self.job = job
        self.slot = slot
        self.period = period
        self.outputDirectory = outputDirectory
        self.runID = runID
        self.detail = detail
        self.removed = removed
    }
}
