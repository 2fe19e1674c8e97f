import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Atomic output folders and retention. A run writes into a hidden temporary sibling of its final
/// folder (`.<name>.partial-<run id>`), which is renamed to the final name only after the runner
/// returns, so readers see all of a report or none of it. Every published folder carries a marker
/// file naming its job; the scheduler replaces or deletes only folders with its own marker.
public enum ScheduleOutput {
    /// The marker file in every folder the scheduler publishes (JSON: job, slot, period, run id,
    /// files, inputs).
    public static let markerName = ".stratum-schedule.json"

    /// The temporary sibling folder run `runID` writes into.
    public static func temporaryDirectory(for final: URL, runID: Int64) -> URL {
        final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).partial-\(runID)")
    }

    /// Creates an empty temporary folder for run `runID` (and the final folder's parents),
    /// removing leftovers of earlier runs that died before publishing. Returns the folder and the
    /// parents it had to create, deepest first, for `discard` to remove again.
    public static func prepareTemporaryDirectory(for final: URL, runID: Int64) throws -> (folder: URL, createdParents: [URL]) {
        let fm = FileManager.default
        let parent = final.deletingLastPathComponent()
        var created: [URL] = []
        var missing = parent
        while !fm.fileExists(atPath: missing.path), missing.path != "/" {
            created.append(missing)
            missing = missing.deletingLastPathComponent()
        }
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let prefix = ".\(final.lastPathComponent).partial-"
        for name in (try? fm.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) {
            try? fm.removeItem(at: parent.appendingPathComponent(name))
        }
        let temp = temporaryDirectory(for: final, runID: runID)
        try fm.createDirectory(at: temp, withIntermediateDirectories: false)
        return (temp, created)
    }

    /// Removes a temporary folder after a failed run, and the parents created for it if empty.
    public static func discard(_ temp: URL, createdParents: [URL] = []) {
        try? FileManager.default.removeItem(at: temp)
        for parent in createdParents {
            guard (try? FileManager.default.contentsOfDirectory(atPath: parent.path))?.isEmpty == true else { break }
            try? FileManager.default.removeItem(at: parent)
        }
    }

    /// Writes `marker` into `temp` and renames `temp` to `final`. An existing `final` is replaced
    /// only when it is the scheduler's own output (it has a marker); anything else is left alone
    /// and the publish fails.
    public static func publish(_ temp: URL, to final: URL, marker: Data, runID: Int64) throws {
        try marker.write(to: temp.appendingPathComponent(markerName), options: .atomic)
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: final.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, markerJob(in: final) != nil else {
                throw ScheduleRunError("output folder \(final.path) already exists and was not written by stratum schedule; not replacing it (move it away or change the job's out)")
            }
            let old = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).replaced-\(runID)")
            try rename(final, old)
            do {
                try rename(temp, final)
            } catch {
                try? rename(old, final)
                throw error
            }
            try? fm.removeItem(at: old)
        } else {
            try rename(temp, final)
        }
    }

    /// The job named in `folder`'s marker, or nil when it has none (not the scheduler's output).
    public static func markerJob(in folder: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(markerName).path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["job"] as? String
    }

    /// Keeps `job`'s `retention` most recent successful output folders (by slot, then run) and
    /// deletes older ones that still exist and carry the job's marker. Returns the removed paths.
    public static func applyRetention(job: ScheduledJob, log: ScheduleRunLog) throws -> [String] {
        guard let keep = job.retention else { return [] }
        var kept: [String] = []
        var removed: [String] = []
        let fm = FileManager.default
        for row in try log.succeeded(job: job.name) {
            let path = row.outputDirectory
            if kept.contains(path) || removed.contains(path) { continue }
            if kept.count < keep {
                kept.append(path)
                continue
            }
            // Never a folder that is, or holds, one being kept.
            if kept.contains(where: { $0 == path || $0.hasPrefix(path.hasSuffix("/") ? path : path + "/") }) { continue }
            let url = URL(fileURLWithPath: path)
            guard fm.fileExists(atPath: path), markerJob(in: url) == job.name else { continue }
            try fm.removeItem(at: url)
            removed.append(path)
        }
        return removed
    }

    private static func rename(_ from: URL, _ to: URL) throws {
        #if canImport(Glibc)
        let rc = Glibc.rename(from.path, to.path)
        #else
        let rc = Darwin.rename(from.path, to.path)
        #endif
        if rc != 0 {
            throw ScheduleRunError("cannot rename \(from.path) to \(to.path): \(String(cString: strerror(errno)))")
        }
    }
}
