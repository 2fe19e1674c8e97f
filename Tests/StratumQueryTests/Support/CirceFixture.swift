import Foundation
import StratumStore
import XCTest

/// One row Circe wrote to `cohort`: what a Stratum cohort definition must reproduce. Days are days
/// since 1970-01-01, as the store keeps dates, so a comparison is integer equality.
struct CohortRow: Hashable, Comparable, CustomStringConvertible {
    var definitionID: Int64
    var subjectID: Int64
    var startDay: Int
    var endDay: Int

    /// Circe's test compares rows ordered by id, subject and start; end breaks the remaining ties.
    static func < (a: CohortRow, b: CohortRow) -> Bool {
        (a.definitionID, a.subjectID, a.startDay, a.endDay) < (b.definitionID, b.subjectID, b.startDay, b.endDay)
    }

    var description: String {
        "#\(definitionID) person \(subjectID) \(CivilDate.iso(days: startDay))…\(CivilDate.iso(days: endDay))"
    }
}

/// One row of Circe's `cohort_inclusion_result` (inclusionRules only): persons (mode 1) or events
/// (mode 0) per combination of passed inclusion rules, the rules as a bit mask.
struct InclusionResultRow: Hashable {
    var definitionID: Int64
    var ruleMask: Int64
    var personCount: Int64
    var modeID: Int64
}

/// A case: one `<name>_PREP.json` in a folder of `cohortgeneration`. Named by PREP prefix, not by
/// folder, because `exits` holds two cases (continuousExposure and fixedOffset).
struct CirceCase: Hashable, Comparable, CustomStringConvertible {
    var folder: String
    var name: String

    var description: String { "\(folder)/\(name)" }
    static func < (a: CirceCase, b: CirceCase) -> Bool { a.description < b.description }
}

/// What loading did beyond inserting rows, so a conformance test can tell "Stratum got it wrong"
/// from "the fixture needs something the store does not have" (docs/conformance/CIRCE.md).
struct CirceLoadReport {
    /// Rows inserted per store table (duplicates given fresh ids included).
    var inserted: [String: Int] = [:]
    /// PREP tables the store does not have (condition_era, drug_era, device_exposure, specimen), with row counts.
    var skippedTables: [String: Int] = [:]
    /// PREP columns the store table does not have, per table (e.g. condition_status_concept_id).
    var ignoredColumns: [String: Set<String>] = [:]
    /// Rows whose primary key repeated an earlier row's, per table: the id in the file and the id given.
    var reassignedIDs: [String: [(old: Int64, new: Int64)]] = [:]
    /// Rows the loader derived rather than read (the vocabulary's concept_ancestor self rows).
    var derived: [String: Int] = [:]

    mutating func merge(_ other: CirceLoadReport) {
        inserted.merge(other.inserted, uniquingKeysWith: +)
        skippedTables.merge(other.skippedTables, uniquingKeysWith: +)
        ignoredColumns.merge(other.ignoredColumns) { $0.union($1) }
        reassignedIDs.merge(other.reassignedIDs, uniquingKeysWith: +)
        derived.merge(other.derived, uniquingKeysWith: +)
    }
}

struct CirceFixtureError: Error, CustomStringConvertible {
    var description: String
}

/// The OHDSI Circe cohort-generation fixtures (`../shared/reference/circe-cohortgeneration-dev.tar.gz`),
/// extracted to a temporary directory that the test's teardown removes. The archive is not in the
/// repository; a test using it is skipped where it is absent, as the import tests do with `../shared/data`.
final class CirceFixture {
    static let archiveName = "circe-cohortgeneration-dev.tar.gz"

