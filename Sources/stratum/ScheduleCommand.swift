import ArgumentParser
import Foundation
import Stratum
import StratumReports

/// `stratum schedule`: scheduled care-gap reports (list, status, run-due).
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Scheduled care-gap reports: list the jobs, show the run log, run what is due.",
        discussion: """
            Jobs are defined in a TOML config (default Reports/schedules.toml): which measures, \
            over which period, how often, into which folder. Run 'stratum schedule run-due' \
            from cron or a systemd timer every 15 minutes; it runs each job whose latest \
            slot has no successful run yet, once, and records every run in the store's \
            schedule_run table. See docs/SCHEDULING.md.

            Examples:
              stratum schedule list
              stratum schedule run-due --dry-run
              stratum schedule run-due --config Reports/schedules.toml
              stratum schedule status --limit 10
            """,
        subcommands: [ScheduleListCommand.self, ScheduleStatusCommand.self, ScheduleRunDueCommand.self])
}

/// The measures a schedule runs: `measures/` beside the config file (Reports/schedules.toml →
/// Reports/measures) when it exists, so cron jobs work from any directory; else the default.
func scheduleMeasureLibrary(configPath: String) -> MeasureLibrary {
    let beside = URL(fileURLWithPath: configPath).deletingLastPathComponent().appendingPathComponent("measures")
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: beside.path, isDirectory: &isDirectory), isDirectory.boolValue {
        return MeasureLibrary(directory: beside)
    }
    return .standard()
}

/// The config option the schedule commands share.
struct ScheduleConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The schedule config (TOML). Relative paths in it are relative to its directory.", valueName: "FILE"))
    var config = "Reports/schedules.toml"

    @Option(name: .long, help: ArgumentHelp(
        "Evaluate the schedule as if it were this time: 2025-03-03T06:30 (local) or with Z / an offset. For testing and backfill.",
        valueName: "ISO8601"))
    var now: String?

    /// Loads the config, or fails with exit 3 and file:line: key: problem.
    func load() throws -> ScheduleConfig {
        do {
            return try ScheduleConfig.load(path: config)
        } catch {
            throw CLIError(message: error.description, exitCode: ExitStatus.data)
        }
    }

    var evaluator: ScheduleEvaluator { ScheduleEvaluator(timeZone: .current) }

    /// `--now`, or the wall clock.
    func instant() throws -> Date {
        guard let now else { return Date() }
        guard let date = evaluator.parseInstant(now) else {
            throw ValidationError("--now: '\(now)' is not a time; write 2025-03-03T06:30 (local), 2025-03-03T05:30:00Z or 2025-03-03T06:30:00+01:00")
        }
        return date
    }

    func validate() throws {
        _ = try instant()
    }
}

/// The run log of a store opened read-only, for the list and status views; nil when there is no
/// store or it has no schedule_run table yet (no run-due has opened it since migration 3).
private func readOnlyRunLog(_ path: String) -> ScheduleRunLog? {
    guard FileManager.default.fileExists(atPath: path), let store = try? Store(path: path, readOnly: true) else { return nil }
    let log = ScheduleRunLog(database: store.db)
    return (try? log.tableExists()) == true ? log : nil
}

/// `YYYY-MM-DD HH:MM` in the local zone for a run-log timestamp.
private func localTime(_ iso: String?) -> String {
    guard let iso, let date = ScheduleRunLog.date(iso) else { return iso ?? "" }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = .current
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
    return formatter.string(from: date)
}

/// Columns of text, left-aligned (Terminal.table right-aligns all but the first, for counts).
private func leftAlignedTable(_ header: [String], _ rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = (0..<header.count).map { i in all.map { $0[i].count }.max() ?? 0 }
    return all.map { row in
        row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count) }
            .joined(separator: "  ")
    }.joined(separator: "\n")
}

private func seconds(_ record: ScheduleRunRecord) -> Double? {
    guard let start = ScheduleRunLog.date(record.startedAt), let end = record.finishedAt.flatMap(ScheduleRunLog.date) else { return nil }
    return end.timeIntervalSince(start)
}

