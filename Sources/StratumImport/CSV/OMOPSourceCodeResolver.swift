import StratumStore

/// Gives the clinical rows of one OMOP import their source code as (system, code), the pair the
/// query language matches value sets against (`snomed:185086009`, `icd10cm:K92.2`).
///
/// The code is taken from `concept`, preferring the source concept (the code as the source
/// system recorded it, e.g. the ICD-10-CM code of a diagnosis) over the standard concept it was
/// mapped to; where `concept` knows neither, the `*_source_value` becomes the code, with no
/// system. All of it is a few set-based UPDATEs per table, restricted to this import's rows.
struct OMOPSourceCodeResolver {
    /// A clinical table's concept columns.
    struct Target {
        var table: String
        var conceptColumn: String
        var sourceConceptColumn: String
        /// Nil where the CDM's source value is not a code: OHDSI ETLs fill visit_source_value with
        /// the encounter's id, which would be noise in `source_code`.
        var sourceValueColumn: String?
    }

    static let targets: [Target] = [
        Target(table: "condition_occurrence", conceptColumn: "condition_concept_id",
               sourceConceptColumn: "condition_source_concept_id", sourceValueColumn: "condition_source_value"),
        Target(table: "drug_exposure", conceptColumn: "drug_concept_id",
               sourceConceptColumn: "drug_source_concept_id", sourceValueColumn: "drug_source_value"),
        Target(table: "measurement", conceptColumn: "measurement_concept_id",
               sourceConceptColumn: "measurement_source_concept_id", sourceValueColumn: "measurement_source_value"),
        Target(table: "observation", conceptColumn: "observation_concept_id",
               sourceConceptColumn: "observation_source_concept_id", sourceValueColumn: "observation_source_value"),
        Target(table: "procedure_occurrence", conceptColumn: "procedure_concept_id",
               sourceConceptColumn: "procedure_source_concept_id", sourceValueColumn: "procedure_source_value"),
        Target(table: "visit_occurrence", conceptColumn: "visit_concept_id",
               sourceConceptColumn: "visit_source_concept_id", sourceValueColumn: nil),
    ]

    let context: ImportContext

    func resolve() throws {
        let db = context.store.db
        let importID = SQLValue.integer(context.importID)
        let haveConcepts = try db.scalar("SELECT EXISTS (SELECT 1 FROM concept)").int == 1
        if haveConcepts { try makeVocabularyMap() }
        defer { if haveConcepts { try? db.execute("DROP TABLE IF EXISTS temp.stratum_vocabulary") } }
        for target in Self.targets {
            if haveConcepts {
                // One pass: the source concept when `concept` has it, else the standard one.
                // (SQLite cannot see the updated row from an ORDER BY in this subquery, hence
                // the CASE.) Rows neither resolves get NULLs, left to the next pass.
                let table = target.table, source = "\(table).\(target.sourceConceptColumn)"
                try db.run("""
                    UPDATE \(table) SET (source_system, source_code) = (
                        SELECT v.system, c.concept_code
                        FROM concept AS c JOIN temp.stratum_vocabulary AS v ON v.vocabulary_id = c.vocabulary_id
                        WHERE c.concept_id <> 0 AND c.concept_code <> '' AND c.concept_id = CASE
                            WHEN \(source) <> 0 AND EXISTS (SELECT 1 FROM concept AS k WHERE k.concept_id = \(source)
                                                                 AND k.concept_code <> '')
                            THEN \(source) ELSE \(table).\(target.conceptColumn) END)
                    WHERE import_id = ?1 AND source_code IS NULL
                    """, [importID])
            }
            if let valueColumn = target.sourceValueColumn {
                try db.run("""
                    UPDATE \(target.table) SET source_system = NULL, source_code = \(valueColumn)
                    WHERE import_id = ?1 AND source_code IS NULL AND \(valueColumn) IS NOT NULL AND \(valueColumn) <> ''
                    """, [importID])
            }
        }
    }

    /// `vocabulary_id` → Stratum's short system name, for every vocabulary `concept` uses. The
    /// names come from `CodeSystem.normalize` (Swift), so they are put in a temporary table that
    /// the UPDATEs join; there are a few dozen vocabularies, however large `concept` is.
    private func makeVocabularyMap() throws {
        let db = context.store.db
        try db.execute("""
            CREATE TEMP TABLE IF NOT EXISTS stratum_vocabulary (vocabulary_id TEXT PRIMARY KEY, system TEXT NOT NULL);
            DELETE FROM temp.stratum_vocabulary;
            """)
        let vocabularies = try db.query("SELECT DISTINCT vocabulary_id FROM concept WHERE vocabulary_id IS NOT NULL")
        for row in vocabularies {
            guard let vocabulary = row[0].text else { continue }
            try db.run("INSERT OR IGNORE INTO temp.stratum_vocabulary (vocabulary_id, system) VALUES (?, ?)",
                       [.text(vocabulary), .text(CodeSystem.normalize(vocabulary))])
        }
    }
}
