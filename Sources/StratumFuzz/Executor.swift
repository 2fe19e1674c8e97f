import Foundation
import StratumQuery
import StratumStore

/// `--execute`: runs inputs that compile on a scratch store, through a Session, so SQLite
/// itself checks the generated SQL (a table or column that does not exist, a syntax error, a
/// limit such as the parser's stack). The store holds a few rows; cohorts accumulate in it.
final class Executor {
    let store: Store
    let session: Session

    init(directory: String, pipeline: Pipeline) throws {
        let path = (directory as NSString).appendingPathComponent("execute.sqlite")
        for suffix in ["", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        store = try Store(path: path)
        let db = store.db
        try db.transaction {
            for p: Int64 in 1...3 {
                try db.run("INSERT INTO person (person_id, gender_concept_id, year_of_birth, birth_date) VALUES (?, ?, 1960, ?)",
                           [.integer(p), .integer(p == 1 ? 8532 : 8507), .integer(Int64(CivilDate.days(year: 1960, month: 5, day: 1)))])
                try db.run("INSERT INTO observation_period (person_id, observation_period_start_date, observation_period_end_date) VALUES (?, ?, ?)",
                           [.integer(p), .integer(Int64(CivilDate.days(year: 2000, month: 1, day: 1))), .integer(Int64(CivilDate.days(year: 2030, month: 1, day: 1)))])
                try db.run("INSERT INTO condition_occurrence (person_id, condition_start_date, source_system, source_code) VALUES (?, ?, 'snomed', '44054006')",
                           [.integer(p), .integer(Int64(CivilDate.days(year: 2024, month: 2, day: Int(p))))])
                try db.run("INSERT INTO measurement (person_id, measurement_date, value_as_number, unit_source_value, source_system, source_code) VALUES (?, ?, 9.5, '%', 'loinc', '4548-4')",
                           [.integer(p), .integer(Int64(CivilDate.days(year: 2024, month: 3, day: Int(p))))])
            }
            try db.run("""
                INSERT INTO cohort_definition (name, checksum, created_at, updated_at) VALUES ('Stored', '-', '2024-01-01', '2024-01-01')
                """)
        }
        session = try Session(store: store, parameters: ["cutoff": "2024-06-30"], loader: pipeline.loader)
        try session.run(SourceFile(name: "preamble.stratum", text: Corpus.preamble))
    }

    /// Runs `text`; a problem when SQLite rejects a generated statement.
    func run(_ text: String) -> String? {
        do {
            try session.run(SourceFile(name: Pipeline.fileName, text: text))
            return nil
        } catch let error as ExecutionError {
            return "SQLite rejected generated SQL: \(error.message.prefix(200))"
        } catch is QueryError {
            return nil   // names defined by earlier inputs can differ from the fuzz environment's
        } catch {
            return "running failed: \(error)"
        }
    }
}
