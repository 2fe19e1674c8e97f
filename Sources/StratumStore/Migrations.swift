/// Versioned schema migrations. Each runs once, in order, in its own transaction, and is
/// recorded in `stratum_migration`. Append new versions; never edit a released one.
///
/// Migration 1 creates the tables as `CDMSchema` describes them now, so a fresh store already
/// has every column a later migration adds to them. A later migration therefore adds columns
/// through `addedColumns`, which skips a column the table already has, never through a bare
/// `ALTER TABLE ADD COLUMN`, and creates tables with `IF NOT EXISTS`.
public enum Migrations {
    public struct Migration: Sendable {
        public var version: Int
        public var name: String
        public var statements: [String]
        /// Columns added to existing tables (each only if the table lacks it), before `statements` run.
        public var addedColumns: [AddedColumn] = []
    }

    /// A column a migration adds to a table, unless a fresh store made it with the table.
    public struct AddedColumn: Sendable {
        public var table: String
        public var column: Column

        public init(_ table: String, _ column: Column) {
            self.table = table
            self.column = column
        }

        /// The `ALTER TABLE` that adds it; ADD COLUMN appends, so `CDMSchema` lists the column last.
        var sql: String { "ALTER TABLE \(table) ADD COLUMN \(column.name) \(column.type.sqlType)" }
    }

