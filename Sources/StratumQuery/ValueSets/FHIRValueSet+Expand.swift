import Foundation
import StratumStore

/// What a value-set reference in `compose` resolved to.
enum ReferencedValueSet {
    /// Its codes; `label` names it in messages, `incomplete` says it has warnings of its own,
    /// `note` explains a version substitution.
    case found(codes: [ValueSetCode], label: String, incomplete: Bool, note: String?)
    /// Not loaded.
    case missing
    /// Reached again while it is being expanded (a reference cycle).
    case cycle
}

extension Compose {
    /// The codes the includes give minus those the excludes remove, and warnings for every part
    /// that could not be computed without a terminology server. `resolve` looks up a
    /// `url|version` reference.
    func expand(resolve: (String) -> ReferencedValueSet) -> (codes: [ValueSetCode], warnings: [String]) {
        var warnings: [String] = []
        var included = CodeList()
        for rule in include {
            if let codes = rule.codes(role: "include", resolve: resolve, warnings: &warnings) {
                included.append(contentsOf: codes)
            }
        }
        guard !exclude.isEmpty else { return (included.codes, warnings) }

        var excludedCodes: Set<CodeKey> = []
        var excludedSystems: Set<String> = []
        for rule in exclude {
            if let system = rule.system, rule.filters.isEmpty, rule.concepts.isEmpty, rule.valueSets.isEmpty {
                excludedSystems.insert(CodeSystem.normalize(system))  // "all of this system" needs no server
                continue
            }
            if let codes = rule.codes(role: "exclude", resolve: resolve, warnings: &warnings) {
                excludedCodes.formUnion(codes.map(CodeKey.init))
            }
        }
        let kept = included.codes.filter { !excludedSystems.contains($0.system) && !excludedCodes.contains(CodeKey($0)) }
        return (kept, warnings)
    }
}

extension ComposeRule {
    /// The codes one include or exclude entry stands for, or nil (with a warning) when they
    /// cannot be known here.
    func codes(role: String, resolve: (String) -> ReferencedValueSet, warnings: inout [String]) -> [ValueSetCode]? {
        let consequence = role == "include" ? "its codes are not included" : "codes it would remove may remain"
        var result: [ValueSetCode]?
        if let system {
            if !filters.isEmpty {
                warnings.append("\(role) of \(summary) needs a terminology server; \(consequence)")
                return nil
            }
            if concepts.isEmpty {
                warnings.append("\(role) of all of \(system) needs a terminology server; \(consequence)")
                return nil
            }
            result = concepts
        } else if !concepts.isEmpty {
            warnings.append("\(role) lists \(concepts.count) concepts without a system; \(consequence)")
            return nil
        } else if !filters.isEmpty {
            warnings.append("\(role) has filters but no system; \(consequence)")
            return nil
        }

        for reference in valueSets {
            switch resolve(reference) {
            case .missing:
                warnings.append("\(role) of value set \(reference): not loaded; \(consequence)")
                return nil
            case .cycle:
                warnings.append("\(role) of value set \(reference) refers back to itself (a reference cycle); \(consequence)")
                return nil
            case .found(let codes, let label, let incomplete, let note):
                if let note { warnings.append(note) }
                if incomplete { warnings.append("\(role) of value set \(label) (\(reference)), which is itself incomplete") }
                if let current = result {
                    // Several references (or a system plus references) in one entry intersect, as
                    // FHIR R5 states and terminology servers (HAPI) expand R4 content; R4's element
                    // text said "union", which is why authors wanting a union write one include
                    // per value set.
                    let keys = Set(codes.map(CodeKey.init))
                    result = current.filter { keys.contains(CodeKey($0)) }
                } else {
                    result = codes
                }
            }
        }
        if result == nil { warnings.append("\(role) entry names no system, concept or value set; ignored") }
        return result
    }
}

/// Resolves `compose` references among a set of value sets (one file, or a whole directory) and
/// expands every compose-only value set with them. Cycle-safe: a value set reached again while it
/// is being expanded counts as missing for that reference, with a warning.
final class ValueSetResolution {
    private(set) var sets: [FHIRValueSet]
    private let index: CanonicalIndex
    private enum State { case expanding, done }
    private var state: [Int: State] = [:]

    init(_ sets: [FHIRValueSet]) {
        self.sets = sets
        index = CanonicalIndex(sets)
    }

    /// `sets` with every compose-only value set expanded against the others.
    static func expandAll(_ sets: [FHIRValueSet]) -> [FHIRValueSet] {
        guard sets.contains(where: { $0.source == .compose }) else { return sets }
        let resolution = ValueSetResolution(sets)
        for position in sets.indices { resolution.visit(position) }
        return resolution.sets
    }

    private func visit(_ position: Int) {
        guard state[position] == nil else { return }
        guard sets[position].source == .compose, let compose = sets[position].compose else {
            state[position] = .done
            return
        }
        state[position] = .expanding
        let expanded = compose.expand { reference in
            guard let (target, note) = index.find(reference, in: sets) else { return .missing }
            switch state[target] {
            case .expanding?: return .cycle
            case nil: visit(target)
            case .done?: break
            }
            let found = sets[target]
            return .found(codes: found.codes, label: found.label, incomplete: !found.warnings.isEmpty, note: note)
        }
        sets[position].codes = expanded.codes
        sets[position].warnings = sets[position].readWarnings + expanded.warnings
        state[position] = .done
    }
}

/// Value sets by canonical url (scheme-insensitive) and by OID, to resolve `url|version`.
struct CanonicalIndex {
    private var byURL: [String: [Int]] = [:]
    private var byOID: [String: [Int]] = [:]

    init(_ sets: [FHIRValueSet]) {
        for (position, set) in sets.enumerated() {
            if let url = set.url { byURL[Canonical.key(url), default: []].append(position) }
            if let oid = set.oid { byOID[oid, default: []].append(position) }
        }
    }

    /// The value set a reference names, and a note when another version than the one asked for
    /// had to be used. Without a version the latest loaded version is used (FHIR's rule).
    func find(_ reference: String, in sets: [FHIRValueSet]) -> (Int, String?)? {
        let (url, version) = Canonical.split(reference)
        var candidates = byURL[Canonical.key(url)] ?? []
        if candidates.isEmpty, let oid = OID.from(Canonical.tail(url)) ?? OID.from(url) {
            candidates = byOID[oid] ?? []
        }
        guard !candidates.isEmpty else { return nil }
        if let version {
            if let exact = candidates.first(where: { sets[$0].version == version }) { return (exact, nil) }
            let latest = Self.latest(candidates, in: sets)
            let used = sets[latest].version.map { "version \($0)" } ?? "an unversioned copy"
            return (latest, "value set \(url): version \(version) is not loaded; \(used) was used instead")
        }
        return (Self.latest(candidates, in: sets), nil)
    }

    /// The candidate with the highest version (numeric-aware comparison; VSAC versions are dates).
    static func latest(_ candidates: [Int], in sets: [FHIRValueSet]) -> Int {
        candidates.max { a, b in
            let left = sets[a].version ?? "", right = sets[b].version ?? ""
            return left.compare(right, options: .numeric) == .orderedAscending
        } ?? candidates[0]
    }
}
