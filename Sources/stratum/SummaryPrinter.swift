import Foundation
import Stratum

/// Renders import summaries and data-quality reports for the terminal and as JSON.
enum SummaryPrinter {
    static func printImport(_ summary: ImportSummary) {
        if summary.skippedAlreadyImported {
            print("\(summary.source): already imported (import #\(summary.importID ?? 0), same SHA-256); nothing to do. Use --replace to import it again.")
            return
        }
        let seconds = max(summary.seconds, 1e-9)
        let rate = Double(summary.rowsInserted) / seconds
        let mb = Double(summary.bytesRead) / 1_048_576
        print("Imported \(summary.source) (\(summary.formats.map(\.rawValue).joined(separator: ", ")); \(summary.entries) entries) as import #\(summary.importID ?? 0)")
        print(String(format: "  %@ rows in %.2f s (%@ rows/s, %.1f MB/s of archive)", Terminal.count(summary.rowsInserted), summary.seconds,
                     Terminal.count(Int(rate)), mb / seconds))
        // Data tables only: bookkeeping tables (reference aliases) mean nothing to a reader.
        let dataTables = Set(CDMSchema.dataTables.map(\.name))
        let rows = summary.tableRows.filter { dataTables.contains($0.table) && ($0.inserted > 0 || $0.duplicates > 0) }.map {
            ["  " + $0.table, Terminal.count($0.inserted), $0.duplicates > 0 ? Terminal.count($0.duplicates) : ""]
        }
        if !rows.isEmpty { print(Terminal.table(["  table", "rows", "duplicates"], rows)) }
        for (severity, label) in [(ImportDiagnostics.Severity.skipped, "records skipped"), (.kept, "records kept with a change")] {
            let issues = summary.issues.filter { $0.severity == severity }
            if issues.isEmpty { continue }
            print("  \(label):")
            for issue in issues {
                print("    \(Terminal.count(issue.count)) × \(issue.kind): \(issue.reason) (e.g. \(issue.examples.joined(separator: ", ")))")
            }
        }
        if !summary.entriesNotImported.isEmpty {
            let list = summary.entriesNotImported.sorted { $0.key < $1.key }.map { "\($0.key) (\(Terminal.count($0.value)))" }
            print("  not imported: \(list.joined(separator: ", "))")
        }
    }

    static func printQuality(_ report: DataQualityReport, store: String) {
        print("\nStore \(store) (schema v\(report.schemaVersion))")
        let rows = report.tables.filter { $0.rows > 0 }.map { t -> [String] in
            let range = t.firstDay.map { first in "\(CivilDate.iso(days: first)) … \(t.lastDay.map { CivilDate.iso(days: $0) } ?? "")" } ?? ""
            return ["  " + t.table, Terminal.count(t.rows), range, t.orphans > 0 ? Terminal.count(t.orphans) : ""]
        }
        print(Terminal.table(["  table", "rows", "dates", "orphans"], rows))
        print("Data quality:")
        print("  persons without an observation period: \(Terminal.count(report.personsWithoutObservationPeriod))")
        print("  events outside every observation period: \(Terminal.count(report.eventsOutsideObservation))")
        print("  orphan events (person missing): \(Terminal.count(report.orphans))")
        let duplicates = report.imports.reduce(0) { $0 + $1.duplicates }
        print("  duplicate records ignored: \(Terminal.count(duplicates))")
        for (severity, label) in [("skipped", "records skipped"), ("kept", "records kept with a change")] {
            let issues = report.issues.filter { $0.severity == severity }
            print("  \(label): \(Terminal.count(issues.reduce(0) { $0 + $1.count }))")
            for issue in issues.prefix(12) {
                print("    \(Terminal.count(issue.count)) × \(issue.kind): \(issue.reason)\(issue.examples.map { " (e.g. \($0))" } ?? "")")
            }
        }
        print("Imports:")
        for run in report.imports {
            print("  #\(run.importID) \(run.fileName) [\(run.format)] \(Terminal.count(run.rows)) rows, sha256 \(run.sha256.prefix(12))…, \(run.finishedAt)")
        }
    }

    static func json(_ summary: ImportSummary) -> [String: Any] {
        [
            "source": summary.source,
            "import_id": summary.importID.map { Int($0) } as Any,
            "sha256": summary.sha256,
            "already_imported": summary.skippedAlreadyImported,
            "formats": summary.formats.map(\.rawValue),
            "entries": summary.entries,
            "seconds": summary.seconds,
            "bytes": summary.bytesRead,
            "rows": Dictionary(uniqueKeysWithValues: summary.tableRows.map { ($0.table, $0.inserted) }),
            "duplicates": Dictionary(uniqueKeysWithValues: summary.tableRows.map { ($0.table, $0.duplicates) }),
            "issues": summary.issues.map { ["severity": $0.severity.rawValue, "kind": $0.kind, "reason": $0.reason, "count": $0.count, "examples": $0.examples] },
            "not_imported": summary.entriesNotImported,
            "phases": Dictionary(uniqueKeysWithValues: summary.phases.map { ($0.phase, $0.seconds) }),
        ]
    }

    static func json(_ report: DataQualityReport) -> [String: Any] {
        [
            "schema_version": report.schemaVersion,
            "tables": Dictionary(uniqueKeysWithValues: report.tables.map { t in
                (t.table, [
                    "rows": t.rows, "orphans": t.orphans,
                    "first_date": t.firstDay.map { CivilDate.iso(days: $0) } as Any,
                    "last_date": t.lastDay.map { CivilDate.iso(days: $0) } as Any,
                ] as [String: Any])
            }),
            "persons_without_observation_period": report.personsWithoutObservationPeriod,
            "events_outside_observation": report.eventsOutsideObservation,
            "orphans": report.orphans,
            "imports": report.imports.map {
                ["import_id": Int($0.importID), "file": $0.fileName, "sha256": $0.sha256, "format": $0.format,
                 "finished_at": $0.finishedAt, "rows": $0.rows, "duplicates": $0.duplicates] as [String: Any]
            },
            "issues": report.issues.map {
                ["import_id": Int($0.importID), "severity": $0.severity, "kind": $0.kind, "reason": $0.reason, "count": $0.count,
                 "examples": $0.examples as Any] as [String: Any]
            },
        ]
    }
}
