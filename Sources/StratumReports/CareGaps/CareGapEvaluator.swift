import Foundation
import StratumQuery
import StratumStore

/// Evaluates measures written in Stratum's language against a store: runs the value-set script
/// and each measure's script in one session (their cohorts are the populations), combines the
/// populations by proportion scoring, reads each patient's evidence, and attributes patients to
/// a provider and care site. The result is a `CareGapRun` the renderers turn into reports.
public final class CareGapEvaluator {
    public let store: Store
    public let library: MeasureLibrary
    public let valueSetDirectory: String?
    public var minCell: Int
    /// Called before each measure with its id (progress on long runs).
    public var onMeasureStart: ((String) -> Void)?

    /// Resolves `load "…"`; share one between evaluators to read a value-set directory once.
    public let loader: FHIRValueSetSource

    public init(store: Store, library: MeasureLibrary, valueSetDirectory: String?, minCell: Int = 11,
                loader: FHIRValueSetSource = FHIRValueSetSource()) {
        self.loader = loader
        self.store = store
        self.library = library
        self.valueSetDirectory = valueSetDirectory
        self.minCell = minCell
    }

    /// Runs the measures for the period `[start, end]` (day numbers, inclusive).
    public func evaluate(measureIDs: [String], periodStart: Int, periodEnd: Int) throws -> CareGapRun {
        let period = "\(CivilDate.iso(days: periodStart))..\(CivilDate.iso(days: periodEnd))"
        let session = try Session(store: store, parameters: ["period": period], valueSetDirectory: valueSetDirectory,
                                  loader: loader)
        try run(library.valueSetScript(vsac: valueSetDirectory != nil), in: session)
        let valueSetSource = valueSetDirectory.map { "FHIR ValueSet directory \(($0 as NSString).lastPathComponent)" }
            ?? "demo approximations (Reports/measures/valuesets/demo.stratum) — not for quality reporting"

        var descriptors: [MeasureDescriptor] = []
        var outcomes: [MeasureOutcome] = []
        var timings: [String: Double] = [:]
        var everyone = Set<Int64>()
        for id in measureIDs {
            onMeasureStart?(id)
            let started = Date()
            let script = try library.script(for: id)
            try run(script, in: session)
            guard let measure = session.environment.measures[id.lowercased()]?.value else {
                throw CareGapError("\(script.lastPathComponent) declares no measure named \(id) (add: measure \(id.uppercased()) … initial population …)")
            }
            descriptors.append(describe(measure, id: id.lowercased(), valueSetSource: valueSetSource, file: script.lastPathComponent))
            let evidence = try evidenceByPerson(measure, session: session)
            for group in measure.groups {
                var members: [String: Set<Int64>] = [:]
                for (code, cohort) in group.populations { members[code] = try session.members(of: cohort) }
                let initial = members["initial-population"] ?? []
                everyone.formUnion(initial)
                for person in initial.sorted() {
                    let populations = Self.score(person, members)
                    let hasGap = populations.contains(.denominator)
                        && !populations.contains(.denominatorExclusion) && !populations.contains(.denominatorException)
                        && (measure.improvement == "decrease") == populations.contains(.numerator)
                    outcomes.append(MeasureOutcome(measureId: id.lowercased(), groupId: group.id, personId: person,
                                                   populations: populations, hasGap: hasGap, evidence: evidence[person] ?? []))
                }
            }
            timings[id.lowercased()] = Date().timeIntervalSince(started)
        }
        return CareGapRun(periodStart: CivilDate.iso(days: periodStart), periodEnd: CivilDate.iso(days: periodEnd),
                          generatedAt: ISO8601DateFormatter().string(from: Date()), engineVersion: Store.engineVersion,
                          dataSnapshot: try snapshot(), minCell: minCell, measures: descriptors,
                          patients: try patients(everyone, periodStart: periodStart, periodEnd: periodEnd),
                          outcomes: outcomes, timings: timings)
    }

    /// Proportion scoring (FHIR measure-scoring `proportion`): each population is counted only
    /// within the one it refines, exclusions before the numerator, exceptions last.
    static func score(_ person: Int64, _ members: [String: Set<Int64>]) -> Set<MeasurePopulation> {
        func has(_ code: String) -> Bool { members[code]?.contains(person) ?? false }
        var out: Set<MeasurePopulation> = []
        guard has("initial-population") else { return out }
        out.insert(.initialPopulation)
        guard has("denominator") else { return out }
        out.insert(.denominator)
        if has("denominator-exclusion") { out.insert(.denominatorExclusion); return out }
        if has("numerator") {
            if has("numerator-exclusion") { out.insert(.numeratorExclusion) } else { out.insert(.numerator) }
            return out
        }
        if has("denominator-exception") { out.insert(.denominatorException) }
        return out
    }

