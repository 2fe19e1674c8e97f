import Foundation
import XCTest
@testable import StratumReports
@testable import StratumStore

final class CareGapSchedulerTests: XCTestCase {
    private func at(_ text: String) -> Date { ScheduleFixture.at(text) }

    func testMigrationCreatesTheRunLog() throws {
        let fixture = try ScheduleFixture(self)
        let (store, log) = try fixture.log()
        XCTAssertTrue(try log.tableExists())
        XCTAssertEqual(try store.db.scalar("SELECT name FROM stratum_migration WHERE version = 4").text, "scheduled care-gap run log")
    }

    func testADueJobRunsIntoItsFolderAndIsLogged() throws {
        let fixture = try ScheduleFixture(self)
        let config = try fixture.weeklyConfig()
        let runner = FakeCareGapRunner()
        let events = fixture.scheduler(config, runner: runner).runDue(now: at("2025-03-05T12:00"))

        // The latest Monday slot is 2025-03-03; previous-month on that date is February.
        XCTAssertEqual(runner.calls.all, [.init(measures: ["cms122", "cms165"], periodStart: "2025-02-01", periodEnd: "2025-02-28",
                                                formats: ["html", "csv"], outputDirectory: fixture.path("out/weekly/.2025-03-03.partial-1"))])
        let outcome = try XCTUnwrap(events.outcomes.first)
        XCTAssertEqual(outcome.kind, .ran)
        XCTAssertEqual(outcome.slot?.description, "2025-03-03 06:00")
        XCTAssertEqual(outcome.period?.description, "2025-02-01..2025-02-28")
        XCTAssertEqual(outcome.outputDirectory, fixture.path("out/weekly/2025-03-03"))
        XCTAssertFalse(CareGapScheduler.anyFailed(events))
        XCTAssertEqual(ScheduleEvent.job(outcome).line,
                       "ran       weekly  slot 2025-03-03 06:00  period 2025-02-01..2025-02-28  → \(fixture.path("out/weekly/2025-03-03"))  (run 1, 2 files)")

        XCTAssertEqual(fixture.files(under: "out"), ["weekly/2025-03-03/.stratum-schedule.json", "weekly/2025-03-03/caregaps.csv",
                                                     "weekly/2025-03-03/caregaps.html"])
        XCTAssertEqual(fixture.entries(in: "out/weekly"), ["2025-03-03"])
        XCTAssertEqual(ScheduleOutput.markerJob(in: URL(fileURLWithPath: fixture.path("out/weekly/2025-03-03"))), "weekly")

        let runs = try fixture.allRuns()
        XCTAssertEqual(runs.count, 1)
        let run = runs[0]
        XCTAssertEqual(run.job, "weekly")
        XCTAssertEqual(run.slot, "2025-03-03")
        XCTAssertEqual(run.periodStart, "2025-02-01")
        XCTAssertEqual(run.periodEnd, "2025-02-28")
        XCTAssertEqual(run.measures, ["cms122", "cms165"])
        XCTAssertEqual(run.formats, ["html", "csv"])
        XCTAssertEqual(run.outputDirectory, fixture.path("out/weekly/2025-03-03"))
        XCTAssertEqual(run.status, .succeeded)
        XCTAssertNil(run.error)
        XCTAssertNotNil(run.finishedAt)
        XCTAssertEqual(run.pid, getpid())
        let inputs = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.inputs.utf8)) as? [String: Any])
        XCTAssertEqual(inputs["db"] as? String, config.jobs[0].databasePath)
        XCTAssertEqual(inputs["config_sha256"] as? String, config.sha256)
        XCTAssertEqual(inputs["engine_version"] as? String, Store.engineVersion)
        XCTAssertEqual(inputs["min_cell"] as? Int, 11)
        XCTAssertTrue(inputs["valuesets"] is NSNull)
        let snapshot = try XCTUnwrap(inputs["data_snapshot"] as? [String: Any])
        XCTAssertEqual(snapshot["file"] as? String, "store.sqlite")
        XCTAssertEqual(snapshot["imports"] as? Int, 0)
    }

    func testRunDueTwiceInOneSlotRunsOnce() throws {
        let fixture = try ScheduleFixture(self)
        let runner = FakeCareGapRunner()
        let scheduler = fixture.scheduler(try fixture.weeklyConfig(), runner: runner)
        XCTAssertEqual(scheduler.runDue(now: at("2025-03-03T06:00")).outcomes.map(\.kind), [.ran])
        let second = scheduler.runDue(now: at("2025-03-09T23:59")).outcomes
        XCTAssertEqual(second.map(\.kind), [.skipped])
        XCTAssertEqual(second[0].detail, "already succeeded (run 1)")
        XCTAssertEqual(second[0].outputDirectory, fixture.path("out/weekly/2025-03-03"))
        XCTAssertEqual(runner.calls.count, 1)
        XCTAssertEqual(try fixture.allRuns().count, 1)
        // The next Monday's slot runs again.
        XCTAssertEqual(scheduler.runDue(now: at("2025-03-10T06:00")).outcomes.map(\.kind), [.ran])
        XCTAssertEqual(try fixture.allRuns().map(\.slot), ["2025-03-03", "2025-03-10"])
    }

    func testBeforeTheFirstSlotTimeTheEarlierSlotRuns() throws {
        let fixture = try ScheduleFixture(self)
        let runner = FakeCareGapRunner()
        let scheduler = fixture.scheduler(try fixture.weeklyConfig(), runner: runner)
        // Monday 05:59: today's slot has not begun; a never-run job is due at last Monday's.
        let outcome = scheduler.runDue(now: at("2025-03-03T05:59")).outcomes[0]
        XCTAssertEqual(outcome.slot?.date.iso, "2025-02-24")
        XCTAssertEqual(outcome.period?.description, "2025-01-01..2025-01-31")
    }

    func testMissedSlotsRunOnceForTheLatest() throws {
        let fixture = try ScheduleFixture(self)
        let runner = FakeCareGapRunner()
        let scheduler = fixture.scheduler(try fixture.weeklyConfig(), runner: runner)
        scheduler.runDue(now: at("2025-03-03T07:00"))
        // Three weeks off; then run-due twice.
        XCTAssertEqual(scheduler.runDue(now: at("2025-03-26T08:00")).outcomes.map(\.kind), [.ran])
        XCTAssertEqual(scheduler.runDue(now: at("2025-03-26T08:15")).outcomes.map(\.kind), [.skipped])
        XCTAssertEqual(try fixture.allRuns().map(\.slot), ["2025-03-03", "2025-03-24"])
        XCTAssertEqual(runner.calls.count, 2)
    }

    func testAnotherRunDueHoldingTheLockRunsNothing() throws {
        let fixture = try ScheduleFixture(self)
        let lockPath = ScheduleLock.lockPath(forDatabase: fixture.databasePath)
        XCTAssertEqual(lockPath, URL(fileURLWithPath: fixture.databasePath).resolvingSymlinksInPath().path + ".schedule.lock")
        guard case .acquired(let held) = try ScheduleLock.acquire(path: lockPath) else { return XCTFail("the lock should be free") }
        defer { held.release() }

        let runner = FakeCareGapRunner()
        let events = fixture.scheduler(try fixture.weeklyConfig(), runner: runner).runDue(now: at("2025-03-05T12:00"))
        XCTAssertEqual(events, [.lockHeld(databasePath: fixture.databasePath.standardizedPath, pid: getpid(), jobs: ["weekly"])])
        XCTAssertEqual(events[0].line, "another `stratum schedule run-due` holds the lock (pid \(getpid())); nothing run")
        XCTAssertFalse(CareGapScheduler.anyFailed(events))
        XCTAssertEqual(runner.calls.count, 0)
        XCTAssertEqual(try fixture.allRuns().count, 0)
        XCTAssertEqual(fixture.files(under: "out"), [])

        // A dry run takes no lock and still reports.
        let dry = fixture.scheduler(try fixture.weeklyConfig(), runner: runner).runDue(now: at("2025-03-05T12:00"), dryRun: true)
        XCTAssertEqual(dry.outcomes.map(\.kind), [.wouldRun])

        // Released: the job runs.
        held.release()
        XCTAssertEqual(fixture.scheduler(try fixture.weeklyConfig(), runner: runner).runDue(now: at("2025-03-05T12:00")).outcomes.map(\.kind), [.ran])
    }

    func testTheLockIsReleasedAfterARunAndRecordsTheHolder() throws {
        let fixture = try ScheduleFixture(self)
        let lockPath = ScheduleLock.lockPath(forDatabase: fixture.databasePath)
        guard case .acquired(let first) = try ScheduleLock.acquire(path: lockPath) else { return XCTFail("the lock should be free") }
        guard case .held(let pid) = try ScheduleLock.acquire(path: lockPath) else { return XCTFail("a second open should not get the lock") }
        XCTAssertEqual(pid, getpid())
        first.release()
        fixture.scheduler(try fixture.weeklyConfig(), runner: FakeCareGapRunner()).runDue(now: at("2025-03-05T12:00"))
        guard case .acquired(let again) = try ScheduleLock.acquire(path: lockPath) else { return XCTFail("run-due should release the lock") }
        again.release()
    }

    func testAStaleRunningRowFromADeadProcessIsRecoveredAndTheJobRuns() throws {
        let fixture = try ScheduleFixture(self)
        let config = try fixture.weeklyConfig()
        // A run that crashed: its row says running, its process is gone, its temp folder is left.
        let dead = try deadPid()
        do {
            let (_, log) = try fixture.log()
            let claim = try log.claim(job: "weekly", slot: "2025-03-03", period: PeriodRule.previousMonth.period(runDate: LocalDate(iso: "2025-03-03")!),
                                      measures: ["cms122"], formats: ["html"], outputDirectory: fixture.path("out/weekly/2025-03-03"),
                                      inputs: "{}", pid: dead, startedAt: at("2025-03-03T06:00"))
            XCTAssertEqual(claim, .claimed(1))
        }
        try FileManager.default.createDirectory(atPath: fixture.path("out/weekly/.2025-03-03.partial-1"), withIntermediateDirectories: true)
        try Data("half".utf8).write(to: URL(fileURLWithPath: fixture.path("out/weekly/.2025-03-03.partial-1/caregaps.html")))

        let runner = FakeCareGapRunner()
        let scheduler = fixture.scheduler(config, runner: runner, clock: at("2025-03-03T06:20"))
        let events = scheduler.runDue(now: at("2025-03-03T06:15"))
        guard case .recovered(let recovered) = events.first else { return XCTFail("expected a recovered event first: \(events)") }
        XCTAssertEqual(recovered.id, 1)
        XCTAssertEqual(recovered.status, .failed)
        XCTAssertEqual(recovered.error, "abandoned: process \(dead) ended without finishing the run (crashed or killed)")
        XCTAssertEqual(events.outcomes.map(\.kind), [.ran])
        XCTAssertEqual(runner.calls.count, 1)
        XCTAssertEqual(try fixture.allRuns().map(\.status), [.failed, .succeeded])
        XCTAssertEqual(fixture.entries(in: "out/weekly"), ["2025-03-03"])   // the crashed run's partial folder is gone
    }

    func testARunningRowOlderThanTheLimitIsRecoveredEvenIfItsPidIsAlive() throws {
        let fixture = try ScheduleFixture(self)
        do {
            let (_, log) = try fixture.log()
            _ = try log.claim(job: "weekly", slot: "2025-03-03", period: PeriodRule.previousMonth.period(runDate: LocalDate(iso: "2025-03-03")!),
                              measures: ["cms122"], formats: ["html"], outputDirectory: fixture.path("out/weekly/2025-03-03"),
                              inputs: "{}", pid: getpid(), startedAt: at("2025-03-03T06:00"))
        }
        let runner = FakeCareGapRunner()
        // Two hours later, with a one-hour limit: recovered.
        let scheduler = fixture.scheduler(try fixture.weeklyConfig(), runner: runner, clock: at("2025-03-03T08:00"))
        scheduler.staleAfter = 3600
        let events = scheduler.runDue(now: at("2025-03-03T08:00"))
        guard case .recovered(let row) = events.first else { return XCTFail("expected a recovered event: \(events)") }
        XCTAssertEqual(row.error, "abandoned: still marked running 2 h after it started (limit 60 min)")
        XCTAssertEqual(events.outcomes.map(\.kind), [.ran])
    }

    func testALiveRecentRunningRowIsLeftAloneAndTheJobSkipped() throws {
        let fixture = try ScheduleFixture(self)
        do {
            let (_, log) = try fixture.log()
            _ = try log.claim(job: "weekly", slot: "2025-03-03", period: PeriodRule.previousMonth.period(runDate: LocalDate(iso: "2025-03-03")!),
                              measures: ["cms122"], formats: ["html"], outputDirectory: fixture.path("out/weekly/2025-03-03"),
                              inputs: "{}", pid: 4242, startedAt: at("2025-03-03T06:00"))
        }
        let runner = FakeCareGapRunner()
        let scheduler = fixture.scheduler(try fixture.weeklyConfig(), runner: runner, clock: at("2025-03-03T06:30"))
        scheduler.isProcessAlive = { $0 == 4242 }
        let events = scheduler.runDue(now: at("2025-03-03T06:30"))
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.outcomes.map(\.kind), [.skipped])
        XCTAssertEqual(events.outcomes[0].detail, "running in another process (run 1, pid 4242)")
        XCTAssertEqual(runner.calls.count, 0)
    }

    func testAFailureMidRunLeavesNoOutputIsLoggedAndIsRetried() throws {
        let fixture = try ScheduleFixture(self)
        let config = try fixture.weeklyConfig()
        let failing = FakeCareGapRunner(mode: .failAfterFirstFile("measure cms165: value set 2.16.840.1.113883.3.464.1003.104.12.1011 not found"))
        let events = fixture.scheduler(config, runner: failing).runDue(now: at("2025-03-05T12:00"))

        let outcome = try XCTUnwrap(events.outcomes.first)
        XCTAssertEqual(outcome.kind, .failed)
        XCTAssertEqual(outcome.detail, "measure cms165: value set 2.16.840.1.113883.3.464.1003.104.12.1011 not found")
        XCTAssertTrue(CareGapScheduler.anyFailed(events))
        XCTAssertEqual(failing.calls.count, 1)
        // The runner wrote caregaps.html before failing: none of it is in the out location.
        XCTAssertEqual(fixture.files(under: "out"), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.path("out/weekly/2025-03-03")))
        XCTAssertEqual(fixture.entries(in: "out/weekly"), [])
        let failed = try fixture.allRuns()
        XCTAssertEqual(failed.map(\.status), [.failed])
        XCTAssertEqual(failed[0].error, "measure cms165: value set 2.16.840.1.113883.3.464.1003.104.12.1011 not found")
        XCTAssertNotNil(failed[0].finishedAt)

        // The next run-due, in the same slot, retries.
        let runner = FakeCareGapRunner()
        let retry = fixture.scheduler(config, runner: runner).runDue(now: at("2025-03-05T12:15"))
        XCTAssertEqual(retry.outcomes.map(\.kind), [.ran])
        XCTAssertEqual(try fixture.allRuns().map(\.status), [.failed, .succeeded])
        XCTAssertEqual(try fixture.allRuns().map(\.slot), ["2025-03-03", "2025-03-03"])
        XCTAssertEqual(fixture.files(under: "out/weekly"), ["2025-03-03/.stratum-schedule.json", "2025-03-03/caregaps.csv", "2025-03-03/caregaps.html"])
        // And once it has succeeded, nothing more.
        XCTAssertEqual(fixture.scheduler(config, runner: runner).runDue(now: at("2025-03-05T12:30")).outcomes.map(\.kind), [.skipped])
    }

    func testAFailedRerunDoesNotTouchTheOutputOfAnEarlierSuccess() throws {
        // `out` without {run_date}: every run of the job publishes to the same folder.
        let fixture = try ScheduleFixture(self)
        let config = try fixture.weeklyConfig(extra: "out = \"{name}/latest\"")
        fixture.scheduler(config, runner: FakeCareGapRunner()).runDue(now: at("2025-03-03T07:00"))
        let before = try String(contentsOfFile: fixture.path("out/weekly/latest/caregaps.html"), encoding: .utf8)
        XCTAssertEqual(before, "cms122,cms165 2025-02-01..2025-02-28\n")
        let failing = FakeCareGapRunner(mode: .failAfterFirstFile("boom"))
        XCTAssertEqual(fixture.scheduler(config, runner: failing).runDue(now: at("2025-04-07T07:00")).outcomes.map(\.kind), [.failed])
        XCTAssertEqual(try String(contentsOfFile: fixture.path("out/weekly/latest/caregaps.html"), encoding: .utf8), before)
        XCTAssertEqual(fixture.entries(in: "out/weekly"), ["latest"])
        // A later success replaces it whole.
        fixture.scheduler(config, runner: FakeCareGapRunner()).runDue(now: at("2025-04-07T07:30"))
        XCTAssertEqual(try String(contentsOfFile: fixture.path("out/weekly/latest/caregaps.html"), encoding: .utf8), "cms122,cms165 2025-03-01..2025-03-31\n")
        XCTAssertEqual(fixture.entries(in: "out/weekly"), ["latest"])
    }

    func testAnExistingFolderTheSchedulerDidNotWriteIsNeverReplaced() throws {
        let fixture = try ScheduleFixture(self)
        try FileManager.default.createDirectory(atPath: fixture.path("out/weekly/2025-03-03"), withIntermediateDirectories: true)
        try Data("analyst notes".utf8).write(to: URL(fileURLWithPath: fixture.path("out/weekly/2025-03-03/notes.txt")))
        let events = fixture.scheduler(try fixture.weeklyConfig(), runner: FakeCareGapRunner()).runDue(now: at("2025-03-05T12:00"))
        XCTAssertEqual(events.outcomes.map(\.kind), [.failed])
        XCTAssertTrue(events.outcomes[0].detail.contains("already exists and was not written by stratum schedule"), events.outcomes[0].detail)
        XCTAssertEqual(fixture.files(under: "out"), ["weekly/2025-03-03/notes.txt"])
        XCTAssertEqual(try fixture.allRuns().map(\.status), [.failed])
    }

    func testRetentionKeepsTheMostRecentSuccessfulFolders() throws {
        let fixture = try ScheduleFixture(self)
        let config = try fixture.weeklyConfig(retention: 2)
        let runner = FakeCareGapRunner()
        // A folder under the job's out that the scheduler did not write is never deleted.
        try FileManager.default.createDirectory(atPath: fixture.path("out/weekly/2025-01-06"), withIntermediateDirectories: true)
        var removedPerRun: [[String]] = []
        for monday in ["2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24"] {
            let events = fixture.scheduler(config, runner: runner).runDue(now: at("\(monday)T06:30"))
            XCTAssertEqual(events.outcomes.map(\.kind), [.ran])
            removedPerRun.append(events.outcomes[0].removed)
        }
        XCTAssertEqual(removedPerRun, [[], [], [fixture.path("out/weekly/2025-03-03")], [fixture.path("out/weekly/2025-03-10")]])
        XCTAssertEqual(fixture.entries(in: "out/weekly"), ["2025-01-06", "2025-03-17", "2025-03-24"])
        // A failed run does not count towards retention and removes nothing.
        let failing = FakeCareGapRunner(mode: .failAfterFirstFile("boom"))
        let failed = fixture.scheduler(config, runner: failing).runDue(now: at("2025-03-31T06:30"))
        XCTAssertEqual(failed.outcomes.map(\.kind), [.failed])
        XCTAssertEqual(fixture.entries(in: "out/weekly"), ["2025-01-06", "2025-03-17", "2025-03-24"])
        XCTAssertEqual(ScheduleEvent.job(fixture.scheduler(config, runner: runner).runDue(now: at("2025-03-31T07:00")).outcomes[0]).line.hasSuffix(
            "; retention removed 1 older folder"), true)
        XCTAssertEqual(fixture.entries(in: "out/weekly"), ["2025-01-06", "2025-03-24", "2025-03-31"])
    }

    func testDryRunWritesNothing() throws {
        let fixture = try ScheduleFixture(self)
        let runner = FakeCareGapRunner()
        let events = fixture.scheduler(try fixture.weeklyConfig(), runner: runner).runDue(now: at("2025-03-05T12:00"), dryRun: true)
        XCTAssertEqual(events.outcomes.map(\.kind), [.wouldRun])
        XCTAssertEqual(events.outcomes[0].period?.description, "2025-02-01..2025-02-28")
        XCTAssertEqual(runner.calls.count, 0)
        XCTAssertEqual(try fixture.allRuns().count, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.path("out")))
    }

    /// Found by hand: a disabled job whose store does not exist was reported as failed.
    func testADisabledJobOnAMissingStoreIsNotAFailure() throws {
        let fixture = try ScheduleFixture(self)
        let config = try fixture.config("""
            [[job]]
            name = "paused"
            db = "nowhere.sqlite"
            measures = ["cms122"]
            period = "previous-year"
            every = "daily"
            enabled = false
            """)
        let events = fixture.scheduler(config, runner: FakeCareGapRunner()).runDue(now: at("2025-04-01T05:30"))
        XCTAssertFalse(CareGapScheduler.anyFailed(events))
    }

    func testSeveralJobsOneFailingAndADisabledOne() throws {
        let fixture = try ScheduleFixture(self)
        let config = try fixture.config("""
            [defaults]
            db = "store.sqlite"

            [[job]]
            name = "a"
            measures = ["cms122"]
            period = "calendar-year"
            every = "daily"

            [[job]]
            name = "b"
            measures = ["fails"]
            period = "previous-quarter"
            every = "monthly:1"
            at = "05:00"

            [[job]]
            name = "c"
            measures = ["cms2"]
            period = "previous-year"
            every = "daily"
            enabled = false
            """)
        let runner = SelectiveRunner()
        let events = fixture.scheduler(config, runner: runner).runDue(now: at("2025-04-01T05:30"))
        XCTAssertEqual(events.outcomes.map(\.kind), [.ran, .failed, .skipped])
        XCTAssertEqual(events.outcomes.map(\.detail).last, "disabled")
        XCTAssertEqual(events.outcomes[1].period?.description, "2025-01-01..2025-03-31")
        XCTAssertTrue(CareGapScheduler.anyFailed(events))
        XCTAssertEqual(try fixture.allRuns().map { "\($0.job) \($0.status.rawValue)" }, ["a succeeded", "b failed"])
        XCTAssertEqual(fixture.entries(in: "out"), ["a"])
    }

    func testAMissingStoreFailsItsJobs() throws {
        let fixture = try ScheduleFixture(self)
        let config = try fixture.weeklyConfig(extra: "db = \"nowhere.sqlite\"")
        let events = fixture.scheduler(config, runner: FakeCareGapRunner()).runDue(now: at("2025-03-05T12:00"))
        XCTAssertEqual(events.outcomes.map(\.kind), [.failed])
        XCTAssertTrue(events.outcomes[0].detail.hasPrefix("no store at "), events.outcomes[0].detail)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.path("nowhere.sqlite")))
    }

    func testTheUniqueSlotIndexAllowsOneRunningOrSucceededRowPerSlot() throws {
        let fixture = try ScheduleFixture(self)
        let (store, log) = try fixture.log()
        let period = PeriodRule.previousMonth.period(runDate: LocalDate(iso: "2025-03-03")!)
        func claim() throws -> ScheduleRunLog.Claim {
            try log.claim(job: "weekly", slot: "2025-03-03", period: period, measures: ["cms122"], formats: ["html"],
                          outputDirectory: "/tmp/x", inputs: "{}", pid: getpid(), startedAt: at("2025-03-03T06:00"))
        }
        XCTAssertEqual(try claim(), .claimed(1))
        guard case .taken(let row) = try claim() else { return XCTFail("a running slot cannot be claimed again") }
        XCTAssertEqual(row.id, 1)
        // Even bypassing the check, SQLite refuses a second running row.
        XCTAssertThrowsError(try store.db.run("""
            INSERT INTO schedule_run (job, slot, period_start, period_end, measures, formats, output_dir, status, started_at, inputs)
            VALUES ('weekly', '2025-03-03', '', '', '[]', '[]', '', 'running', '', '{}')
            """))
        try log.finish(id: 1, status: .failed, at: at("2025-03-03T06:05"), error: "x")
        XCTAssertEqual(try claim(), .claimed(2))
        try log.finish(id: 2, status: .succeeded, at: at("2025-03-03T06:10"))
        guard case .taken(let done) = try claim() else { return XCTFail("a succeeded slot cannot be claimed again") }
        XCTAssertEqual(done.status, .succeeded)
    }

    /// The pid of a process that has exited.
    private func deadPid() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exit 0"]
        try process.run()
        process.waitUntilExit()
        XCTAssertFalse(ScheduleLock.isProcessAlive(process.processIdentifier))
        return process.processIdentifier
    }
}

/// Fails for a job whose measures include "fails"; writes one file otherwise.
private struct SelectiveRunner: CareGapJobRunner {
    func run(databasePath: String, measures: [String], periodStart: String, periodEnd: String,
             valueSetsDirectory: String?, minCell: Int, formats: [String], outputDirectory: URL) throws -> [URL] {
        if measures.contains("fails") { throw FakeRunnerFailure(description: "evaluation failed") }
        let url = outputDirectory.appendingPathComponent("report.html")
        try Data("ok".utf8).write(to: url)
        return [url]
    }
}

private extension String {
    var standardizedPath: String { URL(fileURLWithPath: self).standardizedFileURL.path }
}
