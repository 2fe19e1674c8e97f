import StratumStore

/// A FHIR R4 ValueSet resource reduced to what cohort queries need: its identity and its codes.
///
/// Codes come from `expansion.contains` when the resource carries an expansion (VSAC and eCQM
/// content always does), otherwise from `compose`: the concepts each `include` lists, minus the
/// concepts `exclude` lists, plus the codes of value sets an `include` references when those are
/// loaded alongside (see `ValueSetDirectory`). Anything that needs a terminology server — an
/// `include` with a `filter` (`is-a`, property filters), an `include` of a whole code system, a
/// reference to a value set that is not loaded — cannot be expanded here; it is reported in
/// `warnings`, never dropped silently.
///
/// Expansion entries marked `abstract: true` (grouping headers that may not be used as codes) and
/// `inactive: true` (retired codes kept for reference) are skipped, as a terminology server's
/// `$validate-code` would reject them; nested `contains` are walked.
public struct FHIRValueSet: Sendable, Equatable {
    /// Where `codes` came from.
    public enum Source: String, Sendable {
        /// `expansion.contains`.
        case expansion
        /// `compose.include` / `compose.exclude` (the resource has no usable expansion).
        case compose
    }

    /// Canonical URL, e.g. `http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113883.3.464.1003.103.12.1001`.
    public var url: String?
    /// Business version (`20220924` for VSAC).
    public var version: String?
    /// Computer-friendly name (`Diabetes`, `HbA1cLaboratoryTest`).
    public var name: String?
    /// Human title (`HbA1c Laboratory Test`).
    public var title: String?
    /// Resource id.
    public var id: String?
    /// The OID of the value set, from `identifier` (`urn:oid:…` or a bare OID), the url's last
    /// segment, or the id — whichever first looks like an OID.
    public var oid: String?
    /// The file the resource was read from, if any.
    public var file: String?
    /// The codes, each once (first occurrence kept), in the order the resource gives them.
    public var codes: [ValueSetCode]
    public var source: Source
    /// Why `codes` may be incomplete, or what was ignored; empty when the content is complete.
    public var warnings: [String]

    /// Warnings found while reading the resource (they survive a re-expansion of `compose`).
    var readWarnings: [String]
    /// The parsed `compose`, kept to expand (again) once referenced value sets are known.
    var compose: Compose?

    public init(url: String? = nil, version: String? = nil, name: String? = nil, title: String? = nil,
                id: String? = nil, oid: String? = nil, file: String? = nil,
                codes: [ValueSetCode], source: Source = .expansion, warnings: [String] = []) {
        self.url = url
        self.version = version
        self.name = name
        self.title = title
        self.id = id
        self.oid = oid
        self.file = file
        self.codes = codes
        self.source = source
        self.warnings = warnings
        self.readWarnings = warnings
        self.compose = nil
    }

    /// The best name to show a user: title, name, id, url, in that order.
    public var label: String { title ?? name ?? id ?? oid ?? url ?? file ?? "(unnamed value set)" }

    /// Whether the value set holds `code` in `system` (a URI or a short name).
    public func contains(system: String, code: String) -> Bool {
        let short = CodeSystem.normalize(system)
        return codes.contains { $0.code == code && $0.system == short }
    }

    /// The codes, or `ValueSetError.noCodes` (with the warnings as reasons) when there are none.
    public func requireCodes() throws(ValueSetError) -> [ValueSetCode] {
        if codes.isEmpty {
            throw .noCodes(path: file, valueSet: label, reasons: warnings.isEmpty ? ["it lists no codes"] : warnings)
        }
        return codes
    }
}

// MARK: - compose

/// `ValueSet.compose`, parsed. Internal: only the expansion code reads it.
struct Compose: Sendable, Equatable {
    var include: [ComposeRule]
    var exclude: [ComposeRule]
}

/// One `compose.include` or `compose.exclude` entry.
struct ComposeRule: Sendable, Equatable {
    /// The system URI as written.
    var system: String?
    /// Listed concepts (system already normalized).
    var concepts: [ValueSetCode]
    /// Filters rendered for messages: `concept is-a 2133-7`.
    var filters: [String]
    /// Canonical references of value sets (`url` or `url|version`).
    var valueSets: [String]

    /// The rule as a user would recognise it in a message.
    var summary: String {
        var parts: [String] = []
        if let system {
            if !filters.isEmpty {
                parts.append("codes of \(system) where " + filters.joined(separator: " and "))
            } else if concepts.isEmpty {
                parts.append("all of \(system)")
            } else {
                parts.append("\(concepts.count) listed codes of \(system)")
            }
        }
        if !valueSets.isEmpty { parts.append("value set " + valueSets.joined(separator: " ∩ ")) }
        return parts.isEmpty ? "an empty rule" : parts.joined(separator: " ∩ ")
    }
}

// MARK: - identity helpers

enum OID {
    /// Whether `text` is an OID such as `2.16.840.1.113883.3.464.1003.103.12.1001`.
    static func isOID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, "012".unicodeScalars.contains(first) else { return false }
        var previousDot = true
        var dots = 0
        for scalar in text.unicodeScalars {
            if scalar == "." {
                if previousDot { return false }
                previousDot = true
                dots += 1
            } else if scalar.value >= 48 && scalar.value <= 57 {
                previousDot = false
            } else {
                return false
            }
        }
        return !previousDot && dots >= 1
    }

    /// The OID in `urn:oid:1.2.3` or a bare `1.2.3`, else nil.
    static func from(_ text: String) -> String? {
        let trimmed = text.hasPrefix("urn:oid:") ? String(text.dropFirst(8)) : text
        return isOID(trimmed) ? trimmed : nil
    }
}

enum Canonical {
    /// Splits `url|version`.
    static func split(_ reference: String) -> (url: String, version: String?) {
        guard let bar = reference.firstIndex(of: "|") else { return (reference, nil) }
        let version = String(reference[reference.index(after: bar)...])
        return (String(reference[..<bar]), version.isEmpty ? nil : version)
    }

    /// The index key of a canonical url: lower-cased, without scheme and trailing slash, so the
    /// `http://` and `https://` spellings VSAC content mixes (`cts.nlm.nih.gov`) meet.
    static func key(_ url: String) -> String {
        var text = url.lowercased()
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) {
            text.removeFirst(scheme.count)
            break
        }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// The last path segment of a url (the OID for VSAC urls).
    static func tail(_ url: String) -> String {
        let (base, _) = split(url)
        return base.split(separator: "/").last.map(String.init) ?? base
    }
}
