import Foundation
import StratumStore

extension Session {
    /// Runs a `features` statement: extracts the table, fits or applies its scaling (saving a
    /// fitted one in `feature_scaling`), writes the CSV when asked (atomically), and keeps the
    /// table for later statements and callers (`featureTable(named:)`).
    func runFeatures(_ features: BoundFeatures) throws -> StatementResult {
        let started = DispatchTime.now()
        let plan = FeatureCompiler.compile(features, prefix: nextPrefix(), cohortID: cohortID)
        var table = try FeatureExtractor(session: self).extract(features, plan: plan)
        switch features.scaling {
        case .zscore?, .robust?:
            let method: FeatureScaling.Method = features.scaling == .zscore ? .zscore : .robust
            table.scaling = FeatureScaling.fit(method, columns: table.columns, values: table.values)
            try saveScaling(table.scaling!, for: features)
        case .like(let other)?:
            guard let source = try scaling(of: other) else {
                throw ExecutionError("feature set '\(other)' has no saved standardisation: declare it with 'standardize zscore' or 'robust' first", statement: "")
            }
            let (reordered, missing) = source.reordered(for: table.columns)
            guard let reordered else {
                throw ExecutionError("'standardize like \(other)' needs the same columns, but '\(other)' has no column '\(missing ?? "")'", statement: "")
            }
            table.scaling = reordered
        case nil:
            break
        }
        featureTables[Environment.key(features.name)] = table
        var title = "features \(features.name): \(table.rowCount) person\(table.rowCount == 1 ? "" : "s") × \(table.columns.count) columns"
        if let scaling = table.scaling { title += ", standardised (\(scaling.method.rawValue))" }
        if let path = features.outputPath {
            try AtomicFile.write(table.csv(), to: path)
            title += ", written to \(path)"
        }
        title += String(format: " (%.0f ms)", Session.ms(since: started))
        return .table(table.summary(title: title))
    }

    /// A feature table computed in this session, by name (case-insensitive).
    public func featureTable(named name: String) -> FeatureTable? { featureTables[Environment.key(name)] }

    /// The scaling of a feature set: this session's, else the one saved in the store.
    public func scaling(of name: String) throws -> FeatureScaling? {
        if let scaling = featureTables[Environment.key(name)]?.scaling { return scaling }
        let rows = try store.db.query("""
            SELECT column_name, method, center, scale FROM feature_scaling WHERE feature_set = ? COLLATE NOCASE ORDER BY column_index
            """, [.text(name)])
        guard let first = rows.first, let method = FeatureScaling.Method(rawValue: first[1].text ?? "") else { return nil }
        return FeatureScaling(method: method, columns: rows.map { $0[0].text ?? "" }, centers: rows.map { $0[2].double ?? 0 },
                              scales: rows.map { $0[3].double ?? 1 })
    }

    private func saveScaling(_ scaling: FeatureScaling, for features: BoundFeatures) throws {
        let db = store.db
        try db.transaction {
            try db.run("DELETE FROM feature_scaling WHERE feature_set = ? COLLATE NOCASE", [.text(features.name)])
            let now = Clock.nowISO()
            for (i, column) in scaling.columns.enumerated() {
                try db.run("""
                    INSERT INTO feature_scaling (feature_set, column_index, column_name, method, center, scale, definition, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.text(features.name), .integer(Int64(i)), .text(column), .text(scaling.method.rawValue),
                          .real(scaling.centers[i]), .real(scaling.scales[i]), .text(features.sourceText), .text(now)])
            }
        }
    }
}

/// Writes a file so that readers see the old content or the new, never a part: a temporary file
/// beside the target, then a rename.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws {
        // Plain paths, made absolute once: Foundation's relative file URLs resolved the temporary
        // file and the target against different bases, so the rename missed.
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let slash = absolute.lastIndex(of: "/")!
        let directory = String(absolute[..<slash]), name = String(absolute[absolute.index(after: slash)...])
        let temporary = (directory.isEmpty ? "" : directory) + "/.\(name).\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
            throw ExecutionError("cannot write \(path): cannot create a file in \(directory.isEmpty ? "/" : directory)", statement: "")
        }
        if rename(temporary, absolute) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw ExecutionError("cannot write \(path): \(reason)", statement: "")
        }
    }
}
