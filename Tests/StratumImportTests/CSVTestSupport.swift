import Foundation
import XCTest
import StratumStore
@testable import StratumImport

/// Shared helpers of the CSV, OMOP and Synthea import tests.
enum CSVTestSupport {
    /// `../shared/data/<name>` beside the checkout; the test is skipped where it is absent.
    static func sharedData(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.deletingLastPathComponent().appendingPathComponent("shared/data/\(name)").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("sample archive \(name) is not at \(path)") }
        return path
    }

    /// A fresh directory under the temporary directory, removed by the test's teardown.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A new empty store in its own temporary directory.
    static func temporaryStore(_ test: XCTestCase) throws -> Store {
        try Store(path: temporaryDirectory(test).appendingPathComponent("test.sqlite").path)
    }

    static func int(_ store: Store, _ sql: String) throws -> Int {
        Int(try store.db.scalar(sql).int ?? -1)
    }

    /// Writes files (name → bytes) into a new directory and returns its path.
    static func directory(_ test: XCTestCase, _ files: [String: [UInt8]]) throws -> String {
        let url = try temporaryDirectory(test)
        for (name, bytes) in files {
            let file = url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: file)
        }
        return url.path
    }

    /// Every record of `bytes` read by a `CSVReader` fed in chunks of `chunkSize`.
    static func records(_ bytes: [UInt8], chunkSize: Int = 1 << 20, reader: CSVReader = CSVReader()) throws -> [(line: Int, fields: [String])] {
        var reader = reader
        var out: [(line: Int, fields: [String])] = []
        var start = 0
        try bytes.withUnsafeBytes { all in
            while start < all.count {
                let end = min(all.count, start + chunkSize)
                try reader.consume(UnsafeRawBufferPointer(rebasing: all[start..<end])) { out.append(($0.line, $0.strings)) }
                start = end
            }
        }
        try reader.finish { out.append(($0.line, $0.strings)) }
        return out
    }
}
