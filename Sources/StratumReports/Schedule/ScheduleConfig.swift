import Foundation
import StratumStore

/// A schedule config (`Reports/schedules.toml`): a `[defaults]` table and one `[[job]]` per
/// scheduled care-gap report. The format is described in docs/SCHEDULING.md. Every problem is
/// reported with the file, the line and the key.
public struct ScheduleConfig: Sendable {
    /// The config file as given.
    public var file: String
    /// The directory relative paths in the file are resolved against.
    public var directory: String
    /// SHA-256 of the file's bytes, recorded with every run.
    public var sha256: String
    public var defaults: ScheduleDefaults
    public var jobs: [ScheduledJob]

    public static let defaultsKeys = ["db", "valuesets", "out", "min_cell", "formats"]
    public static let jobKeys = ["name", "measures", "period", "every", "at", "out", "formats", "retention",
                                 "db", "valuesets", "min_cell", "enabled"]
    public static let formatNames = ["html", "csv", "fhir"]
    /// Where `out` defaults to when `[defaults]` has none, relative to the config file.
    public static let defaultOutputRoot = "out"
    /// A job's `out` when it sets none, under the output root.
    public static let defaultOutputTemplate = "{name}/{run_date}"

    /// Reads and validates the config at `path`.
    public static func load(path: String) throws(ScheduleConfigError) -> ScheduleConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the file (permission denied or a directory)" : "no such file"
            throw ScheduleConfigError(file: path, line: 0, message: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScheduleConfigError(file: path, line: 0, message: "not UTF-8 text")
        }
        let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        var config = try parse(text, file: path, directory: directory)
        var hash = SHA256()
        hash.update([UInt8](data))
        config.sha256 = hash.finalize()
        return config
    }

    /// Parses and validates config text; relative paths are resolved against `directory`.
    public static func parse(_ text: String, file: String, directory: String) throws(ScheduleConfigError) -> ScheduleConfig {
        let document = try TOMLParser.parse(text, file: file)
        let reader = Reader(file: file, directory: directory)
        if let key = document.root.keys.first {
            let entry = document.root[key]!
            let (inJob, inDefaults) = (jobKeys.contains(key), defaultsKeys.contains(key))
            let home = inJob && !inDefaults ? "a [[job]]" : inDefaults && !inJob ? "[defaults]" : "[defaults] or a [[job]]"
            throw reader.error(entry.line, nil, key, "settings outside a table are not allowed; put it in \(home)")
        }
        for name in document.sectionOrder {
            switch name {
            case "defaults":
                if let array = document.arrays[name] { throw reader.error(array[0].line, nil, nil, "write [defaults], not [[defaults]]") }
            case "job":
                if let table = document.tables[name] { throw reader.error(table.line, nil, nil, "write [[job]] (an array of tables, one per job), not [job]") }
            default:
                let line = document.tables[name]?.line ?? document.arrays[name]?.first?.line ?? 0
                throw reader.error(line, nil, nil, "unknown table '\(name)'\(NameSuggester.hint(for: name, among: ["defaults", "job"])); a config has [defaults] and [[job]] tables")
            }
        }
        let defaults = try reader.defaults(document.tables["defaults"])
        var jobs: [ScheduledJob] = []
        var seen: [String: Int] = [:]
        for (index, table) in (document.arrays["job"] ?? []).enumerated() {
            let job = try reader.job(table, number: index + 1, defaults: defaults)
            if let first = seen[job.name] {
                throw reader.error(table["name"]!.line, "job '\(job.name)'", "name", "duplicate job name (first defined on line \(first))")
            }
            seen[job.name] = table["name"]!.line
            jobs.append(job)
        }
        return ScheduleConfig(file: file, directory: directory, sha256: "", defaults: defaults, jobs: jobs)
    }

    /// The job called `name`.
    public func job(named name: String) -> ScheduledJob? { jobs.first { $0.name == name } }

    // MARK: Reading tables

    private struct Reader {
        let file: String
        let directory: String

        func error(_ line: Int, _ context: String?, _ key: String?, _ message: String) -> ScheduleConfigError {
            ScheduleConfigError(file: file, line: line, context: context, key: key, message: message)
        }

        func checkKeys(_ table: TOMLTable, allowed: [String], other: [String], otherHome: String, context: String) throws(ScheduleConfigError) {
            for key in table.keys where !allowed.contains(key) {
                let line = table[key]!.line
                if other.contains(key) { throw error(line, context, key, "'\(key)' is not a setting here; it belongs in \(otherHome)") }
                throw error(line, context, key, "unknown key\(NameSuggester.hint(for: key, among: allowed)); known keys: \(allowed.joined(separator: ", "))")
            }
        }

        func string(_ table: TOMLTable, _ key: String, _ context: String) throws(ScheduleConfigError) -> String? {
            guard let entry = table[key] else { return nil }
            guard case .string(let s) = entry.value else { throw error(entry.line, context, key, "must be a string, got \(entry.value.typeName)") }
            return s
        }

        func integer(_ table: TOMLTable, _ key: String, _ context: String, range: ClosedRange<Int>) throws(ScheduleConfigError) -> Int? {
            guard let entry = table[key] else { return nil }
            guard case .integer(let n) = entry.value else { throw error(entry.line, context, key, "must be an integer, got \(entry.value.typeName)") }
            guard range.contains(n) else { throw error(entry.line, context, key, "must be between \(range.lowerBound) and \(range.upperBound), got \(n)") }
            return n
        }

        func boolean(_ table: TOMLTable, _ key: String, _ context: String) throws(ScheduleConfigError) -> Bool? {
            guard let entry = table[key] else { return nil }
            guard case .boolean(let b) = entry.value else { throw error(entry.line, context, key, "must be true or false, got \(entry.value.typeName)") }
            return b
        }

        func strings(_ table: TOMLTable, _ key: String, _ context: String) throws(ScheduleConfigError) -> [String]? {
            guard let entry = table[key] else { return nil }
            guard case .array(let items) = entry.value else {
                if case .string(let s) = entry.value { throw error(entry.line, context, key, "must be an array of strings, e.g. [\"\(s)\"]") }
                throw error(entry.line, context, key, "must be an array of strings, got \(entry.value.typeName)")
            }
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw error(entry.line, context, key, "must be an array of strings; it holds \(item.typeName)") }
                if out.contains(s) { throw error(entry.line, context, key, "'\(s)' is listed twice") }
                out.append(s)
            }
            if out.isEmpty { throw error(entry.line, context, key, "must not be empty") }
            return out
        }

        func path(_ table: TOMLTable, _ key: String, _ context: String) throws(ScheduleConfigError) -> String? {
            guard let text = try string(table, key, context) else { return nil }
            if text.isEmpty { throw error(table[key]!.line, context, key, "must not be empty") }
            return resolve(text)
        }

        /// An absolute, standardised path; relative ones are taken from the config's directory.
        func resolve(_ path: String) -> String {
            let expanded = (path as NSString).expandingTildeInPath
            let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : URL(fileURLWithPath: directory).appendingPathComponent(expanded)
            return url.standardizedFileURL.path
        }

        func formats(_ table: TOMLTable, _ context: String) throws(ScheduleConfigError) -> [String]? {
            guard let formats = try strings(table, "formats", context) else { return nil }
            for f in formats where !ScheduleConfig.formatNames.contains(f) {
                throw error(table["formats"]!.line, context, "formats",
                            "unknown format '\(f)'\(NameSuggester.hint(for: f, among: ScheduleConfig.formatNames)); formats: html, csv, fhir")
            }
            return formats
        }

        func defaults(_ table: TOMLTable?) throws(ScheduleConfigError) -> ScheduleDefaults {
            let table = table ?? TOMLTable(name: "defaults", line: 0)
            let context = "[defaults]"
            try checkKeys(table, allowed: ScheduleConfig.defaultsKeys, other: ScheduleConfig.jobKeys, otherHome: "a [[job]]", context: context)
            return ScheduleDefaults(
                databasePath: try path(table, "db", context),
                valueSetsDirectory: try path(table, "valuesets", context),
                outputRoot: try path(table, "out", context) ?? resolve(ScheduleConfig.defaultOutputRoot),
                minCell: try integer(table, "min_cell", context, range: 0...1_000_000) ?? ScheduleDefaults.defaultMinCell,
                formats: try formats(table, context) ?? ScheduleDefaults.defaultFormats)
        }

        func job(_ table: TOMLTable, number: Int, defaults: ScheduleDefaults) throws(ScheduleConfigError) -> ScheduledJob {
            var context = "[[job]] #\(number)"
            guard let name = try string(table, "name", context) else {
                try checkKeys(table, allowed: ScheduleConfig.jobKeys, other: [], otherHome: "", context: context)
                throw error(table.line, context, nil, "missing key 'name'")
            }
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }) else {
                throw error(table["name"]!.line, context, "name", "'\(name)' is not a job name: use lowercase letters, digits, '_' and '-'")
            }
            context = "job '\(name)'"
            try checkKeys(table, allowed: ScheduleConfig.jobKeys, other: [], otherHome: "", context: context)
            func required(_ key: String) -> ScheduleConfigError { error(table.line, context, nil, "missing key '\(key)'") }

            guard let measures = try strings(table, "measures", context) else { throw required("measures") }
            for m in measures where m.isEmpty || !m.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == "." }) {
                throw error(table["measures"]!.line, context, "measures", "'\(m)' is not a measure id (lowercase letters, digits, '_', '-' and '.', e.g. \"cms122\")")
            }

            guard let periodText = try string(table, "period", context) else { throw required("period") }
            let rules = PeriodRule.allCases.map(\.rawValue)
            guard let period = PeriodRule(rawValue: periodText) else {
                throw error(table["period"]!.line, context, "period",
                            "unknown period rule '\(periodText)'\(NameSuggester.hint(for: periodText, among: rules)); rules: \(rules.joined(separator: ", "))")
            }

            guard let everyText = try string(table, "every", context) else { throw required("every") }
            guard let every = Recurrence(everyText) else {
                let forms = ["daily"] + Recurrence.weekdayNames.map { "weekly:\($0)" } + ["monthly:1"]
                let hint = NameSuggester.suggestion(for: everyText, among: forms).map { " (did you mean '\($0)'?)" } ?? ""
                throw error(table["every"]!.line, context, "every",
                            "'\(everyText)' is not a recurrence\(hint); use daily, weekly:monday … weekly:sunday, or monthly:1 … monthly:28")
            }

            var at = TimeOfDay.defaultRunTime
            if let atText = try string(table, "at", context) {
                guard let parsed = TimeOfDay(atText) else {
                    throw error(table["at"]!.line, context, "at", "'\(atText)' is not a time; write \"HH:MM\" (24-hour, local time), e.g. \"06:00\"")
                }
                at = parsed
            }

            let template = try string(table, "out", context) ?? ScheduleConfig.defaultOutputTemplate
            try checkTemplate(template, line: table["out"]?.line ?? table.line, context: context)
            let expanded = (template as NSString).expandingTildeInPath
            let outputTemplate = expanded.hasPrefix("/") ? expanded : (defaults.outputRoot as NSString).appendingPathComponent(expanded)

            guard let db = try path(table, "db", context) ?? defaults.databasePath else {
                throw error(table.line, context, nil, "no store: set db in [defaults] or in the job")
            }

            return ScheduledJob(
                name: name, measures: measures, period: period, every: every, at: at,
                outputTemplate: outputTemplate,
                formats: try formats(table, context) ?? defaults.formats,
                retention: try integer(table, "retention", context, range: 1...100_000),
                databasePath: db,
                valueSetsDirectory: try path(table, "valuesets", context) ?? defaults.valueSetsDirectory,
                minCell: try integer(table, "min_cell", context, range: 0...1_000_000) ?? defaults.minCell,
                enabled: try boolean(table, "enabled", context) ?? true,
                line: table.line)
        }

        func checkTemplate(_ template: String, line: Int, context: String) throws(ScheduleConfigError) {
            if template.trimmingCharacters(in: .whitespaces).isEmpty { throw error(line, context, "out", "must not be empty") }
            var rest = Substring(template)
            while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
                guard rest[open] == "{", let close = rest[open...].firstIndex(of: "}") else {
                    throw error(line, context, "out", "unbalanced '{' or '}' in '\(template)'")
                }
                let name = String(rest[rest.index(after: open)..<close])
                guard ScheduledJob.placeholders.contains(name) else {
                    throw error(line, context, "out", "unknown placeholder '{\(name)}'\(NameSuggester.hint(for: name, among: ScheduledJob.placeholders)); placeholders: {name}, {period_start}, {period_end}, {run_date}")
                }
                rest = rest[rest.index(after: close)...]
            }
        }
    }
}