    /// `<repo>/../shared/reference/<archive>`: this file is `<repo>/Tests/StratumQueryTests/Support/CirceFixture.swift`.
    static var archivePath: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent().appendingPathComponent("shared/reference/\(archiveName)").path
    }

    /// The extraction: `vocabulary.json` and `cohortgeneration/<folder>/…`.
    let directory: URL
    var casesRoot: URL { directory.appendingPathComponent("cohortgeneration") }

    private init(directory: URL) { self.directory = directory }

    /// Extracts the archive with `/usr/bin/tar` (small, and already a dependency of the CI image);
    /// skips the test when the archive is missing.
    static func open(_ test: XCTestCase) throws -> CirceFixture {
        let archive = archivePath
        guard FileManager.default.fileExists(atPath: archive) else { throw XCTSkip("\(archiveName) is not at \(archive)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stratum-circe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["-xzf", archive, "-C", dir.path]
        try tar.run()
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else { throw CirceFixtureError(description: "tar exited \(tar.terminationStatus) on \(archive)") }
        return CirceFixture(directory: dir)
    }

    // MARK: Cases and files

    /// Every case, sorted: one per `*_PREP.json`.
    func cases() throws -> [CirceCase] {
        let fm = FileManager.default
        var result: [CirceCase] = []
        for folder in try fm.contentsOfDirectory(atPath: casesRoot.path) {
            let files = (try? fm.contentsOfDirectory(atPath: casesRoot.appendingPathComponent(folder).path)) ?? []
            for file in files where file.hasSuffix("_PREP.json") {
                result.append(CirceCase(folder: folder, name: String(file.dropLast("_PREP.json".count))))
            }
        }
        return result.sorted()
    }

    func prepURL(_ c: CirceCase) -> URL { casesRoot.appendingPathComponent("\(c.folder)/\(c.name)_PREP.json") }
    func verifyURL(_ c: CirceCase) -> URL { casesRoot.appendingPathComponent("\(c.folder)/\(c.name)_VERIFY.json") }

    /// The case's Circe expression, or nil (conditionOccurrence builds its definitions in Java).
    /// File names vary (`limitTest` → `limitExpression.json`, `simpleInclusionRule` →
    /// `simpleInclusionRule.json`), so: the folder's only non-PREP/VERIFY JSON, else the one whose
    /// name starts with the case name less a trailing "Test".
    func expressionURL(_ c: CirceCase) throws -> URL? {
        let folder = casesRoot.appendingPathComponent(c.folder)
        let candidates = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") && !$0.hasSuffix("_PREP.json") && !$0.hasSuffix("_VERIFY.json") }.sorted()
        let stem = c.name.hasSuffix("Test") ? String(c.name.dropLast(4)) : c.name
        let match = candidates.count == 1 ? candidates.first : candidates.first { $0.hasPrefix(stem) }
        return match.map { folder.appendingPathComponent($0) }
    }

    func expression(_ c: CirceCase) throws -> [String: Any]? {
        try expressionURL(c).map { try Self.object(at: $0) }
    }

    /// The PREP rows per table key as written (`cdm.person` …), for counting and inspection.
    func prepTables(_ c: CirceCase) throws -> [String: [[String: Any]]] {
        try Self.tables(at: prepURL(c))
    }

    // MARK: Loading a store

    /// A new store in the fixture's directory holding the vocabulary and the case's PREP rows.
    func makeStore(for c: CirceCase) throws -> (store: Store, report: CirceLoadReport) {
        let path = directory.appendingPathComponent("\(c.folder)-\(c.name)-\(UUID().uuidString).sqlite").path
        let store = try Store(path: path)
        var report = try loadVocabulary(into: store)
        report.merge(try load(c, into: store))
        return (store, report)
    }

    /// Loads `vocabulary.json` into `concept` and `concept_ancestor`, then adds a level-0 self row
    /// per standard concept: Athena vocabularies carry them and the file does not, and without them
    /// "descendants of X" read from `concept_ancestor` alone would miss X (CIRCE.md, Loader notes).
    func loadVocabulary(into store: Store) throws -> CirceLoadReport {
        let tables = try Self.tables(at: directory.appendingPathComponent("vocabulary.json"))
        var report = try insert(tables, into: store)
        let before = try store.count("concept_ancestor")
        try store.db.execute("""
            INSERT OR IGNORE INTO concept_ancestor (ancestor_concept_id, descendant_concept_id, min_levels_of_separation, max_levels_of_separation)
            SELECT concept_id, concept_id, 0, 0 FROM concept WHERE standard_concept = 'S'
            """)
        report.derived["concept_ancestor", default: 0] += try store.count("concept_ancestor") - before
        return report
    }

    /// Loads the case's PREP rows into `store`.
    func load(_ c: CirceCase, into store: Store) throws -> CirceLoadReport {
        try insert(try prepTables(c), into: store)
    }

    /// Inserts rows keyed `cdm.<table>` in one transaction. Values are converted by the store
    /// column's type; unknown tables and columns are reported, not errors, because the fixtures
    /// were written for the full OMOP CDM. A repeated primary key on an event table gets a fresh id
    /// (the file's largest id + 1, + 2, …): Circe's test database has no key constraints and its
    /// PREP files rely on that (correlatedCriteria visits, eraDupes conditions).
    private func insert(_ tables: [String: [[String: Any]]], into store: Store) throws -> CirceLoadReport {
        var report = CirceLoadReport()
        try store.db.transaction {
            for (key, rows) in tables.sorted(by: { $0.key < $1.key }) {
                let name = key.split(separator: ".").last.map(String.init) ?? key
                guard let schema = CDMSchema.table(named: name) else {
                    report.skippedTables[name, default: 0] += rows.count
                    continue
                }
                let inserter = try store.inserter(for: schema, importID: nil)
                let idColumn = schema.primaryKey.count == 1 && schema.primaryKey[0] != "person_id" && schema.eventDate != nil
                    ? schema.primaryKey[0] : nil
                var nextID: Int64 = 1
                if let idColumn { nextID += rows.compactMap { $0[idColumn].flatMap(Self.int64) }.max() ?? 0 }
                for row in rows {
                    var values: [(Int, SQLValue)] = []
                    for (column, raw) in row {
                        guard let index = schema.index(of: column) else {
                            report.ignoredColumns[name, default: []].insert(column)
                            continue
                        }
                        values.append((index, try Self.value(raw, as: schema.columns[index].type, column: "\(name).\(column)")))
                    }
                    for (index, value) in values { inserter.set(index, value) }
                    if try inserter.insert() { continue }
                    guard let idColumn, let old = row[idColumn].flatMap(Self.int64) else { continue }
                    let idIndex = inserter.column(idColumn)
                    for (index, value) in values { inserter.set(index, value) }
                    inserter.set(idIndex, .integer(nextID))
                    guard try inserter.insert() else { throw CirceFixtureError(description: "\(name): fresh id \(nextID) taken") }
                    inserter.forgiveDuplicate()
                    report.reassignedIDs[name, default: []].append((old, nextID))
                    nextID += 1
                }
                report.inserted[name, default: 0] += inserter.inserted
            }
        }
        return report
    }

    // MARK: Expected rows

    /// The `<schema>.cohort` rows of the case's VERIFY file, sorted.
    func expectedRows(_ c: CirceCase) throws -> [CohortRow] {
        let tables = try Self.tables(at: verifyURL(c))
        var rows: [CohortRow] = []
        for (key, list) in tables where key.hasSuffix(".cohort") {
            for row in list {
                guard let id = row["cohort_definition_id"].flatMap(Self.int64), let subject = row["subject_id"].flatMap(Self.int64),
                      let start = (row["cohort_start_date"] as? String).flatMap({ TimestampParser.parse($0) })?.days,
                      let end = (row["cohort_end_date"] as? String).flatMap({ TimestampParser.parse($0) })?.days
                else { throw CirceFixtureError(description: "\(c): malformed cohort row \(row)") }
                rows.append(CohortRow(definitionID: id, subjectID: subject, startDay: start, endDay: end))
            }
        }
        return rows.sorted()
    }

    /// The `<schema>.cohort_inclusion_result` rows of the VERIFY file (empty for most cases).
    func expectedInclusionResults(_ c: CirceCase) throws -> [InclusionResultRow] {
        try Self.tables(at: verifyURL(c)).filter { $0.key.hasSuffix(".cohort_inclusion_result") }.flatMap(\.value).map { row in
            guard let id = row["cohort_definition_id"].flatMap(Self.int64), let mask = row["inclusion_rule_mask"].flatMap(Self.int64),
                  let count = row["person_count"].flatMap(Self.int64), let mode = row["mode_id"].flatMap(Self.int64)
            else { throw CirceFixtureError(description: "\(c): malformed inclusion result \(row)") }
            return InclusionResultRow(definitionID: id, ruleMask: mask, personCount: count, modeID: mode)
        }
    }

    // MARK: JSON

    static func object(at url: URL) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw CirceFixtureError(description: "\(url.lastPathComponent) is not a JSON object")
        }
        return object
    }

    /// A DbUnit JSON dataset: `{"schema.table": [ {column: value, …}, … ], …}`.
    static func tables(at url: URL) throws -> [String: [[String: Any]]] {
        try object(at: url).mapValues { value in
            guard let rows = value as? [[String: Any]] else { throw CirceFixtureError(description: "\(url.lastPathComponent): a table is not a list of rows") }
            return rows
        }
    }

    static func int64(_ raw: Any) -> Int64? {
        if let number = raw as? NSNumber { return number.int64Value }
        if let text = raw as? String { return Int64(text) }
        return nil
    }

    /// A JSON value as the store keeps it: `date` columns as days since 1970-01-01, `datetime`
    /// columns as epoch seconds (a bare date is its midnight UTC), both via `TimestampParser`, the
    /// importer's parser, so fixture rows look exactly like imported ones.
    static func value(_ raw: Any, as type: ColumnType, column: String) throws -> SQLValue {
        if raw is NSNull { return .null }
        func bad() -> CirceFixtureError { CirceFixtureError(description: "\(column): cannot read \(raw) as \(type.rawValue)") }
        switch type {
        case .date, .datetime:
            guard let text = raw as? String, let parsed = TimestampParser.parse(text) else { throw bad() }
            return .integer(Int64(type == .date ? parsed.days : parsed.seconds ?? parsed.days * 86_400))
        case .integer:
            guard let value = int64(raw) else { throw bad() }
            return .integer(value)
        case .real:
            if let number = raw as? NSNumber { return .real(number.doubleValue) }
            guard let text = raw as? String, let value = Double(text) else { throw bad() }
            return .real(value)
        case .text:
            if let text = raw as? String { return .text(text) }
            if let number = raw as? NSNumber { return .text(number.stringValue) }
            throw bad()
        }
    }
}