/// `stratum schedule list`.
struct ScheduleListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the scheduled jobs: rule, period, latest and next slot, and whether each is due.",
        discussion: """
            For each job: when it runs (every/at, local time), its period rule and the period its \
            latest slot covers, its state at the latest slot (due, done, running, disabled, or no \
            store), the next slot, and the status of its last run. Reads the stores read-only.
            """)

    @OptionGroup var options: ScheduleConfigOptions

    @Flag(name: .long, help: "Print JSON on stdout instead of a table.")
    var json = false

    func run() throws {
        let config = try options.load()
        let evaluator = options.evaluator
        let now = try options.instant()
        var rows: [[String]] = []
        var objects: [[String: Any]] = []
        for job in config.jobs {
            let latest = evaluator.latestSlot(for: job, atOrBefore: now)
            let next = evaluator.nextSlot(for: job, after: now)
            let period = job.period.period(runDate: latest.date)
            let hasStore = FileManager.default.fileExists(atPath: job.databasePath)
            let log = readOnlyRunLog(job.databasePath)
            let runs = (try? log?.runs(job: job.name, slot: latest.date.iso)) ?? []
            let last = (try? log?.recent(limit: 1, job: job.name))?.first
            var state: String
            switch evaluator.decision(for: job, at: now, runs: runs) {
            case .due: state = "due"
            case .done: state = "done"
            case .running: state = "running"
            case .disabled: state = "disabled"
            }
            if !hasStore && job.enabled { state = "no store" }
            let lastText = last.map { "\($0.status.rawValue) \($0.slot)" } ?? "never run"
            rows.append([job.name, "\(job.every) \(job.at)", job.period.rawValue, period.description, job.measures.joined(separator: ","),
                         latest.description, state, next.description, lastText])
            var object: [String: Any] = [
                "name": job.name, "every": job.every.description, "at": job.at.description, "period_rule": job.period.rawValue,
                "period_start": period.start.iso, "period_end": period.end.iso, "measures": job.measures, "formats": job.formats,
                "latest_slot": latest.description, "state": state, "next_slot": next.description, "db": job.databasePath,
                "enabled": job.enabled, "out": job.outputTemplate, "retention": job.retention ?? NSNull(),
            ]
            if let last {
                object["last_run"] = ["id": last.id, "slot": last.slot, "status": last.status.rawValue, "started_at": last.startedAt,
                                      "finished_at": last.finishedAt ?? NSNull(), "error": last.error ?? NSNull()] as [String: Any]
            }
            objects.append(object)
        }
        if json {
            Terminal.printJSON(["config": config.file, "time_zone": evaluator.timeZone.identifier, "jobs": objects])
            return
        }
        if rows.isEmpty {
            Terminal.note("no jobs in \(config.file)")
            return
        }
        let table = leftAlignedTable(["job", "every", "period rule", "latest period", "measures", "latest slot", "state", "next slot", "last run"], rows)
        FileHandle.standardOutput.write(Data((table + "\n").utf8))
    }
}

