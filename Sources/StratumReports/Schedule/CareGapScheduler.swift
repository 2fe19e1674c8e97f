import Foundation
import StratumStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a schedule config's due jobs (`stratum schedule run-due`).
///
/// Per store the jobs use, in config order: take the store's schedule lock (or report it held and
/// run nothing there), mark abandoned `running` rows failed, then for each due job claim its slot
/// in the run log, run the `CareGapJobRunner` into a temporary folder, publish the folder, record
/// the outcome and apply retention. See docs/SCHEDULING.md.
public final class CareGapScheduler {
    public let config: ScheduleConfig
    public let runner: any CareGapJobRunner
    public let evaluator: ScheduleEvaluator
    /// Stamps `started_at`/`finished_at` and judges how old a `running` row is. `now` for due
    /// decisions defaults to it too, but `runDue(now:)` can evaluate another instant (backfill).
    public let clock: any ScheduleClock
    /// A `running` row older than this is taken as abandoned even if its pid is alive (pids are reused).
    public var staleAfter: TimeInterval = 12 * 3600
    /// How a row's pid is checked (injectable for tests).
    public var isProcessAlive: (Int32) -> Bool = ScheduleLock.isProcessAlive
    /// Recorded in `running` rows.
    public var pid: Int32 = getpid()

    public init(config: ScheduleConfig, runner: any CareGapJobRunner, timeZone: TimeZone = .current,
                clock: any ScheduleClock = SystemScheduleClock()) {
        self.config = config
        self.runner = runner
        self.evaluator = ScheduleEvaluator(timeZone: timeZone)
        self.clock = clock
    }

    /// The config's jobs grouped by store (two spellings of one file are one store), stores in
    /// order of first use.
    public var jobsByStore: [(databasePath: String, jobs: [ScheduledJob])] {
        var groups: [(databasePath: String, jobs: [ScheduledJob])] = []
        for job in config.jobs {
            let lock = ScheduleLock.lockPath(forDatabase: job.databasePath)
            if let i = groups.firstIndex(where: { ScheduleLock.lockPath(forDatabase: $0.databasePath) == lock }) {
                groups[i].jobs.append(job)
            } else {
                groups.append((job.databasePath, [job]))
            }
        }
        return groups
    }

    /// Runs every job due at `now` (default: the clock's now). With `dryRun`, takes no lock and
    /// writes nothing, and reports due jobs as `would run`. `onEvent` sees each event as it happens.
    @discardableResult
    public func runDue(now: Date? = nil, dryRun: Bool = false, onEvent: (ScheduleEvent) -> Void = { _ in }) -> [ScheduleEvent] {
        let now = now ?? clock.now()
        var events: [ScheduleEvent] = []
        func emit(_ event: ScheduleEvent) {
            events.append(event)
            onEvent(event)
        }
        for (databasePath, jobs) in jobsByStore {
            guard FileManager.default.fileExists(atPath: databasePath) else {
                // A disabled job does not run, so its missing store is not a failure.
                for job in jobs where job.enabled {
                    emit(.job(JobOutcome(kind: .failed, job: job.name, slot: evaluator.latestSlot(for: job, atOrBefore: now), period: nil,
                                         outputDirectory: nil, runID: nil,
                                         detail: "no store at \(databasePath) (create one with 'stratum import ARCHIVE --db \(databasePath)')")))
                }
                continue
            }
            var lock: ScheduleLock?
            if !dryRun {
                do {
                    switch try ScheduleLock.acquire(path: ScheduleLock.lockPath(forDatabase: databasePath)) {
                    case .acquired(let acquired): lock = acquired
                    case .held(let holder):
                        emit(.lockHeld(databasePath: databasePath, pid: holder, jobs: jobs.map(\.name)))
                        continue
                    }
                } catch {
                    for job in jobs { emit(.job(failure(job, now: now, "\(error)"))) }
                    continue
                }
            }
            defer { lock?.release() }
            let store: Store
            do {
                store = try Store(path: databasePath, readOnly: dryRun)
            } catch {
                for job in jobs { emit(.job(failure(job, now: now, "cannot open store \(databasePath): \(error)"))) }
                continue
            }
            let log = ScheduleRunLog(database: store.db)
            do {
                if dryRun {
                    try dryRunJobs(jobs, store: store, log: log, now: now, emit: emit)
                } else {
                    for row in try log.recoverStale(now: clock.now(), staleAfter: staleAfter, isAlive: isProcessAlive) {
                        emit(.recovered(row))
                    }
                    for job in jobs { emit(.job(runIfDue(job, store: store, log: log, now: now, emit: emit))) }
                }
            } catch {
                for job in jobs { emit(.job(failure(job, now: now, "run log: \(error)"))) }
            }
        }
        return events
    }

