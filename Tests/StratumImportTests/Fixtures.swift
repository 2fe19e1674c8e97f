import CArchive
import Foundation
import StratumImport
import StratumStore
import XCTest

/// Builds small archives in memory-free fashion for tests, with any entry names (including
/// hostile ones no archiver would write).
enum ArchiveFixture {
    enum Kind { case tarGzip, tarBzip2, tarXz, zip, tar, gzipFile }

    static func write(_ path: String, kind: Kind, entries: [(name: String, bytes: [UInt8])]) throws {
        let archive = archive_write_new()!
        defer { archive_write_free(archive) }
        switch kind {
        case .tarGzip:
            archive_write_set_format_pax_restricted(archive)
            archive_write_add_filter_gzip(archive)
        case .tarBzip2:
            archive_write_set_format_pax_restricted(archive)
            archive_write_add_filter_bzip2(archive)
        case .tarXz:
            archive_write_set_format_pax_restricted(archive)
            archive_write_add_filter_xz(archive)
        case .gzipFile:
            archive_write_set_format_raw(archive)
            archive_write_add_filter_gzip(archive)
        case .tar:
            archive_write_set_format_pax_restricted(archive)
        case .zip:
            archive_write_set_format_zip(archive)
        }
        guard archive_write_open_filename(archive, path) == ARCHIVE_OK else {
            throw NSError(domain: "fixture", code: 1, userInfo: [NSLocalizedDescriptionKey: String(cString: archive_error_string(archive))])
        }
        for entry in entries {
            let e = archive_entry_new()!
            archive_entry_set_pathname(e, entry.name)
            archive_entry_set_size(e, Int64(entry.bytes.count))
            archive_entry_set_filetype(e, 0o100000)
            archive_entry_set_perm(e, 0o644)
            archive_entry_set_mtime(e, 1_700_000_000, 0)
            archive_write_header(archive, e)
            _ = entry.bytes.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
            archive_entry_free(e)
        }
        archive_write_close(archive)
    }

    static func text(_ s: String) -> [UInt8] { Array(s.utf8) }
}

/// Paths of the shared sample data, beside the repository.
enum SharedData {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared")
    }

    static func path(_ name: String) throws -> String {
        let path = root.appendingPathComponent("data").appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("\(name) not found at \(path)") }
        return path
    }
}

enum TempDir {
    static func make() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// A fingerprint of every row of every data and provenance table, to prove a failed import
/// left the store exactly as it was.
func storeFingerprint(_ store: Store) throws -> String {
    var hasher = SHA256()
    let tables = try store.db.tableNames().filter { !$0.hasPrefix("sqlite_") }
    for table in tables {
        hasher.update(Array(table.utf8))
        for row in try store.db.query("SELECT * FROM \(table) ORDER BY rowid") {
            hasher.update(Array(row.values.map(\.description).joined(separator: "\u{1F}").utf8))
        }
    }
    return hasher.finalize()
}