    public static let all: [Migration] = [
        Migration(version: 1, name: "OMOP CDM v5.4-shaped tables and provenance",
                  statements: CDMSchema.dataTables.map(\.createSQL) + [CDMSchema.cohort.createSQL] + [
                      """
                      CREATE TABLE IF NOT EXISTS import_run (
                        import_id INTEGER PRIMARY KEY AUTOINCREMENT,
                        file_name TEXT NOT NULL, sha256 TEXT NOT NULL, size_bytes INTEGER,
                        format TEXT, started_at TEXT NOT NULL, finished_at TEXT,
                        status TEXT NOT NULL, engine_version TEXT, options TEXT, rows_total INTEGER
                      )
                      """,
                      "CREATE INDEX IF NOT EXISTS import_run_sha ON import_run (sha256)",
                      """
                      CREATE TABLE IF NOT EXISTS import_table_rows (
                        import_id INTEGER NOT NULL, table_name TEXT NOT NULL,
                        rows_inserted INTEGER NOT NULL, duplicates INTEGER NOT NULL,
                        PRIMARY KEY (import_id, table_name)
                      )
                      """,
                      """
                      CREATE TABLE IF NOT EXISTS import_issue (
                        import_id INTEGER NOT NULL,
                        severity TEXT NOT NULL, -- skipped | kept | not imported
                        kind TEXT NOT NULL, reason TEXT NOT NULL,
                        count INTEGER NOT NULL, examples TEXT,
                        PRIMARY KEY (import_id, severity, kind, reason)
                      )
                      """,
                      """
                      CREATE TABLE IF NOT EXISTS run_log (
                        run_id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, subject TEXT,
                        started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL,
                        engine_version TEXT, details TEXT
                      )
                      """,
                      // Aliases that resolve conditional references (e.g. Practitioner?identifier=…)
                      // to the id of the resource that carries that identifier.
                      """
                      CREATE TABLE IF NOT EXISTS reference_alias (
                        alias_id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL, kind TEXT NOT NULL
                      )
                      """,
                  ] + CDMSchema.dataTables.flatMap(\.createIndexesSQL) + CDMSchema.cohort.createIndexesSQL),
        Migration(version: 2, name: "cohort definitions and attrition",
                  statements: [
                      // One row per named cohort; the id is stable across runs of the same name, so
                      // `cohort` rows and reports keep pointing at the same definition.
                      """
                      CREATE TABLE IF NOT EXISTS cohort_definition (
                        cohort_definition_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        title TEXT, source_file TEXT, definition TEXT, checksum TEXT NOT NULL,
                        engine_version TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                        persons INTEGER, eras INTEGER
                      )
                      """,
                      """
                      CREATE TABLE IF NOT EXISTS cohort_attrition (
                        cohort_definition_id INTEGER NOT NULL, rule_index INTEGER NOT NULL, rule_name TEXT NOT NULL,
                        persons INTEGER NOT NULL, events INTEGER NOT NULL,
                        PRIMARY KEY (cohort_definition_id, rule_index)
                      )
                      """,
                  ]),
        // FHIR workflow attributes that eCQM logic filters on (see CDMSchema's extension columns),
        // and the device_exposure and service_request tables.
        Migration(version: 3, name: "FHIR workflow attributes",
                  statements: [CDMSchema.deviceExposure, CDMSchema.serviceRequest].flatMap { [$0.createSQL] + $0.createIndexesSQL },
                  addedColumns: [
                      AddedColumn("visit_occurrence", Column("status_source_value", .text)),
                      AddedColumn("condition_occurrence", Column("verification_status_source_value", .text)),
                      AddedColumn("drug_exposure", Column("status_source_value", .text)),
                      AddedColumn("drug_exposure", Column("intent_source_value", .text)),
                      AddedColumn("drug_exposure", Column("do_not_perform", .integer)),
                      AddedColumn("measurement", Column("status_source_value", .text)),
                      AddedColumn("measurement", Column("category_source_value", .text)),
                      AddedColumn("measurement", Column("measurement_end_date", .date)),
                      AddedColumn("measurement", Column("measurement_end_datetime", .datetime)),
                      AddedColumn("observation", Column("status_source_value", .text)),
                      AddedColumn("observation", Column("category_source_value", .text)),
                      AddedColumn("observation", Column("observation_end_date", .date)),
                      AddedColumn("observation", Column("observation_end_datetime", .datetime)),
                      AddedColumn("procedure_occurrence", Column("status_source_value", .text)),
                  ]),
        Migration(version: 4, name: "scheduled care-gap run log",
                  statements: [
                      // One row per `stratum schedule run-due` attempt at a job's slot, failures
                      // included. `slot` is the slot's local date; measures and formats are JSON
                      // arrays; inputs is JSON (store, data snapshot, value sets, config SHA-256,
                      // engine version); pid is the process that ran it, to spot a dead run.
                      """
                      CREATE TABLE IF NOT EXISTS schedule_run (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        job TEXT NOT NULL, slot TEXT NOT NULL,
                        period_start TEXT NOT NULL, period_end TEXT NOT NULL,
                        measures TEXT NOT NULL, formats TEXT NOT NULL, output_dir TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
                        started_at TEXT NOT NULL, finished_at TEXT, error TEXT,
                        inputs TEXT NOT NULL, pid INTEGER
                      )
                      """,
                      // The idempotency guarantee: at most one running-or-succeeded run per job and
                      // slot (failed runs may repeat; a retry adds a row).
                      """
                      CREATE UNIQUE INDEX IF NOT EXISTS schedule_run_slot ON schedule_run (job, slot)
                        WHERE status IN ('running', 'succeeded')
                      """,
                      "CREATE INDEX IF NOT EXISTS schedule_run_job ON schedule_run (job, slot, status)",
                  ]),
        Migration(version: 5, name: "feature scaling and phenotype assignments",
                  statements: [
                      // The centre and scale of each column of a standardised feature set, so new
                      // data is transformed the same way (`standardize like NAME`) in later sessions.
                      """
                      CREATE TABLE IF NOT EXISTS feature_scaling (
                        feature_set TEXT NOT NULL, column_index INTEGER NOT NULL, column_name TEXT NOT NULL,
                        method TEXT NOT NULL, center REAL NOT NULL, scale REAL NOT NULL,
                        definition TEXT, created_at TEXT NOT NULL,
                        PRIMARY KEY (feature_set, column_index)
                      )
                      """,
                      // One row per person clustered by `cluster … as NAME`: the phenotype (1..k,
                      // largest first) and, for mixtures, the membership probability.
                      """
                      CREATE TABLE IF NOT EXISTS phenotype_assignment (
                        name TEXT NOT NULL, person_id INTEGER NOT NULL, cluster INTEGER NOT NULL,
                        probability REAL, index_date INTEGER, created_at TEXT NOT NULL,
                        PRIMARY KEY (name, person_id)
                      )
                      """,
                  ]),
    ]

    /// Applies every migration the database has not had yet.
    public static func migrate(_ db: Database) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS stratum_migration (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
        let applied = Set(try db.query("SELECT version FROM stratum_migration").compactMap { $0[0].int })
        for migration in all where !applied.contains(Int64(migration.version)) {
            try db.transaction {
                for added in migration.addedColumns where !(try columnNames(db, added.table)).contains(added.column.name) {
                    try db.execute(added.sql)
                }
                for statement in migration.statements { try db.execute(statement) }
                try db.run("INSERT INTO stratum_migration (version, name, applied_at) VALUES (?, ?, ?)",
                           [.integer(Int64(migration.version)), .text(migration.name), .text(Clock.nowISO())])
            }
        }
    }

    public static var latestVersion: Int { all.map(\.version).max() ?? 0 }

    /// The columns a table has (none when it does not exist).
    private static func columnNames(_ db: Database, _ table: String) throws -> Set<String> {
        Set(try db.query("SELECT name FROM pragma_table_info(?)", [.text(table)]).compactMap { $0[0].text })
    }
}