    /// True when any job in `events` failed (`run-due` then exits 1).
    public static func anyFailed(_ events: [ScheduleEvent]) -> Bool {
        events.contains { if case .job(let o) = $0 { o.kind == .failed } else { false } }
    }

    // MARK: One job

    private func runIfDue(_ job: ScheduledJob, store: Store, log: ScheduleRunLog, now: Date, emit: (ScheduleEvent) -> Void) -> JobOutcome {
        let latest = evaluator.latestSlot(for: job, atOrBefore: now)
        let period = job.period.period(runDate: latest.date)
        let final = job.outputDirectory(runDate: latest.date, period: period)
        do {
            let decision = evaluator.decision(for: job, at: now, runs: try log.runs(job: job.name, slot: latest.date.iso))
            if let skipped = skipped(job, decision, period: period, log: log) { return skipped }
            let claim = try log.claim(job: job.name, slot: latest.date.iso, period: period, measures: job.measures, formats: job.formats,
                                      outputDirectory: final.path, inputs: try inputs(job, store: store, slot: latest),
                                      pid: pid, startedAt: clock.now())
            let runID: Int64
            switch claim {
            case .claimed(let id): runID = id
            case .taken(let row):
                return JobOutcome(kind: .skipped, job: job.name, slot: latest, period: period, outputDirectory: row.outputDirectory, runID: row.id,
                                  detail: row.status == .succeeded ? "already succeeded (run \(row.id))" : "running in another process (run \(row.id))")
            }
            var temp: URL?
            var createdParents: [URL] = []
            do {
                (temp, createdParents) = try ScheduleOutput.prepareTemporaryDirectory(for: final, runID: runID)
                let files = try runner.run(databasePath: job.databasePath, measures: job.measures, periodStart: period.start.iso,
                                           periodEnd: period.end.iso, valueSetsDirectory: job.valueSetsDirectory, minCell: job.minCell,
                                           formats: job.formats, outputDirectory: temp!)
                let names = files.map { $0.path.hasPrefix(temp!.path + "/") ? String($0.path.dropFirst(temp!.path.count + 1)) : $0.lastPathComponent }
                try ScheduleOutput.publish(temp!, to: final, marker: marker(job, slot: latest, period: period, runID: runID, files: names, log: log),
                                           runID: runID)
            } catch {
                if let temp { ScheduleOutput.discard(temp, createdParents: createdParents) }
                let message = Self.message(for: error)
                try log.finish(id: runID, status: .failed, at: clock.now(), error: message)
                return JobOutcome(kind: .failed, job: job.name, slot: latest, period: period, outputDirectory: final.path, runID: runID, detail: message)
            }
            try log.finish(id: runID, status: .succeeded, at: clock.now())
            let count = (try? FileManager.default.contentsOfDirectory(atPath: final.path).filter { $0 != ScheduleOutput.markerName }.count) ?? 0
            var removed: [String] = []
            do {
                removed = try ScheduleOutput.applyRetention(job: job, log: log)
            } catch {
                emit(.warning("retention for \(job.name): \(error)"))
            }
            return JobOutcome(kind: .ran, job: job.name, slot: latest, period: period, outputDirectory: final.path, runID: runID,
                              detail: "run \(runID), \(count) file\(count == 1 ? "" : "s")", removed: removed)
        } catch {
            return JobOutcome(kind: .failed, job: job.name, slot: latest, period: period, outputDirectory: final.path, runID: nil,
                              detail: "run log: \(error)")
        }
    }