    func run(_ url: URL, in session: Session) throws {
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw CareGapError("cannot read \(url.path)")
        }
        session.sourceFile = url.path
        try session.run(SourceFile(name: url.path, text: text))
    }

    func describe(_ m: BoundMeasure, id: String, valueSetSource: String, file: String) -> MeasureDescriptor {
        let groups = m.groups.map { g in
            MeasureGroup(id: g.id, title: g.title, populations: g.populations.compactMap { MeasurePopulation(rawValue: $0.code) })
        }
        return MeasureDescriptor(id: id, cmsId: m.cms ?? m.name.uppercased(), title: m.title ?? m.name, version: m.version ?? "",
                                 url: m.url, improvement: m.improvement == "decrease" ? .decrease : .increase, groups: groups,
                                 valueSetSource: valueSetSource, scriptFile: file)
    }

    /// The measure's evidence columns for every member of its initial population (of every group).
    func evidenceByPerson(_ m: BoundMeasure, session: Session) throws -> [Int64: [Evidence]] {
        guard !m.evidence.isEmpty else { return [:] }
        var out: [Int64: [Evidence]] = [:]
        // One query over every group's initial population (CMS347 has four).
        var initials: [String] = []
        for group in m.groups {
            if let initial = group.populations.first(where: { $0.code == "initial-population" })?.cohort,
               !initials.contains(where: { $0.lowercased() == initial.lowercased() }) { initials.append(initial) }
        }
        do {
            let table = try session.table(ofAny: initials, columns: [.person] + m.evidence, title: m.name)
            let columns = table.columns
            // What each evidence column puts in the table, known from its kind rather than guessed
            // from its text: a value and its date, a date only, or a value only.
            let shapes = m.evidence.map(Self.shape)
            for row in table.rows {
                guard let person = row.first?.int, out[person] == nil else { continue }
                var items: [Evidence] = []
                var i = 1
                for shape in shapes where i < columns.count {
                    switch shape {
                    case .valueAndDate:
                        items.append(Evidence(label: columns[i], value: Self.text(row[i]), date: i + 1 < row.count ? Self.text(row[i + 1]) : nil))
                        i += 2
                    case .date:
                        items.append(Evidence(label: columns[i], value: nil, date: Self.text(row[i])))
                        i += 1
                    case .value:
                        items.append(Evidence(label: columns[i], value: Self.text(row[i]), date: nil))
                        i += 1
                    }
                }
                out[person] = items
            }
        }
        return out
    }

    enum ColumnShape { case valueAndDate, date, value }

    /// The columns a list column adds (ResultCompiler.list): a measurement or observation event
    /// gives its value and date, any other event or `start`/`end` a date, everything else a value.
    static func shape(_ column: BoundListColumn) -> ColumnShape {
        switch column {
        case .labeled(let inner, _): return shape(inner)
        case .event(_, let pattern, _): return pattern.domain == .measurement || pattern.domain == .observation ? .valueAndDate : .date
        case .start, .end: return .date
        default: return .value
        }
    }

    static func text(_ value: SQLValue) -> String? {
        switch value {
        case .null: return nil
        case .integer(let v): return String(v)
        case .real(let v): return v.rounded() == v && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.4g", v)
        case .text(let s): return s
        default: return "\(value)"
        }
    }

    /// The data the run saw: the store's file name and the SHA-256 of its latest import.
    func snapshot() throws -> String {
        let name = (store.path as NSString).lastPathComponent
        let last = try store.db.query("SELECT sha256, finished_at FROM import_run WHERE status = 'complete' ORDER BY import_id DESC LIMIT 1")
        guard let row = last.first, let sha = row[0].text else { return "\(name) (no import recorded)" }
        return "\(name), last import \(sha.prefix(12)) at \(row[1].text ?? "?")"
    }

    /// Age at the end of the period, sex, and attribution: the person's own provider and care
    /// site (a PCP) when the data has one, else those of their latest visit in the period.
    func patients(_ ids: Set<Int64>, periodStart: Int, periodEnd: Int) throws -> [PatientSummary] {
        guard !ids.isEmpty else { return [] }
        let db = store.db
        try db.execute("DROP TABLE IF EXISTS temp.caregap_person")
        try db.execute("CREATE TEMP TABLE caregap_person (person_id INTEGER PRIMARY KEY)")
        defer { try? db.execute("DROP TABLE IF EXISTS temp.caregap_person") }
        let insert = try db.prepare("INSERT INTO temp.caregap_person (person_id) VALUES (?)")
        try db.transaction {
            for id in ids { try insert.bind([.integer(id)]); _ = try insert.step(); insert.reset() }
        }
        let sql = """
            WITH latest AS (
              SELECT v.person_id, v.provider_id, v.care_site_id,
                     ROW_NUMBER() OVER (PARTITION BY v.person_id ORDER BY v.visit_start_date DESC, v.visit_occurrence_id DESC) AS n
              FROM visit_occurrence v JOIN temp.caregap_person c ON c.person_id = v.person_id
              WHERE v.visit_start_date BETWEEN ? AND ?)
            SELECT c.person_id, p.birth_date, p.year_of_birth, p.gender_concept_id,
                   COALESCE(p.provider_id, l.provider_id) AS provider_id, pr.provider_name,
                   COALESCE(p.care_site_id, l.care_site_id, pr.care_site_id) AS care_site_id, cs.care_site_name
            FROM temp.caregap_person c
            LEFT JOIN person p ON p.person_id = c.person_id
            LEFT JOIN latest l ON l.person_id = c.person_id AND l.n = 1
            LEFT JOIN provider pr ON pr.provider_id = COALESCE(p.provider_id, l.provider_id)
            LEFT JOIN care_site cs ON cs.care_site_id = COALESCE(p.care_site_id, l.care_site_id, pr.care_site_id)
            ORDER BY c.person_id
            """
        let end = CivilDate.civil(days: periodEnd)
        return try db.query(sql, [.integer(Int64(periodStart)), .integer(Int64(periodEnd))]).map { row in
            var age: Int?
            if let birth = row[1].int {
                let b = CivilDate.civil(days: Int(birth))
                age = end.year - b.year - ((end.month, end.day) < (b.month, b.day) ? 1 : 0)
            } else if let year = row[2].int {
                age = end.year - Int(year)
            }
            let sex: String? = switch row[3].int { case 8532: "female"; case 8507: "male"; default: nil }
            return PatientSummary(personId: row[0].int ?? 0, age: age, sex: sex, providerId: row[4].int, providerName: row[5].text,
                                  careSiteId: row[6].int, careSiteName: row[7].text)
        }
    }
}
