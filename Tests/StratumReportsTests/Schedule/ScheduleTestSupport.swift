import Foundation
import XCTest
@testable import StratumReports
@testable import StratumStore

/// A temporary directory with a migrated store (`store.sqlite`) and a schedule config in it,
/// removed when the test ends.
final class ScheduleFixture {
    let directory: URL
    let databasePath: String
    /// +01:00 all year: slots are local times, and local is not UTC, but there is no DST.
    static let zone = TimeZone(secondsFromGMT: 3600)!

    init(_ testCase: XCTestCase) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-schedule-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        databasePath = directory.appendingPathComponent("store.sqlite").path
        _ = try Store(path: databasePath)
        let dir = directory
        testCase.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    }

    func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    /// Writes `text` as `schedules.toml` and loads it.
    func config(_ text: String) throws -> ScheduleConfig {
        let file = path("schedules.toml")
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return try ScheduleConfig.load(path: file)
    }

    /// One weekly job on Mondays at 06:00 over the previous month, into out/{name}/{run_date}.
    func weeklyConfig(retention: Int? = nil, extra: String = "") throws -> ScheduleConfig {
        try config("""
            [defaults]
            db = "store.sqlite"
            out = "out"
            formats = ["html", "csv"]

            [[job]]
            name = "weekly"
            measures = ["cms122", "cms165"]
            period = "previous-month"
            every = "weekly:monday"
            \(retention.map { "retention = \($0)" } ?? "")
            \(extra)
            """)
    }

    func scheduler(_ config: ScheduleConfig, runner: any CareGapJobRunner, clock: Date? = nil) -> CareGapScheduler {
        CareGapScheduler(config: config, runner: runner, timeZone: Self.zone,
                         clock: FixedScheduleClock(clock ?? Date(timeIntervalSince1970: 1_750_000_000)))
    }

    func log() throws -> (Store, ScheduleRunLog) {
        let store = try Store(path: databasePath)
        return (store, ScheduleRunLog(database: store.db))
    }

    func allRuns() throws -> [ScheduleRunRecord] {
        let (_, log) = try log()
        return try log.recent(limit: 1000).sorted { $0.id < $1.id }
    }

    /// Every regular file under `relative`, as paths relative to it, sorted.
    func files(under relative: String) -> [String] {
        let root = directory.appendingPathComponent(relative)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var out: [String] = []
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            out.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
        }
        return out.sorted()
    }

    /// Every entry (files and folders, hidden ones too) directly in `relative`.
    func entries(in relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path(relative))) ?? []).sorted()
    }

    /// A local instant in `zone` ("2025-03-03T06:00").
    static func at(_ text: String, zone: TimeZone = zone) -> Date {
        guard let date = ScheduleEvaluator(timeZone: zone).parseInstant(text) else { fatalError("bad test instant \(text)") }
        return date
    }
}

/// Calls a fake runner saw, shared across copies of the (Sendable) runner.
final class RunnerCalls: @unchecked Sendable {
    struct Call: Equatable {
        var measures: [String]
        var periodStart: String
        var periodEnd: String
        var formats: [String]
        var outputDirectory: String
    }

    private let lock = NSLock()
    private var storage: [Call] = []

    var all: [Call] { lock.withLock { storage } }
    var count: Int { all.count }

    func append(_ call: Call) { lock.withLock { storage.append(call) } }
}

struct FakeRunnerFailure: Error, CustomStringConvertible {
    var description: String
}

/// Writes one file per format (`caregaps.<format>`), or fails after writing the first one.
struct FakeCareGapRunner: CareGapJobRunner {
    enum Mode: Sendable {
        case succeed
        case failAfterFirstFile(String)
    }

    var mode: Mode = .succeed
    let calls = RunnerCalls()

    func run(databasePath: String, measures: [String], periodStart: String, periodEnd: String,
             valueSetsDirectory: String?, minCell: Int, formats: [String], outputDirectory: URL) throws -> [URL] {
        calls.append(.init(measures: measures, periodStart: periodStart, periodEnd: periodEnd, formats: formats, outputDirectory: outputDirectory.path))
        var written: [URL] = []
        for format in formats {
            let url = outputDirectory.appendingPathComponent("caregaps.\(format)")
            try Data("\(measures.joined(separator: ",")) \(periodStart)..\(periodEnd)\n".utf8).write(to: url)
            written.append(url)
            if case .failAfterFirstFile(let message) = mode { throw FakeRunnerFailure(description: message) }
        }
        return written
    }
}

extension Array where Element == ScheduleEvent {
    var outcomes: [JobOutcome] {
        compactMap { if case .job(let o) = $0 { o } else { nil } }
    }
}
