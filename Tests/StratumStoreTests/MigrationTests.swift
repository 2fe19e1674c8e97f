import Foundation
import StratumStore
import XCTest

/// Opening a store made by an earlier Stratum upgrades it in place: it keeps every row and ends
/// with exactly the schema a fresh store has.
final class MigrationTests: XCTestCase {
    /// Every table's columns (name, type, NOT NULL, primary-key position) in order, and every
    /// index's table and columns, as SQLite reports them.
    private func shape(_ db: Database) throws -> [String] {
        var lines: [String] = []
        for table in try db.tableNames() where !table.hasPrefix("sqlite_") {
            let columns = try db.query("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid", [.text(table)])
            lines.append("\(table): " + columns.map { $0.values.map(\.description).joined(separator: " ") }.joined(separator: ", "))
        }
        let indexes = try db.query("SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        for index in indexes {
            let columns = try db.query("SELECT name FROM pragma_index_info(?) ORDER BY seqno", [index[0]]).compactMap { $0[0].text }
            lines.append("index \(index[0].text ?? "") on \(index[1].text ?? "") (\(columns.joined(separator: ", ")))")
        }
        return lines
    }

    /// Fails with the tables and indexes that differ (a line per table: column order counts).
    private func assertSameShape(_ db: Database, as other: Database, file: StaticString = #filePath, line: UInt = #line) throws {
        let mine = try shape(db), theirs = try shape(other)
        XCTAssertEqual(mine.filter { !theirs.contains($0) }, [], "only in the upgraded store", file: file, line: line)
        XCTAssertEqual(theirs.filter { !mine.contains($0) }, [], "only in a fresh store", file: file, line: line)
    }

    func testUpgradesAV2StoreKeepingItsRows() throws {
        let path = try temporaryStorePath()
        do {
            let db = try Database(path: path)
            try StoreV2Fixture.create(in: db)
            try db.execute("""
                INSERT INTO import_run (file_name, sha256, started_at, status) VALUES ('old.tar.gz', 'abc', '2025-01-01', 'complete');
                INSERT INTO person (person_id, year_of_birth, import_id) VALUES (1, 1950, 1);
                INSERT INTO visit_occurrence (visit_occurrence_id, person_id, visit_start_date, discharged_to_source_value, import_id)
                  VALUES (10, 1, 20000, '428361000124107', 1);
                INSERT INTO condition_occurrence (condition_occurrence_id, person_id, condition_start_date, condition_status_source_value, import_id)
                  VALUES (1, 1, 19000, 'active', 1);
                INSERT INTO drug_exposure (drug_exposure_id, person_id, drug_exposure_start_date, days_supply, import_id)
                  VALUES (1, 1, 20001, 30, 1);
                INSERT INTO measurement (measurement_id, person_id, measurement_date, value_as_number, source_system, source_code, import_id)
                  VALUES (1, 1, 20002, 9.5, 'loinc', '4548-4', 1);
                INSERT INTO observation (observation_id, person_id, observation_date, value_source_code, import_id)
                  VALUES (1, 1, 20003, '373066001', 1);
                INSERT INTO procedure_occurrence (procedure_occurrence_id, person_id, procedure_date, import_id) VALUES (1, 1, 20004, 1);
                """)
        }

        let store = try Store(path: path)
        let db = store.db
        XCTAssertEqual(try db.query("SELECT version FROM stratum_migration ORDER BY version").compactMap { $0[0].int },
                       Migrations.all.map { Int64($0.version) })
        // The rows are still there, and the columns added to them are NULL.
        XCTAssertEqual(try db.scalar("SELECT discharged_to_source_value FROM visit_occurrence WHERE visit_occurrence_id = 10"),
                       .text("428361000124107"))
        XCTAssertEqual(try db.scalar("SELECT value_as_number || ' ' || source_code FROM measurement"), .text("9.5 4548-4"))
        XCTAssertEqual(try db.scalar("SELECT condition_status_source_value FROM condition_occurrence"), .text("active"))
        XCTAssertEqual(try db.scalar("SELECT days_supply FROM drug_exposure"), .integer(30))
        XCTAssertEqual(try db.scalar("SELECT value_source_code FROM observation"), .text("373066001"))
        XCTAssertEqual(try store.count("procedure_occurrence"), 1)
        XCTAssertEqual(try db.scalar("""
            SELECT count(*) FROM measurement WHERE status_source_value IS NULL AND category_source_value IS NULL
              AND measurement_end_date IS NULL AND measurement_end_datetime IS NULL
            """), .integer(1))
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM drug_exposure WHERE do_not_perform IS NULL AND intent_source_value IS NULL"),
                       .integer(1))

        // The same columns, in the same order, and the same indexes as a fresh store.
        let fresh = try Store(path: try temporaryStorePath())
        try assertSameShape(db, as: fresh.db)

        // New rows go into the added columns and the new tables; the data-quality report sees them.
        let device = try store.inserter(for: CDMSchema.deviceExposure, importID: 1)
        device.set(device.column("person_id"), Int64(1))
        device.set(device.column("device_exposure_start_date"), Int64(20005))
        device.set(device.column("do_not_perform"), Int64(1))
        try device.insert()
        let measurement = try store.inserter(for: CDMSchema.measurement, importID: 1)
        measurement.set(measurement.column("person_id"), Int64(1))
        measurement.set(measurement.column("measurement_date"), Int64(20006))
        measurement.set(measurement.column("status_source_value"), "final")
        try measurement.insert()
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM measurement WHERE status_source_value = 'final'"), .integer(1))
        let report = try DataQualityReport.compute(store)
        XCTAssertEqual(report.schemaVersion, Migrations.latestVersion)
        XCTAssertEqual(report.rows("device_exposure"), 1)
        XCTAssertEqual(report.rows("measurement"), 2)
        XCTAssertTrue(report.tables.contains { $0.table == "service_request" })

        // Opening it again applies nothing twice.
        let reopened = try Store(path: path)
        XCTAssertEqual(try reopened.db.scalar("SELECT count(*) FROM stratum_migration"), .integer(Int64(Migrations.all.count)))
        try assertSameShape(reopened.db, as: fresh.db)
    }

    /// A fresh store gets the added columns from migration 1 (which builds today's `CDMSchema`),
    /// and the later migration that adds them to old stores leaves them alone. `CDMSchema` must
    /// list them last, in the order they were added, because ALTER TABLE appends.
    func testAddedColumnsEndTheirTablesAndAFreshStoreHasThem() throws {
        let store = try Store(path: try temporaryStorePath())
        let added = Migrations.all.flatMap(\.addedColumns)
        XCTAssertFalse(added.isEmpty)
        for (table, columns) in Dictionary(grouping: added, by: \.table) {
            let schema = try XCTUnwrap(CDMSchema.table(named: table), table)
            let tail = schema.columns.suffix(columns.count)
            XCTAssertEqual(tail.map(\.name), columns.map(\.column.name), table)
            XCTAssertEqual(tail.map(\.type), columns.map(\.column.type), table)
            XCTAssertEqual(try store.db.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(table)]).suffix(columns.count)
                .compactMap { $0[0].text }, columns.map(\.column.name), table)
        }
    }
}