/// `stratum schedule status`.
struct ScheduleStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the run log of scheduled jobs, most recent first.",
        discussion: """
            One line per run from the schedule_run table of each store the config uses: job, slot, \
            period, status (running, succeeded, failed), start time and duration, and the output \
            folder or the error. A succeeded run whose folder retention has since removed shows \
            "(removed)". Times are local.
            """)

    @OptionGroup var options: ScheduleConfigOptions

    @Option(name: .long, help: ArgumentHelp("Show at most this many runs.", valueName: "N"))
    var limit = 20

    @Option(name: .long, help: ArgumentHelp("Only this job's runs.", valueName: "NAME"))
    var job: String?

    @Flag(name: .long, help: "Print JSON on stdout instead of a table.")
    var json = false

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let config = try options.load()
        if let job, config.job(named: job) == nil {
            throw CLIError(message: "no job '\(job)' in \(config.file) (jobs: \(config.jobs.map(\.name).joined(separator: ", ")))", exitCode: ExitStatus.data)
        }
        var stores: [String] = []
        for path in config.jobs.map(\.databasePath) where !stores.contains(path) { stores.append(path) }
        var records: [(store: String, record: ScheduleRunRecord)] = []
        for path in stores {
            guard let log = readOnlyRunLog(path) else { continue }
            do {
                for record in try log.recent(limit: limit, job: job) { records.append((path, record)) }
            } catch {
                throw CLIError(message: "cannot read the run log of \(path): \(error)", exitCode: ExitStatus.failure)
            }
        }
        records.sort { ($0.record.startedAt, $0.record.id) > ($1.record.startedAt, $1.record.id) }
        records = Array(records.prefix(limit))
        if json {
            Terminal.printJSON(["runs": records.map { store, r -> [String: Any] in
                [
                    "store": store, "id": r.id, "job": r.job, "slot": r.slot, "period_start": r.periodStart, "period_end": r.periodEnd,
                    "measures": r.measures, "formats": r.formats, "output_dir": r.outputDirectory, "status": r.status.rawValue,
                    "started_at": r.startedAt, "finished_at": r.finishedAt ?? NSNull(), "error": r.error ?? NSNull(),
                    "inputs": (try? JSONSerialization.jsonObject(with: Data(r.inputs.utf8))) ?? r.inputs,
                    "output_exists": FileManager.default.fileExists(atPath: r.outputDirectory),
                ]
            }])
            return
        }
        if records.isEmpty {
            Terminal.note("no scheduled runs recorded yet")
            return
        }
        let showStore = stores.count > 1
        let rows = records.map { store, r -> [String] in
            var result: String
            switch r.status {
            case .succeeded: result = r.outputDirectory + (FileManager.default.fileExists(atPath: r.outputDirectory) ? "" : " (removed)")
            case .failed: result = r.error ?? ""
            case .running: result = "pid \(r.pid.map(String.init) ?? "?")"
            }
            let duration = seconds(r).map { String(format: "%.1f s", $0) } ?? ""
            return (showStore ? [URL(fileURLWithPath: store).lastPathComponent] : [])
                + [String(r.id), r.job, r.slot, "\(r.periodStart)..\(r.periodEnd)", r.status.rawValue, localTime(r.startedAt), duration, result]
        }
        let header = (showStore ? ["store"] : []) + ["id", "job", "slot", "period", "status", "started", "took", "output or error"]
        FileHandle.standardOutput.write(Data((leftAlignedTable(header, rows) + "\n").utf8))
    }
}

/// `stratum schedule run-due`.
struct ScheduleRunDueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-due",
        abstract: "Run every job that is due, once, and record each run in the store.",
        discussion: """
            A job is due when its latest slot (its every/at, local time) has no successful run: \
            a failed run is retried by the next run-due, slots missed while the machine was off \
            collapse into one run of the latest, and a second run-due in the same slot does \
            nothing. An exclusive lock beside the store (<db>.schedule.lock) keeps overlapping \
            invocations apart: the second prints that the lock is held and exits 0.

            Output goes to a hidden temporary folder first and is renamed into place only when \
            the whole report is written, so a failed run leaves nothing in the out folder. Then \
            the job's retention is applied.

            Prints one line per job: ran, skipped or failed, with the slot, the period and the \
            output folder. Exit codes: 0 when no job failed, 1 when any job failed, 3 for a bad \
            config.

            Examples:
              stratum schedule run-due
              stratum schedule run-due --dry-run --now 2025-03-03T06:30
            """)

    @OptionGroup var options: ScheduleConfigOptions

    @Flag(name: .long, help: "Print what would run, and run nothing (no lock, no run log rows, no files).")
    var dryRun = false

    @Flag(name: [.short, .long], help: "Print only jobs that ran or failed, and lock or recovery notes (for cron logs).")
    var quiet = false

    func run() throws {
        let config = try options.load()
        let now = try options.instant()
        if config.jobs.isEmpty {
            Terminal.note("no jobs in \(config.file)")
            return
        }
        let scheduler = CareGapScheduler(config: config, runner: CareGapPipeline(library: scheduleMeasureLibrary(configPath: options.config)), timeZone: .current)
        let events = scheduler.runDue(now: now, dryRun: dryRun) { event in
            if quiet, case .job(let outcome) = event, outcome.kind == .skipped { return }
            let line = event.line + "\n"
            if case .warning = event {
                FileHandle.standardError.write(Data(line.utf8))
            } else {
                FileHandle.standardOutput.write(Data(line.utf8))
            }
        }
        if CareGapScheduler.anyFailed(events) { throw ExitStatus.failure }
    }
}
