import Foundation
import StratumStore

/// The `schedule_run` table of a store: every scheduled run, including failures. Claiming a slot
/// is a `BEGIN IMMEDIATE` transaction guarded by a unique index on (job, slot) over running and
/// succeeded rows, so two processes can never both run a job's slot, whatever the file lock does.
public final class ScheduleRunLog {
    public let db: Database

    public init(database: Database) {
        db = database
    }

    /// The outcome of trying to claim a slot.
    public enum Claim: Equatable, Sendable {
        /// This process now owns the slot: a `running` row with this id.
        case claimed(Int64)
        /// The slot already has a running or successful run.
        case taken(ScheduleRunRecord)
    }

    /// False when the store predates the table (a store opened read-only before migration 3).
    public func tableExists() throws -> Bool {
        try db.scalar("SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schedule_run')").int == 1
    }

    private static let columns = "id, job, slot, period_start, period_end, measures, formats, output_dir, status, started_at, finished_at, error, inputs, pid"

    /// Rows of `job`'s `slot` (a `YYYY-MM-DD` date), oldest first.
    public func runs(job: String, slot: String) throws -> [ScheduleRunRecord] {
        try db.query("SELECT \(Self.columns) FROM schedule_run WHERE job = ? AND slot = ? ORDER BY id", [.text(job), .text(slot)]).map(Self.record)
    }

    /// The most recent rows first (by start, then id), optionally of one job.
    public func recent(limit: Int, job: String? = nil) throws -> [ScheduleRunRecord] {
        if let job {
            return try db.query("SELECT \(Self.columns) FROM schedule_run WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT ?",
                                [.text(job), .integer(Int64(limit))]).map(Self.record)
        }
        return try db.query("SELECT \(Self.columns) FROM schedule_run ORDER BY started_at DESC, id DESC LIMIT ?", [.integer(Int64(limit))]).map(Self.record)
    }

    /// The row with `id`.
    public func run(id: Int64) throws -> ScheduleRunRecord? {
        try db.query("SELECT \(Self.columns) FROM schedule_run WHERE id = ?", [.integer(id)]).first.map(Self.record)
    }

    /// Every `running` row.
    public func running() throws -> [ScheduleRunRecord] {
        try db.query("SELECT \(Self.columns) FROM schedule_run WHERE status = 'running' ORDER BY id").map(Self.record)
    }

    /// `job`'s successful runs, the most recent slot first (ties: the later run first).
    public func succeeded(job: String) throws -> [ScheduleRunRecord] {
        try db.query("SELECT \(Self.columns) FROM schedule_run WHERE job = ? AND status = 'succeeded' ORDER BY slot DESC, id DESC",
                     [.text(job)]).map(Self.record)
    }

    /// Claims `job`'s `slot` for this process by inserting a `running` row, unless the slot
    /// already has a running or successful run.
    public func claim(job: String, slot: String, period: MeasurementPeriod, measures: [String], formats: [String],
                      outputDirectory: String, inputs: String, pid: Int32, startedAt: Date) throws -> Claim {
        func taken() throws -> ScheduleRunRecord? {
            try db.query("SELECT \(Self.columns) FROM schedule_run WHERE job = ? AND slot = ? AND status IN ('running', 'succeeded') ORDER BY id DESC LIMIT 1",
                         [.text(job), .text(slot)]).first.map(Self.record)
        }
        do {
            return try db.transaction {
                if let existing = try taken() { return .taken(existing) }
                try db.run("""
                    INSERT INTO schedule_run (job, slot, period_start, period_end, measures, formats, output_dir, status, started_at, inputs, pid)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)
                    """,
                    [.text(job), .text(slot), .text(period.start.iso), .text(period.end.iso), .text(Self.json(measures)), .text(Self.json(formats)),
                     .text(outputDirectory), .text(Self.timestamp(startedAt)), .text(inputs), .integer(Int64(pid))])
                return .claimed(db.lastInsertRowID)
            }
        } catch let error as StoreError where error.code & 0xFF == 19 {
            // SQLITE_CONSTRAINT: another process claimed the slot between our read and insert.
            if let existing = try taken() { return .taken(existing) }
            throw error
        }
    }

    /// Marks run `id` finished.
    public func finish(id: Int64, status: ScheduleRunStatus, at finishedAt: Date, error: String? = nil) throws {
        try db.run("UPDATE schedule_run SET status = ?, finished_at = ?, error = ? WHERE id = ?",
                   [.text(status.rawValue), .text(Self.timestamp(finishedAt)), error.map { .text($0) } ?? .null, .integer(id)])
    }

    /// Marks `running` rows whose process is gone (`isAlive` false), or that started more than
    /// `staleAfter` seconds before `now`, as failed, so their jobs become due again. Call it while
    /// holding the schedule lock. Returns the rows it marked, as they are now.
    public func recoverStale(now: Date, staleAfter: TimeInterval, isAlive: (Int32) -> Bool) throws -> [ScheduleRunRecord] {
        var recovered: [ScheduleRunRecord] = []
        for row in try running() {
            guard let reason = Self.staleReason(row, now: now, staleAfter: staleAfter, isAlive: isAlive) else { continue }
            try db.run("UPDATE schedule_run SET status = 'failed', finished_at = ?, error = ? WHERE id = ? AND status = 'running'",
                       [.text(Self.timestamp(now)), .text(reason), .integer(row.id)])
            if let updated = try run(id: row.id) { recovered.append(updated) }
        }
        return recovered
    }

    /// Why a `running` row is abandoned, or nil when it may still be running.
    public static func staleReason(_ row: ScheduleRunRecord, now: Date, staleAfter: TimeInterval, isAlive: (Int32) -> Bool) -> String? {
        guard row.status == .running else { return nil }
        if let pid = row.pid, !isAlive(pid) {
            return "abandoned: process \(pid) ended without finishing the run (crashed or killed)"
        }
        guard let started = date(row.startedAt) else { return "abandoned: unreadable start time '\(row.startedAt)'" }
        if now.timeIntervalSince(started) > staleAfter {
            return "abandoned: still marked running \(duration(now.timeIntervalSince(started))) after it started (limit \(duration(staleAfter)))"
        }
        return nil
    }

    // MARK: Encoding

    /// ISO 8601 UTC with milliseconds, the form `started_at` and `finished_at` hold.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// Reads a `timestamp(_:)` (or one without fractional seconds).
    public static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s < 120 { return "\(s) s" }
        if s < 7200 { return "\(s / 60) min" }
        return "\(s / 3600) h"
    }

    static func json(_ strings: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: strings, options: [])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func strings(_ json: String?) -> [String] {
        guard let json, let value = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String] else { return [] }
        return value
    }

    private static func record(_ row: Row) -> ScheduleRunRecord {
        ScheduleRunRecord(
            id: row[0].int ?? 0, job: row[1].text ?? "", slot: row[2].text ?? "",
            periodStart: row[3].text ?? "", periodEnd: row[4].text ?? "",
            measures: strings(row[5].text), formats: strings(row[6].text), outputDirectory: row[7].text ?? "",
            status: ScheduleRunStatus(rawValue: row[8].text ?? "") ?? .failed,
            startedAt: row[9].text ?? "", finishedAt: row[10].text, error: row[11].text, inputs: row[12].text ?? "{}",
            pid: row[13].int.map { Int32(truncatingIfNeeded: $0) })
    }
}
