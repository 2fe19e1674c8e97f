import Foundation
import StratumStore
import XCTest
@testable import StratumImport

/// A temporary directory with a store in it, for import tests.
final class FHIRScratch {
    let directory: URL
    let store: Store

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-fhir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try Store(path: directory.appendingPathComponent("pop.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Writes `text` to `name` (directories created as needed) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Packs `folder` (relative to the scratch directory) into `name`.tar.gz with the system tar.
    func tarGz(_ folder: String, as name: String) throws -> String {
        let output = directory.appendingPathComponent(name).path
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-czf", output, "-C", directory.path, folder]
        try tar.run()
        tar.waitUntilExit()
        XCTAssertEqual(tar.terminationStatus, 0, "tar failed")
        return output
    }

    func importSource(_ path: String, strict: Bool = false) throws -> ImportSummary {
        var options = ImportOptions()
        options.strict = strict
        return try Importer(store: store, options: options).importSource(path)
    }

    func int(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int64? {
        try store.db.scalar(sql, arguments).int
    }

    func text(_ sql: String, _ arguments: [SQLValue] = []) throws -> String? {
        try store.db.scalar(sql, arguments).text
    }

    /// Rows in every data table, for "the store is unchanged" checks.
    func totalRows() throws -> Int {
        try CDMSchema.dataTables.reduce(0) { $0 + (try store.count($1.name)) }
    }
}

/// `StableID` of a FHIR id, as the importer assigns row ids.
func fhirID(_ id: String) -> Int64 { StableID.of(id) }
