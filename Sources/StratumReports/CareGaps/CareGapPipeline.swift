import Foundation
import StratumStore

/// The whole care-gap job, as `stratum caregaps` and the scheduler run it: open the store,
/// evaluate the measures for the period, and write the reports atomically.
public struct CareGapPipeline: CareGapJobRunner {
    public var library: MeasureLibrary
    /// Patients listed in the HTML page at most (the CSV lists every one).
    public var maxPatientsInHTML: Int
    /// Called with a progress line ("cms122", "writing html, csv") on long runs.
    public var progress: (@Sendable (String) -> Void)?

    public init(library: MeasureLibrary = .standard(), maxPatientsInHTML: Int = 5_000, progress: (@Sendable (String) -> Void)? = nil) {
        self.library = library
        self.maxPatientsInHTML = maxPatientsInHTML
        self.progress = progress
    }

    /// Evaluates and returns the run without writing anything.
    public func evaluate(databasePath: String, measures: [String], periodStart: String, periodEnd: String,
                         valueSetsDirectory: String?, minCell: Int) throws -> CareGapRun {
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw CareGapError("no store at \(databasePath) (create one with 'stratum import ARCHIVE --db \(databasePath)')")
        }
        guard let start = TimestampParser.parse(periodStart)?.days, let end = TimestampParser.parse(periodEnd)?.days, start <= end else {
            throw CareGapError("the period \(periodStart)..\(periodEnd) is not two ISO dates in order")
        }
        for id in measures { _ = try library.script(for: id) }
        let store = try Store(path: databasePath)
        let evaluator = CareGapEvaluator(store: store, library: library, valueSetDirectory: valueSetsDirectory, minCell: minCell)
        if let progress { evaluator.onMeasureStart = { progress("evaluating \($0)") } }
        return try evaluator.evaluate(measureIDs: measures, periodStart: start, periodEnd: end)
    }

    /// Evaluates, then writes `formats` into `outputDirectory` atomically; returns the run (for
    /// summaries) and the files written.
    public func generate(databasePath: String, measures: [String], periodStart: String, periodEnd: String,
                         valueSetsDirectory: String?, minCell: Int, formats: [CareGapFormat],
                         outputDirectory: URL) throws -> (run: CareGapRun, files: [URL]) {
        let run = try evaluate(databasePath: databasePath, measures: measures, periodStart: periodStart, periodEnd: periodEnd,
                               valueSetsDirectory: valueSetsDirectory, minCell: minCell)
        progress?("writing \(formats.map(\.rawValue).joined(separator: ", "))")
        let written = try CareGapReportWriter(run: run, maxPatientsInHTML: maxPatientsInHTML).write(formats, to: outputDirectory.path)
        return (run, written.map { URL(fileURLWithPath: $0) })
    }

    public func run(databasePath: String, measures: [String], periodStart: String, periodEnd: String,
                    valueSetsDirectory: String?, minCell: Int, formats: [String], outputDirectory: URL) throws -> [URL] {
        try generate(databasePath: databasePath, measures: measures, periodStart: periodStart, periodEnd: periodEnd,
                     valueSetsDirectory: valueSetsDirectory, minCell: minCell, formats: CareGapFormat.parse(formats),
                     outputDirectory: outputDirectory).files
    }
}
