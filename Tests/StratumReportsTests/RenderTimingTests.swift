import Foundation
import XCTest
@testable import StratumReports

/// Not a timed test: with STRATUM_RENDER_TIMING=1 (best in release:
/// `swift test -c release --filter RenderTimingTests`) it renders a synthetic run of one million
/// outcomes in every format and prints how long each file took. Skipped otherwise.
final class RenderTimingTests: XCTestCase {
    func testRenderTimingsOnOneMillionOutcomes() throws {
        let environment = ProcessInfo.processInfo.environment
        guard environment["STRATUM_RENDER_TIMING"] == "1" else {
            throw XCTSkip("set STRATUM_RENDER_TIMING=1 to time the renderers on one million outcomes")
        }
        let outcomes = Int(environment["STRATUM_RENDER_OUTCOMES"] ?? "") ?? 1_000_000
        let patients = Int(environment["STRATUM_RENDER_PATIENTS"] ?? "") ?? max(outcomes / 3, 1)
        var clock = Date()
        let run = LargeRun.make(patients: patients, outcomes: outcomes)
        print("timing: synthetic run of \(run.outcomes.count) outcomes, \(run.patients.count) patients built in \(elapsed(&clock))")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-timing-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = CareGapReportWriter(run: run)
        let files = writer.files(for: CareGapFormat.allCases)
        print("timing: index and summary in \(elapsed(&clock))")
        // Rendering alone: into /dev/null, so no disk and no fsync.
        let null = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/null"))
        for file in files {
            var buffer = ReportBuffer(handle: null)
            try file.render(&buffer)
            try buffer.flush()
            print("timing: render only \(file.path): \(elapsed(&clock)), \(buffer.flushedCount / 1_000_000) MB")
        }
        // Through the writer: temporary file, fsync, rename.
        for file in files {
            try CareGapReportWriter.writeAtomically([file], to: directory.path)
            let size = (try? FileManager.default.attributesOfItem(atPath: directory.path + "/" + file.path)[.size] as? Int) ?? 0
            print("timing: \(file.path): \(elapsed(&clock)), \(size / 1_000_000) MB")
        }
        clock = Date()
        try writer.write(CareGapFormat.allCases, to: directory.path)
        print("timing: all formats through CareGapReportWriter.write: \(elapsed(&clock))")
    }

    private func elapsed(_ clock: inout Date) -> String {
        let now = Date()
        defer { clock = now }
        return String(format: "%.2f s", now.timeIntervalSince(clock))
    }
}
