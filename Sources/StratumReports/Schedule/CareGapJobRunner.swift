import Foundation

/// Runs one care-gap report for the scheduler. The scheduler gives it a fresh, empty temporary
/// folder and renames that folder into place only when `run` returns, so an implementation may
/// write its files directly and throw at any point: a failed run leaves nothing in the final
/// output location. Errors are recorded in the run log and printed, so their messages must not
/// carry patient data (ids, names, dates of birth) — say what failed, not about whom.
public protocol CareGapJobRunner: Sendable {
    /// Evaluates `measures` for the period on the store at `databasePath` and writes `formats`
    /// into `outputDirectory` atomically (all files or none). Returns the files written.
    func run(databasePath: String, measures: [String], periodStart: String, periodEnd: String,
             valueSetsDirectory: String?, minCell: Int, formats: [String], outputDirectory: URL) throws -> [URL]
}
