import Foundation
import StratumStore
import XCTest

/// A store survives an importer killed with SIGKILL mid-import: it opens, passes SQLite's
/// integrity check, and holds exactly what it held before that import.
final class CrashSafetyTests: XCTestCase {
    func testKilledImportLeavesTheStoreAsItWas() throws {
        let small = try CLI.sharedData("synthea-csv-27.tar.gz")
        let large = try CLI.sharedData("synthea-fhir-r4-dev.tar.gz")
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("pop.sqlite").path
        XCTAssertEqual(try CLI.run(["import", small, "--db", db, "--quiet"]).status, 0)
        let before = try fingerprint(db)

        let (process, _, _) = try CLI.start(["import", large, "--db", db, "--quiet"])
        // Wait until the import is writing (its rollback journal exists), then a little longer.
        let journal = db + "-journal"
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: journal) && process.isRunning && Date() < deadline {
            usleep(5_000)
        }
        usleep(400_000)
        XCTAssertTrue(process.isRunning, "the import finished before it could be killed; use a larger archive")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        XCTAssertEqual(try fingerprint(db), before)
        let store = try Store(path: db)
        XCTAssertEqual(try store.db.scalar("PRAGMA integrity_check").text, "ok")
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM import_run").int, 1)
        // And the interrupted archive imports cleanly afterwards.
        XCTAssertEqual(try CLI.run(["import", large, "--db", db, "--quiet"]).status, 0)
    }

    func testReimportIsANoOpUnlessReplace() throws {
        let small = try CLI.sharedData("synthea-csv-27.tar.gz")
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("pop.sqlite").path
        XCTAssertEqual(try CLI.run(["import", small, "--db", db, "--quiet"]).status, 0)
        let before = try fingerprint(db)
        let again = try CLI.run(["import", small, "--db", db])
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.contains("already imported"), again.stdout)
        XCTAssertEqual(try fingerprint(db), before)
        let replaced = try CLI.run(["import", small, "--db", db, "--replace", "--json"])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        let store = try Store(path: db, readOnly: true)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM person").int, 27)
        XCTAssertEqual(try store.db.scalar("SELECT group_concat(status) FROM (SELECT status FROM import_run ORDER BY import_id)").text,
                       "replaced,complete")
    }

    /// Every row of every table, hashed, read through the sqlite3 C API (opening the store also
    /// plays back a hot journal).
    private func fingerprint(_ path: String) throws -> String {
        let store = try Store(path: path, readOnly: false)
        var hasher = StoreFingerprint()
        for table in try store.db.tableNames() where !table.hasPrefix("sqlite_") {
            hasher.add(table)
            for row in try store.db.query("SELECT * FROM \(table) ORDER BY rowid") {
                hasher.add(row.values.map(\.description).joined(separator: "\u{1F}"))
            }
        }
        return hasher.value
    }
}

/// A small order-sensitive hash of strings (FNV-1a, 64-bit) for comparing stores.
struct StoreFingerprint {
    private var h: UInt64 = 0xcbf2_9ce4_8422_2325
    private var count = 0
    mutating func add(_ text: String) {
        for byte in text.utf8 { h ^= UInt64(byte); h = h &* 0x0000_0100_0000_01b3 }
        h ^= 0xff; h = h &* 0x0000_0100_0000_01b3
        count += 1
    }
    var value: String { "\(count):\(String(h, radix: 16))" }
}
