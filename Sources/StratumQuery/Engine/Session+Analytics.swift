import Foundation
import StratumStore

extension Session {
    func requireAnalytics(_ what: String) throws -> any AnalyticsProvider {
        guard let analytics else {
            throw ExecutionError("\(what) needs the analytics module: run it through the stratum command, or set Session.analytics", statement: "")
        }
        return analytics
    }

    /// `cluster`: fits on the feature table's model matrix, saves `name_1` … `name_k` as cohorts
    /// (each member's eras of the clustered cohort) and `phenotype_assignment` rows.
    func runCluster(_ cluster: BoundCluster) throws -> [StatementResult] {
        let analytics = try requireAnalytics("clustering")
        guard let table = featureTable(named: cluster.features) else {
            throw ExecutionError("feature set '\(cluster.features)' has not been computed in this session", statement: "")
        }
        guard table.rowCount >= cluster.kRange.upperBound else {
            throw ExecutionError("feature set '\(cluster.features)' has \(table.rowCount) persons: too few for \(cluster.kRange.upperBound) clusters", statement: "")
        }
        let started = DispatchTime.now()
        let request = ClusterRequest(matrix: table.modelMatrix(), rows: table.rowCount, columns: table.columns, raw: table.values,
                                     method: cluster.method, kRange: cluster.kRange, seed: cluster.seed, restarts: cluster.restarts,
                                     covariance: cluster.covariance, bootstrap: cluster.bootstrap, charts: cluster.chartsDirectory != nil)
        let outcome = try traced("cluster \(cluster.name)") { try analytics.cluster(request) }
        let db = store.db
        var members: [Int: [Int64]] = [:]
        for (row, c) in outcome.assignments.enumerated() { members[c, default: []].append(table.personIDs[row]) }
        try db.transaction {
            let now = Clock.nowISO()
            try db.run("DELETE FROM phenotype_assignment WHERE name = ?", [.text(cluster.name)])
            let insert = try db.prepare("""
                INSERT INTO phenotype_assignment (name, person_id, cluster, probability, index_date, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for (row, c) in outcome.assignments.enumerated() {
                insert.reset()
                try insert.bind([.text(cluster.name), .integer(table.personIDs[row]), .integer(Int64(c)),
                                 outcome.probabilities.map { .real($0[row]) } ?? .null, .integer(Int64(table.indexDays[row])), .text(now)])
                while try insert.step() {}
            }
            let base = cohortID(cluster.cohort)
            for c in 1...cluster.kRange.upperBound {
                try saveDerivedCohort(cluster.cohortName(c), title: "phenotype \(c) of \(cluster.name) (\(cluster.method.rawValue), k = \(outcome.k))",
                                      definition: cluster.sourceText, persons: members[c] ?? [], eras: .copy(fromDefinition: base))
            }
        }
        var written = ""
        if let directory = cluster.chartsDirectory { written = try writeCharts(outcome.charts, to: directory) }
        let sizes = (1...outcome.k).map { "\(cluster.cohortName($0)) \(members[$0]?.count ?? 0)" }.joined(separator: ", ")
        let line = "cluster \(cluster.name): \(cluster.method.rawValue), k = \(outcome.k), \(table.rowCount) persons → \(sizes)"
            + written + String(format: " (%.0f ms)", Session.ms(since: started))
        return [.text(line)] + outcome.tables.map { .table($0) }
    }

    /// `forecast`: reads the cohort's results of the value set up to the as-of date, asks the
    /// analytics module for per-person forecasts, and saves those crossing the threshold.
    func runForecast(_ forecast: BoundForecast) throws -> [StatementResult] {
        let analytics = try requireAnalytics("forecasting")
        let started = DispatchTime.now()
        let farFuture = 2_000_000
        var pattern = BoundEventPattern(domain: .measurement)
        pattern.valueSet = forecast.valueSet
        pattern.windows = [Binder.indexWindow(days: nil)]
        let features = BoundFeatures(name: "forecast", cohort: forecast.cohort, index: .date(forecast.asOf ?? farFuture), scaling: nil,
                                     outputPath: nil, items: [.values(label: "value", pattern, unit: forecast.unit, [.last])], sourceText: forecast.sourceText)
        let plan = FeatureCompiler.compile(features, prefix: nextPrefix(), cohortID: cohortID)
        var persons: [Int64] = [], days: [Int] = [], values: [Double] = []
        for step in plan.setup { try traced(step.label) { try runSQL(step.statement) } }
        defer { for table in plan.cleanup { try? runSQL(.dropTable(table)) } }
        try traced("forecast: results") {
            try forEachRow(plan.items[0]!) { row in
                guard let p = row[0].int, let d = row[1].int, let v = row[2].double else { return }
                persons.append(p); days.append(Int(d)); values.append(v)
            }
        }
        guard !persons.isEmpty else {
            throw ExecutionError("no results of the value set for members of \(forecast.cohort)\(forecast.asOf.map { " up to " + CivilDate.iso(days: $0) } ?? "")", statement: "")
        }
        let asOf = forecast.asOf ?? days.max()!
        let request = ForecastRequest(persons: persons, days: days, values: values, asOfDay: asOf, horizonDays: forecast.horizonDays,
                                      threshold: forecast.threshold, charts: forecast.chartsDirectory != nil)
        let outcome = try traced("forecast: model") { try analytics.forecast(request) }
        if let name = forecast.name {
            try store.db.transaction {
                try saveDerivedCohort(name, title: "forecast to reach \(forecast.threshold.map { FeatureTable.format($0) } ?? "") within \(forecast.horizonDays) days of \(CivilDate.iso(days: asOf))",
                                      definition: forecast.sourceText, persons: outcome.flagged, eras: .fixed(asOf, asOf + forecast.horizonDays))
            }
        }
        var line = "forecast \(forecast.valueSet.name) for \(forecast.cohort): \(outcome.persons) persons as of \(CivilDate.iso(days: asOf)), horizon \(forecast.horizonDays) days"
        if let threshold = forecast.threshold {
            line += ", \(outcome.flagged.count) forecast to reach \(FeatureTable.format(threshold))"
            if let name = forecast.name { line += " (cohort \(name))" }
        }
        if let directory = forecast.chartsDirectory { line += try writeCharts(outcome.charts, to: directory) }
        line += String(format: " (%.0f ms)", Session.ms(since: started))
        return [.text(line), .table(outcome.model), .table(outcome.table)]
    }

    /// `adherence`: reads the members' fills of the class in the period and their inpatient stays,
    /// asks the analytics module for PDC per PQA, and saves the members below the threshold.
    func runAdherence(_ adherence: BoundAdherence) throws -> [StatementResult] {
        let analytics = try requireAnalytics("adherence")
        let started = DispatchTime.now()
        let plan = FeatureCompiler.fills(cohort: adherence.cohort, valueSet: adherence.valueSet,
                                         period: adherence.periodStart...adherence.periodEnd, prefix: nextPrefix(), cohortID: cohortID)
        for step in plan.setup { try traced(step.label) { try runSQL(step.statement) } }
        defer { for table in plan.cleanup { try? runSQL(.dropTable(table)) } }
        var request = AdherenceRequest(members: [], persons: [], days: [], daysSupply: [], drugs: [], prescribed: [], refills: [], stays: [],
                                       periodStart: adherence.periodStart, periodEnd: adherence.periodEnd, threshold: adherence.threshold,
                                       charts: adherence.chartsDirectory != nil)
        try forEachRow(plan.members) { row in if let p = row[0].int { request.members.append(p) } }
        try traced("adherence: fills") {
            try forEachRow(plan.fills) { row in
                guard let p = row[0].int, let day = row[1].int, let supply = row[2].int else { return }
                request.persons.append(p); request.days.append(Int(day)); request.daysSupply.append(Int(supply))
                request.drugs.append(row[3].text ?? row[3].int.map(String.init) ?? "")
                request.prescribed.append(row[4].int == 1); request.refills.append(Int(row[5].int ?? 0))
            }
        }
        try forEachRow(plan.stays) { row in
            if let p = row[0].int, let s = row[1].int, let e = row[2].int { request.stays.append((p, Int(s), Int(e))) }
        }
        let outcome = try traced("adherence: PDC") { try analytics.adherence(request) }
        if let name = adherence.name {
            try store.db.transaction {
                try saveDerivedCohort(name, title: "PDC below \(FeatureTable.format(adherence.threshold * 100))% for \(adherence.valueSet.name)",
                                      definition: adherence.sourceText, persons: outcome.belowThreshold,
                                      eras: .fixed(adherence.periodStart, adherence.periodEnd))
            }
        }
        var line = "adherence \(adherence.valueSet.name) for \(adherence.cohort), \(CivilDate.iso(days: adherence.periodStart))..\(CivilDate.iso(days: adherence.periodEnd)): "
            + "\(request.members.count) members, \(outcome.eligible) in the denominator, \(outcome.adherent) adherent (PDC ≥ \(FeatureTable.format(adherence.threshold * 100))%)"
        if let name = adherence.name { line += ", \(outcome.belowThreshold.count) below (cohort \(name))" }
        if let directory = adherence.chartsDirectory { line += try writeCharts(outcome.charts, to: directory) }
        line += String(format: " (%.0f ms)", Session.ms(since: started))
        return [.text(line), .table(outcome.table)]
    }

    /// Writes SVG charts into `directory` (created if needed), each atomically; returns the
    /// summary line's note.
    func writeCharts(_ charts: [(name: String, svg: String)], to directory: String) throws -> String {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ExecutionError("cannot create the chart folder \(directory): \(error.localizedDescription)", statement: "")
        }
        for chart in charts { try AtomicFile.write(chart.svg, to: (directory as NSString).appendingPathComponent(chart.name)) }
        return "; \(charts.count) chart\(charts.count == 1 ? "" : "s") in \(directory)"
    }

    enum DerivedEras { case copy(fromDefinition: Int64), fixed(Int, Int) }

    /// Saves a cohort computed outside SQL (phenotypes, forecast flags) under `name`, replacing
    /// an earlier one; runs inside the caller's transaction.
    func saveDerivedCohort(_ name: String, title: String, definition: String, persons: [Int64], eras: DerivedEras) throws {
        let db = store.db
        let id = try saveDefinition(name, title: title, definition: definition, checksum: "")
        try db.run("DELETE FROM cohort WHERE cohort_definition_id = ?", [.integer(id)])
        try db.execute("CREATE TEMP TABLE IF NOT EXISTS stratum_derived_persons (person_id INTEGER PRIMARY KEY)")
        try db.execute("DELETE FROM stratum_derived_persons")
        let insert = try db.prepare("INSERT OR IGNORE INTO stratum_derived_persons (person_id) VALUES (?)")
        for p in persons {
            insert.reset()
            try insert.bind([.integer(p)])
            while try insert.step() {}
        }
        switch eras {
        case .copy(let base):
            try db.run("""
                INSERT INTO cohort (cohort_definition_id, subject_id, cohort_start_date, cohort_end_date)
                SELECT ?, c.subject_id, c.cohort_start_date, c.cohort_end_date FROM cohort c
                WHERE c.cohort_definition_id = ? AND c.subject_id IN (SELECT person_id FROM stratum_derived_persons)
                """, [.integer(id), .integer(base)])
        case .fixed(let start, let end):
            try db.run("""
                INSERT INTO cohort (cohort_definition_id, subject_id, cohort_start_date, cohort_end_date)
                SELECT ?, person_id, ?, ? FROM stratum_derived_persons
                """, [.integer(id), .integer(Int64(start)), .integer(Int64(end))])
        }
        let counts = try db.query("SELECT count(DISTINCT subject_id), count(*) FROM cohort WHERE cohort_definition_id = ?", [.integer(id)])
        try db.run("UPDATE cohort_definition SET persons = ?, eras = ? WHERE cohort_definition_id = ?",
                   [counts.first?[0] ?? .integer(0), counts.first?[1] ?? .integer(0), .integer(id)])
        try db.execute("DELETE FROM stratum_derived_persons")
    }
}
