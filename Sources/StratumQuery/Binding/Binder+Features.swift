import Foundation

extension Binder {
    mutating func bindFeatures(_ decl: FeaturesDecl) -> [BoundStatement] {
        let errorsBefore = diagnostics.count
        guard environment.hasCohort(decl.cohort.text) else {
            unknown("cohort", decl.cohort, candidates: environment.cohortNames)
            return []
        }
        let index: BoundFeatures.Index
        switch decl.index {
        case .entry(let end, _): index = end ? .entryEnd : .entryStart
        case .date(let expr):
            guard let day = bindDate(expr) else { return [] }
            index = .date(day)
        }
        var scaling: BoundFeatures.Scaling?
        switch decl.scaling {
        case .zscore: scaling = .zscore
        case .robust: scaling = .robust
        case .like(let other):
            let key = Environment.key(other.text)
            if let entry = environment.featureSets[key] { scaling = .like(entry.name) }
            else if let stored = environment.storedFeatureSets[key] { scaling = .like(stored) }
            else {
                unknown("feature set", other, candidates: environment.featureSets.values.map(\.name) + environment.storedFeatureSets.values)
                return []
            }
        case nil: scaling = nil
        }
        var items: [BoundFeatures.Item] = []
        var labels: [String: SourceRange] = [:]
        for item in decl.items {
            guard let bound = bindFeatureItem(item, days: item.days) else { continue }
            items.append(bound)
            for column in BoundFeatures.columns(bound) {
                if labels[column] != nil {
                    error(.duplicateName(kind: "feature column", name: column), item.range, notes: ["give one of them another name with 'as'"])
                }
                labels[column] = item.range
            }
        }
        guard !hasErrors(after: errorsBefore) else { return [] }
        let output = decl.output.map { resolvePath($0.path) }
        let features = BoundFeatures(name: decl.name.text, cohort: environment.cohortDisplayName(decl.cohort.text), index: index,
                                     scaling: scaling, outputPath: output, items: items, sourceText: text(decl.range))
        environment.featureSets[Environment.key(decl.name.text)] = .init(name: decl.name.text, value: features)
        return [.features(features)]
    }

    /// A path written in a script, relative to the script's folder (as `include` is).
    func resolvePath(_ path: String) -> String {
        if path.hasPrefix("/") || source == nil || file.hasPrefix("<") { return path }
        return URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path).path
    }

    /// A column name from a label or value-set name: lower case, letters, digits and '_'.
    static func columnName(_ text: String) -> String {
        var out = ""
        for c in text.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(c) && c.isASCII { out.unicodeScalars.append(c) } else if !out.hasSuffix("_") { out += "_" }
        }
        while out.hasSuffix("_") { out.removeLast() }
        return out.isEmpty ? "feature" : out
    }

    static func valueSetLabel(_ ref: ValueSetRef?) -> String? {
        switch ref {
        case .named(let n): return columnName(n.text)
        case .inline(let items, _):
            if case .code(_, let code, _)? = items.first { return columnName(code) }
            return nil
        case nil: return nil
        }
    }

    /// Windows end on the index date (the `e` row's start); `over N days` starts them N days before.
    static func indexWindow(days: Int?, overlaps: Bool = false) -> BoundWindow {
        var w = BoundWindow(eventEnd: false, lower: days.map { BoundBound(anchor: .entryStart, offsetDays: -$0, offsetSeconds: nil) },
                            upper: BoundBound(anchor: .entryStart, offsetDays: 0, offsetSeconds: nil))
        w.overlaps = overlaps
        return w
    }

    mutating func bindFeatureItem(_ item: FeatureItem, days: Int?) -> BoundFeatures.Item? {
        let label = item.label.map(Binder.columnName)
        func pattern(_ domain: Domain, _ ref: ValueSetRef?) -> BoundEventPattern? {
            var p = BoundEventPattern(domain: domain)
            if let ref { guard let set = bindValueSetRef(ref) else { return nil }; p.valueSet = set }
            return p
        }
        switch item.kind {
        case .age: return .age(label: label ?? "age")
        case .sex: return .sex(label: label ?? "female")
        case .values(let domain, let ref, let unitText, let aggregates):
            var unit: UnitDefinition?
            if let unitText {
                guard let found = Units.lookup(unitText.text) else {
                    error(.unknownUnit(unitText.text), unitText.range)
                    return nil
                }
                unit = found
            }
            guard var p = pattern(domain, ref) else { return nil }
            p.windows = [Binder.indexWindow(days: days)]
            return .values(label: label ?? Binder.valueSetLabel(ref) ?? domain.rawValue, p, unit: unit, aggregates)
        case .conditions(let ref):
            guard var p = pattern(.condition, ref) else { return nil }
            p.windows = [Binder.indexWindow(days: days)]
            return .count(label: label ?? "conditions_" + (Binder.valueSetLabel(ref) ?? "any"), p)
        case .count(let eventPattern):
            guard var p = bindPattern(eventPattern) else { return nil }
            // The user's own windows are relative to the index date; this bound is added to them.
            p.windows.append(Binder.indexWindow(days: days))
            return .count(label: label ?? "count_\(eventPattern.domain.rawValue)" + (Binder.valueSetLabel(eventPattern.valueSet).map { "_" + $0 } ?? ""), p)
        case .distinctDrugs(let ref):
            guard var p = pattern(.drug, ref) else { return nil }
            // A supply that overlaps the window counts; it must have started by the index date.
            p.windows = [Binder.indexWindow(days: days, overlaps: true)]
            return .distinctDrugs(label: label ?? "distinct_drugs", p)
        case .visits(let ref, let byClass):
            guard var p = pattern(.visit, ref) else { return nil }
            p.windows = [Binder.indexWindow(days: days)]
            return byClass ? .visitsByClass(label: label ?? "visits", p) : .count(label: label ?? "visits" + (Binder.valueSetLabel(ref).map { "_" + $0 } ?? ""), p)
        }
    }
}
