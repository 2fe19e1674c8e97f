import Foundation
import StratumStore
import XCTest

/// A fresh store in a temporary directory, removed with the test.
func temporaryStorePath(_ name: String = "store.sqlite") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

final class StoreTests: XCTestCase {
    func testMigratesOnceAndCreatesEveryTableAndIndex() throws {
        let path = try temporaryStorePath()
        _ = try Store(path: path)
        let store = try Store(path: path)  // a second open applies nothing twice
        let tables = Set(try store.db.tableNames())
        for table in CDMSchema.dataTables { XCTAssertTrue(tables.contains(table.name), table.name) }
        for table in ["import_run", "import_table_rows", "import_issue", "run_log", "cohort", "stratum_migration"] {
            XCTAssertTrue(tables.contains(table), table)
        }
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM stratum_migration").int, Int64(Migrations.latestVersion))
        let indexes = try store.db.query("SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'condition_occurrence_code'")
        XCTAssertEqual(indexes.count, 1)
    }

    func testInserterCountsDuplicatesAndStampsImport() throws {
        let store = try Store(path: try temporaryStorePath())
        let person = try store.inserter(for: CDMSchema.person, importID: 7)
        let id = person.column("person_id"), year = person.column("year_of_birth")
        for key in [1, 2, 1] {
            person.set(id, Int64(key))
            person.set(year, 1950)
            try person.insert()
        }
        XCTAssertEqual(person.inserted, 2)
        XCTAssertEqual(person.duplicates, 1)
        XCTAssertEqual(try store.db.scalar("SELECT count(*) FROM person WHERE import_id = 7").int, 2)
        // Unset columns are NULL, not left over from the previous row.
        person.set(id, 3)
        try person.insert()
        XCTAssertEqual(try store.db.scalar("SELECT year_of_birth FROM person WHERE person_id = 3"), .null)
    }

    func testQueryPlannerUsesCodeIndexForRangePredicates() throws {
        let store = try Store(path: try temporaryStorePath())
        let plan = try store.db.query("""
            EXPLAIN QUERY PLAN SELECT person_id FROM measurement
            WHERE source_code = ? AND source_system = ? AND measurement_date BETWEEN ? AND ?
            """, ["4548-4", "loinc", 19000, 19365]).map { $0[3].text ?? "" }.joined()
        XCTAssertTrue(plan.contains("measurement_code"), plan)
    }

    func testTransactionRollsBackOnError() throws {
        let store = try Store(path: try temporaryStorePath())
        struct Boom: Error {}
        XCTAssertThrowsError(try store.db.transaction {
            try store.db.run("INSERT INTO person (person_id) VALUES (1)")
            throw Boom()
        })
        XCTAssertEqual(try store.count("person"), 0)
    }
}
