import Foundation
import XCTest
@testable import StratumReports
import StratumStore

final class ScheduleConfigTests: XCTestCase {
    private let directory = "/srv/stratum/Reports"

    private func parse(_ text: String) throws(ScheduleConfigError) -> ScheduleConfig {
        try ScheduleConfig.parse(text, file: "schedules.toml", directory: directory)
    }

    private func failure(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ScheduleConfigError? {
        do {
            _ = try parse(text)
            XCTFail("expected an error", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    private let minimalJob = """
        [[job]]
        name = "weekly"
        measures = ["cms122"]
        period = "year-to-date"
        every = "weekly:monday"
        """

    func testDefaultsAreAppliedAndPathsResolvedAgainstTheConfigDirectory() throws {
        let config = try parse("""
            [defaults]
            db = "../pop.sqlite"
            valuesets = "measures/valuesets"
            out = "out"
            min_cell = 5
            formats = ["csv"]

            \(minimalJob)

            [[job]]
            name = "quarterly_2"
            measures = ["cms165", "cms2"]
            period = "previous-quarter"
            every = "monthly:2"
            at = "17:45"
            out = "/var/reports/{name}/{period_start}_{period_end}"
            formats = ["html", "fhir"]
            retention = 4
            db = "/data/clinic.sqlite"
            valuesets = "~/vs"
            min_cell = 0
            enabled = false
            """)
        XCTAssertEqual(config.defaults, ScheduleDefaults(databasePath: "/srv/stratum/pop.sqlite", valueSetsDirectory: "/srv/stratum/Reports/measures/valuesets",
                                                         outputRoot: "/srv/stratum/Reports/out", minCell: 5, formats: ["csv"]))
        XCTAssertEqual(config.jobs.count, 2)
        let weekly = config.jobs[0]
        XCTAssertEqual(weekly.name, "weekly")
        XCTAssertEqual(weekly.measures, ["cms122"])
        XCTAssertEqual(weekly.period, .yearToDate)
        XCTAssertEqual(weekly.every, .weekly(weekday: 1))
        XCTAssertEqual(weekly.at, TimeOfDay(hour: 6, minute: 0))
        XCTAssertEqual(weekly.outputTemplate, "/srv/stratum/Reports/out/{name}/{run_date}")
        XCTAssertEqual(weekly.formats, ["csv"])
        XCTAssertNil(weekly.retention)
        XCTAssertEqual(weekly.databasePath, "/srv/stratum/pop.sqlite")
        XCTAssertEqual(weekly.valueSetsDirectory, "/srv/stratum/Reports/measures/valuesets")
        XCTAssertEqual(weekly.minCell, 5)
        XCTAssertTrue(weekly.enabled)
        XCTAssertEqual(weekly.line, 8)

        let quarterly = config.jobs[1]
        XCTAssertEqual(quarterly.every, .monthly(day: 2))
        XCTAssertEqual(quarterly.at, TimeOfDay(hour: 17, minute: 45))
        XCTAssertEqual(quarterly.formats, ["html", "fhir"])
        XCTAssertEqual(quarterly.retention, 4)
        XCTAssertEqual(quarterly.databasePath, "/data/clinic.sqlite")
        XCTAssertEqual(quarterly.valueSetsDirectory, (("~/vs") as NSString).expandingTildeInPath)
        XCTAssertEqual(quarterly.minCell, 0)
        XCTAssertFalse(quarterly.enabled)
        let period = MeasurementPeriod(start: LocalDate(year: 2025, month: 1, day: 1)!, end: LocalDate(year: 2025, month: 3, day: 31)!)
        XCTAssertEqual(quarterly.outputDirectory(runDate: LocalDate(year: 2025, month: 4, day: 2)!, period: period).path,
                       "/var/reports/quarterly_2/2025-01-01_2025-03-31")
        XCTAssertEqual(weekly.outputDirectory(runDate: LocalDate(year: 2025, month: 4, day: 7)!, period: period).path,
                       "/srv/stratum/Reports/out/weekly/2025-04-07")
    }

    func testBuiltInDefaults() throws {
        let config = try parse("[defaults]\ndb = \"pop.sqlite\"\n\n" + minimalJob)
        XCTAssertEqual(config.defaults.outputRoot, "/srv/stratum/Reports/out")
        XCTAssertEqual(config.defaults.minCell, 11)
        XCTAssertEqual(config.defaults.formats, ["html"])
        XCTAssertNil(config.defaults.valueSetsDirectory)
        XCTAssertEqual(config.jobs[0].formats, ["html"])
        // No [defaults] at all: the job names its own store.
        let bare = try parse(minimalJob + "\ndb = \"x.sqlite\"\n")
        XCTAssertEqual(bare.jobs[0].databasePath, "/srv/stratum/Reports/x.sqlite")
        XCTAssertTrue(try parse("").jobs.isEmpty)
    }

    func testEveryRecurrenceForm() throws {
        for (text, expected) in [("daily", Recurrence.daily), ("weekly:monday", .weekly(weekday: 1)), ("weekly:sunday", .weekly(weekday: 7)),
                                 ("monthly:1", .monthly(day: 1)), ("monthly:28", .monthly(day: 28))] {
            XCTAssertEqual(Recurrence(text), expected, text)
            XCTAssertEqual(expected.description, text)
        }
        for bad in ["weekly", "weekly:Monday", "weekly:mon", "monthly:0", "monthly:29", "monthly:31", "monthly:01", "monthly:+3", "hourly", ""] {
            XCTAssertNil(Recurrence(bad), bad)
        }
    }

    func testSemanticErrorsNameLineKeyAndProblem() {
        let header = "[defaults]\ndb = \"pop.sqlite\"\n\n"   // the job starts on line 4
        let cases: [(String, Int, String?, String?, String)] = [
            (header + minimalJob + "\nperod = \"previous-year\"\n", 9, "job 'weekly'", "perod", "unknown key (did you mean 'period'?)"),
            (header + minimalJob.replacingOccurrences(of: "year-to-date", with: "last-year"), 7, "job 'weekly'", "period",
             "unknown period rule 'last-year'"),
            (header + minimalJob.replacingOccurrences(of: "year-to-date", with: "previous-yaer"), 7, "job 'weekly'", "period",
             "did you mean 'previous-year'?"),
            (header + minimalJob + "\n\n" + minimalJob, 11, "job 'weekly'", "name", "duplicate job name (first defined on line 5)"),
            (header + minimalJob.replacingOccurrences(of: "weekly:monday", with: "weekly:mondey"), 8, "job 'weekly'", "every",
             "did you mean 'weekly:monday'?"),
            (header + minimalJob.replacingOccurrences(of: "weekly:monday", with: "monthly:31"), 8, "job 'weekly'", "every", "monthly:1 … monthly:28"),
            (header + minimalJob + "\nat = \"6am\"\n", 9, "job 'weekly'", "at", "\"HH:MM\""),
            (header + minimalJob + "\nat = \"24:00\"\n", 9, "job 'weekly'", "at", "not a time"),
            (header + minimalJob + "\nformats = [\"html\", \"pdf\"]\n", 9, "job 'weekly'", "formats", "unknown format 'pdf'"),
            (header + minimalJob + "\nformats = [\"csv\", \"csv\"]\n", 9, "job 'weekly'", "formats", "listed twice"),
            (header + minimalJob + "\nout = \"{name}/{date}\"\n", 9, "job 'weekly'", "out", "unknown placeholder '{date}'"),
            (header + minimalJob + "\nout = \"{name/x\"\n", 9, "job 'weekly'", "out", "unbalanced"),
            (header + minimalJob + "\nretention = 0\n", 9, "job 'weekly'", "retention", "between 1 and"),
            (header + minimalJob + "\nretention = \"4\"\n", 9, "job 'weekly'", "retention", "must be an integer, got a string"),
            (header + minimalJob + "\nenabled = \"no\"\n", 9, "job 'weekly'", "enabled", "true or false"),
            (header + minimalJob.replacingOccurrences(of: "[\"cms122\"]", with: "\"cms122\""), 6, "job 'weekly'", "measures",
             "array of strings, e.g. [\"cms122\"]"),
            (header + minimalJob.replacingOccurrences(of: "[\"cms122\"]", with: "[]"), 6, "job 'weekly'", "measures", "must not be empty"),
            (header + minimalJob.replacingOccurrences(of: "[\"cms122\"]", with: "[\"CMS 122\"]"), 6, "job 'weekly'", "measures", "not a measure id"),
            (header + minimalJob.replacingOccurrences(of: "name = \"weekly\"", with: "name = \"Weekly Run\""), 5, "[[job]] #1", "name",
             "not a job name"),
            (header + minimalJob.replacingOccurrences(of: "name = \"weekly\"\n", with: ""), 4, "[[job]] #1", nil, "missing key 'name'"),
            (header + minimalJob.replacingOccurrences(of: "every = \"weekly:monday\"", with: ""), 4, "job 'weekly'", nil, "missing key 'every'"),
            (minimalJob, 1, "job 'weekly'", nil, "no store: set db in [defaults] or in the job"),
            ("[defaults]\ndb = \"x\"\nperiod = \"previous-year\"\n", 3, "[defaults]", "period", "belongs in a [[job]]"),
            ("[defaults]\ndatabase = \"x\"\n", 2, "[defaults]", "database", "unknown key"),
            ("[defaults]\nmin_cell = -1\n", 2, "[defaults]", "min_cell", "between 0 and"),
            ("db = \"x\"\n", 1, nil, "db", "settings outside a table are not allowed; put it in [defaults]"),
            ("[defualts]\n", 1, nil, nil, "unknown table 'defualts' (did you mean 'defaults'?)"),
            ("[job]\nname = \"x\"\n", 1, nil, nil, "write [[job]]"),
            ("[[defaults]]\n", 1, nil, nil, "write [defaults]"),
        ]
        for (text, line, context, key, fragment) in cases {
            guard let error = failure(text) else { print(text); continue }
            XCTAssertEqual(error.file, "schedules.toml")
            XCTAssertEqual(error.line, line, "\(error)")
            XCTAssertEqual(error.context, context, "\(error)")
            XCTAssertEqual(error.key, key, "\(error)")
            XCTAssertTrue(error.message.contains(fragment), "\(error) lacks: \(fragment)")
        }
    }

    func testErrorMessageReadsAsOneLine() {
        let error = failure("[defaults]\ndb = \"pop.sqlite\"\n\n" + minimalJob + "\nperod = \"previous-year\"\n")
        XCTAssertEqual(error?.description,
                       "schedules.toml:9: job 'weekly': key 'perod': unknown key (did you mean 'period'?); known keys: name, measures, period, every, at, out, formats, retention, db, valuesets, min_cell, enabled")
    }

    func testLoadReadsTheFileHashesItAndResolvesRelativeToIt() throws {
        let fixture = try ScheduleFixture(self)
        let config = try fixture.weeklyConfig()
        XCTAssertEqual(config.jobs.first?.databasePath, URL(fileURLWithPath: fixture.databasePath).standardizedFileURL.path)
        XCTAssertEqual(config.sha256.count, 64)
        var hash = SHA256()
        hash.update([UInt8](FileManager.default.contents(atPath: fixture.path("schedules.toml"))!))
        XCTAssertEqual(config.sha256, hash.finalize())
        XCTAssertThrowsError(try ScheduleConfig.load(path: fixture.path("missing.toml"))) { error in
            XCTAssertEqual("\(error)", "\(fixture.path("missing.toml")): no such file")
        }
    }

    /// The example shipped in Reports/ parses.
    func testTheShippedExampleParses() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let config = try ScheduleConfig.load(path: repo.appendingPathComponent("Reports/schedules.toml").path)
        XCTAssertEqual(config.jobs.map(\.name), ["weekly-chronic", "quarterly-review", "nightly-diabetes"])
        XCTAssertEqual(config.jobs.map(\.period), [.yearToDate, .previousQuarter, .rolling12Months])
        XCTAssertEqual(config.jobs[2].enabled, false)
        XCTAssertEqual(config.defaults.outputRoot, repo.appendingPathComponent("Reports/out").standardizedFileURL.path)
    }
}
