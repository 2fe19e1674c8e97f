/// One row of the `schedule_run` table: a run of a job for a slot, successful or not.
public struct ScheduleRunRecord: Equatable, Sendable {
    public var id: Int64
    public var job: String
    /// The slot's local date, `YYYY-MM-DD` (with `job`, the idempotency key).
    public var slot: String
    public var periodStart: String
    public var periodEnd: String
    public var measures: [String]
    public var formats: [String]
    /// The final output folder (absolute); it exists only after a successful run, until
    /// retention removes it.
    public var outputDirectory: String
    public var status: ScheduleRunStatus
    /// ISO 8601, UTC.
    public var startedAt: String
    public var finishedAt: String?
    /// Why a failed run failed (never patient data).
    public var error: String?
    /// JSON: what the run read (store path and data snapshot, value sets, config SHA-256, engine version).
    public var inputs: String
    /// The process that ran it (to recognise a run whose process died).
    public var pid: Int32?

    public init(id: Int64, job: String, slot: String, periodStart: String, periodEnd: String, measures: [String], formats: [String],
                outputDirectory: String, status: ScheduleRunStatus, startedAt: String, finishedAt: String?, error: String?,
                inputs: String, pid: Int32?) {
        self.id = id
        self.job = job
        self.slot = slot
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.measures = measures
        self.formats = formats
        self.outputDirectory = outputDirectory
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.error = error
        self.inputs = inputs
        self.pid = pid
    }
}