    private func dryRunJobs(_ jobs: [ScheduledJob], store: Store, log: ScheduleRunLog, now: Date, emit: (ScheduleEvent) -> Void) throws {
        let hasLog = try log.tableExists()
        let clockNow = clock.now()
        for job in jobs {
            let latest = evaluator.latestSlot(for: job, atOrBefore: now)
            let period = job.period.period(runDate: latest.date)
            let final = job.outputDirectory(runDate: latest.date, period: period)
            // A running row that the real run would recover as abandoned counts as failed here.
            let runs = hasLog ? try log.runs(job: job.name, slot: latest.date.iso).filter {
                !($0.status == .running && ScheduleRunLog.staleReason($0, now: clockNow, staleAfter: staleAfter, isAlive: isProcessAlive) != nil)
            } : []
            let decision = evaluator.decision(for: job, at: now, runs: runs)
            if let skipped = skipped(job, decision, period: period, log: log) {
                emit(.job(skipped))
            } else {
                emit(.job(JobOutcome(kind: .wouldRun, job: job.name, slot: latest, period: period, outputDirectory: final.path, runID: nil,
                                     detail: job.measures.joined(separator: ",") + " as " + job.formats.joined(separator: ","))))
            }
        }
    }

    private func skipped(_ job: ScheduledJob, _ decision: DueDecision, period: MeasurementPeriod, log: ScheduleRunLog) -> JobOutcome? {
        switch decision {
        case .due:
            return nil
        case .done(let slot, let id):
            let out = (try? log.run(id: id))??.outputDirectory
            return JobOutcome(kind: .skipped, job: job.name, slot: slot, period: period, outputDirectory: out, runID: id,
                              detail: "already succeeded (run \(id))")
        case .running(let slot, let id, let pid):
            return JobOutcome(kind: .skipped, job: job.name, slot: slot, period: period, outputDirectory: nil, runID: id,
                              detail: "running in another process (run \(id), pid \(pid.map(String.init) ?? "unknown"))")
        case .disabled(let slot):
            return JobOutcome(kind: .skipped, job: job.name, slot: slot, period: period, outputDirectory: nil, runID: nil, detail: "disabled")
        }
    }

    private func failure(_ job: ScheduledJob, now: Date, _ message: String) -> JobOutcome {
        let slot = evaluator.latestSlot(for: job, atOrBefore: now)
        return JobOutcome(kind: .failed, job: job.name, slot: slot, period: job.period.period(runDate: slot.date), outputDirectory: nil,
                          runID: nil, detail: message)
    }

    // MARK: Provenance

    /// The inputs JSON of a run: what it read, so a report can be traced and reproduced.
    func inputs(_ job: ScheduledJob, store: Store, slot: ScheduleSlot) throws -> String {
        let db = store.db
        let imports = try db.scalar("SELECT count(*) FROM import_run WHERE status = 'complete'").int ?? 0
        let latest = try db.query("SELECT sha256, finished_at FROM import_run WHERE status = 'complete' ORDER BY import_id DESC LIMIT 1").first
        let snapshot: [String: Any] = [
            "file": URL(fileURLWithPath: job.databasePath).lastPathComponent,
            "imports": imports,
            "latest_import_sha256": latest?[0].text ?? NSNull(),
            "latest_import_finished_at": latest?[1].text ?? NSNull(),
        ]
        let object: [String: Any] = [
            "db": job.databasePath,
            "data_snapshot": snapshot,
            "valuesets": job.valueSetsDirectory ?? NSNull(),
            "min_cell": job.minCell,
            "config": config.file,
            "config_sha256": config.sha256,
            "engine_version": Store.engineVersion,
            "time_zone": evaluator.timeZone.identifier,
            "slot_at": ScheduleRunLog.timestamp(slot.instant),
        ]
        return Self.jsonText(object)
    }

    private func marker(_ job: ScheduledJob, slot: ScheduleSlot, period: MeasurementPeriod, runID: Int64, files: [String], log: ScheduleRunLog) -> Data {
        let inputs = (try? log.run(id: runID))??.inputs ?? "{}"
        let object: [String: Any] = [
            "job": job.name,
            "slot": slot.date.iso,
            "run_id": runID,
            "period_start": period.start.iso,
            "period_end": period.end.iso,
            "measures": job.measures,
            "formats": job.formats,
            "files": files.sorted(),
            "inputs": (try? JSONSerialization.jsonObject(with: Data(inputs.utf8))) ?? [:],
        ]
        return Data((Self.jsonText(object, pretty: true) + "\n").utf8)
    }

    static func jsonText(_ object: Any, pretty: Bool = false) -> String {
        let options: JSONSerialization.WritingOptions = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: options)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// An error as one line for the run log, at most 1,000 characters.
    static func message(for error: any Error) -> String {
        var text = (error as? LocalizedError)?.errorDescription ?? String(describing: error)
        text = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        if text.isEmpty { text = String(describing: type(of: error)) }
        return text.count > 1000 ? String(text.prefix(999)) + "…" : text
    }
}
