import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes the requested formats of a care-gap run into an output directory, all or nothing.
///
/// Every file is rendered into a temporary directory inside the output directory
/// (`.stratum-tmp-XXXXXX`, so the final renames stay on one file system), written in large
/// chunks and fsynced. Only when all of them are complete are they renamed into place, one by
/// one; a report file that already existed is hard-linked aside first, so that if a rename
/// fails the files already moved are put back. On any error the temporary directory is removed
/// and the output directory holds exactly what it held before.
public struct CareGapReportWriter {
    public var run: CareGapRun
    /// Passed to `CareGapHTMLRenderer`.
    public var maxPatientsInHTML: Int

    public init(run: CareGapRun, maxPatientsInHTML: Int = 5_000) {
        self.run = run
        self.maxPatientsInHTML = maxPatientsInHTML
    }

    /// The files of `formats` (each format once, in the order html, csv, fhir), sharing one index
    /// and one summary of the run.
    public func files(for formats: [CareGapFormat]) -> [ReportFile] {
        let index = CareGapRunIndex(run: run)
        let summary = CareGapSummary(index: index)
        var files: [ReportFile] = []
        for format in CareGapFormat.allCases where formats.contains(format) {
            switch format {
            case .html:
                let html = CareGapHTMLRenderer(index: index, summary: summary, maxPatientsInHTML: maxPatientsInHTML)
                files.append(ReportFile(path: "caregaps.html") { try html.write(to: &$0) })
            case .csv:
                let csv = CareGapCSVRenderer(index: index, summary: summary)
                files.append(ReportFile(path: "caregaps-patients.csv") { try csv.writePatients(to: &$0) })
                files.append(ReportFile(path: "caregaps-summary.csv") { try csv.writeSummary(to: &$0) })
            case .fhir:
                let fhir = CareGapFHIRRenderer(index: index, summary: summary)
                files.append(ReportFile(path: "fhir/measurereport-summary.json") { try fhir.writeSummaryBundle(to: &$0) })
                files.append(ReportFile(path: "fhir/measurereport-individual.ndjson") { try fhir.writeIndividualReports(to: &$0) })
                files.append(ReportFile(path: "fhir/caregaps.ndjson") { try fhir.writeCareGapBundles(to: &$0) })
            }
        }
        return files
    }

    /// Renders `formats` into `directory` (created if missing) atomically; returns the paths written.
    @discardableResult
    public func write(_ formats: [CareGapFormat], to directory: String) throws -> [String] {
        try Self.writeAtomically(files(for: formats), to: directory)
    }

    /// Renders `files` into `directory` atomically (see the type's documentation); returns the
    /// paths written, in the order of `files`.
    @discardableResult
    public static func writeAtomically(_ files: [ReportFile], to directory: String) throws -> [String] {
        try writeAtomically(files, to: directory, rename: posixRename)
    }

    /// `rename` is the final move, replaceable so that tests can make it fail halfway.
    static func writeAtomically(_ files: [ReportFile], to directory: String,
                                rename moveIntoPlace: (String, String) throws -> Void) throws -> [String] {
        let fileManager = FileManager.default
        var seen: Set<String> = []
        for file in files {
            let components = file.path.split(separator: "/", omittingEmptySubsequences: false)
            guard !file.path.isEmpty, !file.path.hasPrefix("/"),
                  components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }),
                  seen.insert(file.path).inserted
            else { throw CareGapReportError.badPath(file.path) }
        }

        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CareGapReportError.notADirectory(directory) }
        } else {
            do {
                try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw CareGapReportError.io(operation: "mkdir", path: directory, reason: "\(error.localizedDescription)")
            }
        }

        var template = Array((directory + "/.stratum-tmp-XXXXXX").utf8CString)
        let temporary: String = try template.withUnsafeMutableBufferPointer { buffer in
            guard let baseAddress = buffer.baseAddress, let made = mkdtemp(baseAddress) else {
                throw CareGapReportError.io(operation: "mkdtemp", path: directory, reason: Self.lastError())
            }
            return String(cString: made)
        }
        defer { try? fileManager.removeItem(atPath: temporary) }
        let staging = temporary + "/files", backups = temporary + "/backup"

        // 1. Render every file completely, synced to disk.
        for file in files {
            let staged = staging + "/" + file.path
            try makeDirectory((staged as NSString).deletingLastPathComponent)
            guard fileManager.createFile(atPath: staged, contents: nil) else {
                throw CareGapReportError.io(operation: "create", path: staged, reason: Self.lastError())
            }
            let handle: FileHandle
            do {
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: staged))
            } catch {
                throw CareGapReportError.io(operation: "open", path: staged, reason: "\(error.localizedDescription)")
            }
            do {
                var buffer = ReportBuffer(handle: handle)
                try file.render(&buffer)
                try buffer.flush()
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
        }

        // 2. Nothing is moved unless every target can take a file.
        let targets = files.map { directory + "/" + $0.path }
        for target in targets where fileManager.fileExists(atPath: target, isDirectory: &isDirectory) && isDirectory.boolValue {
            throw CareGapReportError.isADirectory(target)
        }

        // 3. Move into place; on failure put back what was there.
        var createdDirectories: [String] = []
        var moved: [(target: String, backup: String?)] = []
        do {
            for file in files {
                var parent = (file.path as NSString).deletingLastPathComponent
                var missing: [String] = []
                while !parent.isEmpty && !fileManager.fileExists(atPath: directory + "/" + parent) {
                    missing.append(directory + "/" + parent)
                    parent = (parent as NSString).deletingLastPathComponent
                }
                for path in missing.reversed() {
                    try makeDirectory(path)
                    createdDirectories.append(path)
                }
            }
            for (position, file) in files.enumerated() {
                let target = targets[position]
                var backup: String?
                if fileManager.fileExists(atPath: target) {
                    try makeDirectory(backups)
                    let aside = backups + "/\(position)"
                    if link(target, aside) == 0 {
                        backup = aside
                    } else if (try? fileManager.copyItem(atPath: target, toPath: aside)) != nil {
                        backup = aside
                    } else {
                        throw CareGapReportError.io(operation: "back up", path: target, reason: Self.lastError())
                    }
                }
                try moveIntoPlace(staging + "/" + file.path, target)
                moved.append((target, backup))
            }
        } catch {
            for (target, backup) in moved.reversed() {
                if let backup {
                    _ = rename(backup, target)
                } else {
                    _ = unlink(target)
                }
            }
            for path in createdDirectories.reversed() { _ = rmdir(path) }
            throw error
        }

        // 4. Make the renames durable.
        var synced: Set<String> = []
        for target in targets {
            let parent = (target as NSString).deletingLastPathComponent
            if synced.insert(parent).inserted { Self.syncDirectory(parent) }
        }
        return targets
    }

    private static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CareGapReportError.io(operation: "mkdir", path: path, reason: "\(error.localizedDescription)")
        }
    }

    private static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)   // some file systems refuse fsync on a directory; the data is synced already
        _ = close(descriptor)
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// rename(2): replaces `target` atomically.
private func posixRename(_ source: String, _ target: String) throws {
    if rename(source, target) != 0 {
        throw CareGapReportError.io(operation: "rename", path: target, reason: CareGapReportWriter.lastError())
    }
}
