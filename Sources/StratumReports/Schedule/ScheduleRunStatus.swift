/// The state of one scheduled run in the `schedule_run` table.
public enum ScheduleRunStatus: String, Codable, Sendable {
    case running, succeeded, failed
}
