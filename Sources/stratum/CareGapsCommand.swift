import ArgumentParser
import Foundation
import Stratum
import StratumReports

/// `stratum caregaps`: evaluate eCQM measures and write care-gap reports.
struct CareGapsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caregaps",
        abstract: "Evaluate quality measures and write care-gap reports (HTML, CSV, FHIR).",
        discussion: """
            Each measure is a Stratum script in the measures directory (Reports/measures: \
            cms122, cms165, cms131, cms951, cms347, cms135, cms144). A patient has an open gap \
            when they are in the denominator, neither excluded nor excepted, and not in the \
            numerator — or, for an inverse measure such as CMS122, when they are in it.

            Value sets: with --valuesets DIR, the measures load the official value sets by OID \
            from DIR (FHIR ValueSet files with expansions, e.g. a VSAC download). Without it they \
            use the project's demo approximations, and every report says so.

            Reports are written atomically into --out: caregaps.html (one self-contained page), \
            caregaps-patients.csv and caregaps-summary.csv, and fhir/ (summary and individual \
            MeasureReports, and a DEQM care-gaps Bundle per patient with a gap, as NDJSON). \
            Aggregate counts below --min-cell are suppressed. See docs/REPORTS.md.

            Examples:
              stratum caregaps --db pop.sqlite --measures cms122,cms165 --period 2025 --out reports/2025
              stratum caregaps --db pop.sqlite --measures all --period 2025-01-01..2025-06-30 \\
                --valuesets vsac/ --out reports/h1 --format html
            """)

    @Option(name: .long, help: ArgumentHelp("The Stratum store (a SQLite file).", valueName: "FILE"))
    var db: String

    @Option(name: .long, help: ArgumentHelp("Measures to evaluate, comma-separated (cms122,cms165,…), or 'all'.", valueName: "LIST"))
    var measures: String

    @Option(name: .long, help: ArgumentHelp("The measurement period: a year (2025) or FROM..TO (2025-01-01..2025-06-30).", valueName: "PERIOD"))
    var period: String

    @Option(name: .long, help: ArgumentHelp("FHIR ValueSet files to load the measures' value sets from (by OID). Default: demo approximations.", valueName: "DIR"))
    var valuesets: String?

    @Option(name: .long, help: ArgumentHelp("The output directory (created if missing).", valueName: "DIR"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Formats, comma-separated: html, csv, fhir.", valueName: "LIST"))
    var format: String = "html,csv,fhir"

    @Option(name: .customLong("min-cell"), help: ArgumentHelp("Suppress aggregate counts below this (0 turns suppression off).", valueName: "N"))
    var minCell: Int = 11

    @Option(name: .customLong("measures-dir"), help: ArgumentHelp("Where the measure scripts are (default: Reports/measures, or $STRATUM_MEASURES).", valueName: "DIR"))
    var measuresDirectory: String?

    @Option(name: .customLong("max-html-patients"), help: ArgumentHelp("Patients listed in the HTML page at most (the CSV has all).", valueName: "N"))
    var maxHTMLPatients: Int = 5_000

    @Flag(name: .long, help: "Print a JSON summary (counts per measure, files, timings) on stdout.")
    var json = false

    @Flag(name: [.short, .long], help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if minCell < 0 { throw ValidationError("--min-cell must be 0 or more") }
        if maxHTMLPatients < 0 { throw ValidationError("--max-html-patients must be 0 or more") }
        if let dir = valuesets {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) || !isDirectory.boolValue {
                throw ValidationError("--valuesets: '\(dir)' is not a directory")
            }
        }
    }

    func run() throws {
        let library = measuresDirectory.map { MeasureLibrary(directory: URL(fileURLWithPath: $0)) } ?? MeasureLibrary.standard()
        let ids = measures.lowercased() == "all" ? library.availableMeasures()
            : measures.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        guard !ids.isEmpty else { throw CLIError(message: "--measures: no measure given", exitCode: ExitStatus.usage) }
        guard case .period(let start, let end) = Environment.parseParameter(period) else {
            throw CLIError(message: "--period: '\(period)' is not a year (2025) or FROM..TO (2025-01-01..2025-12-31)", exitCode: ExitStatus.usage)
        }
        // Formats are checked before minutes of evaluation, not after.
        let kinds: [CareGapFormat]
        do { kinds = try CareGapFormat.parse(format.split(separator: ",").map(String.init)) } catch {
            throw CLIError(message: "--format: \(error.message)", exitCode: ExitStatus.usage)
        }
        let quiet = self.quiet || json
        let pipeline = CareGapPipeline(library: library, maxPatientsInHTML: maxHTMLPatients, progress: quiet ? nil : CareGapsCommand.progress)
        let started = Date()
        do {
            let (run, files) = try pipeline.generate(databasePath: db, measures: ids, periodStart: CivilDate.iso(days: start),
                                                     periodEnd: CivilDate.iso(days: end), valueSetsDirectory: valuesets,
                                                     minCell: minCell, formats: kinds, outputDirectory: URL(fileURLWithPath: out))
            let written = files.map(\.path)
            if json {
                try printJSON(run, files: written, seconds: Date().timeIntervalSince(started))
            } else if !quiet {
                printSummary(run, files: written, seconds: Date().timeIntervalSince(started))
            }
        } catch let error as CareGapError {
            throw CLIError(message: error.message, exitCode: ExitStatus.data)
        } catch let error as QueryError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw CLIError(message: "a measure script has errors; nothing was written", exitCode: ExitStatus.data)
        } catch let error as ExecutionError {
            throw CLIError(message: error.message, exitCode: ExitStatus.failure)
        }
    }

    @Sendable static func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "…\n").utf8))
    }

    /// Each measure group's overall counts, as the reports aggregate them (unsuppressed: this is
    /// the analyst's console; the reports suppress small cells).
    func groups(_ run: CareGapRun) -> [CareGapSummary.Row] { CareGapSummary(run: run).measureRows }

    func printSummary(_ run: CareGapRun, files: [String], seconds: Double) {
        print("care gaps \(run.periodStart)..\(run.periodEnd) — \(run.measures.first?.valueSetSource ?? "")")
        for row in groups(run) {
            let (m, g, c) = (row.measure, row.group, row.counts)
            let rate = c.rate.map { String(format: "%.1f%%", 100 * $0) } ?? "—"
            let name = m.groups.count > 1 ? "\(m.cmsId) group \(g.id)" : m.cmsId
            print("\(name): initial \(c.initialPopulation), denominator \(c.denominator), exclusions \(c.denominatorExclusion), "
                  + (g.populations.contains(.denominatorException) ? "exceptions \(c.denominatorException), " : "")
                  + "numerator \(c.numerator), rate \(rate)\(m.improvement == .decrease ? " (lower is better)" : ""), open gaps \(c.openGaps)"
                  + (run.timings[m.id].map { String(format: " (%.1f s)", $0) } ?? ""))
        }
        for file in files { print("wrote \(file)") }
        print(String(format: "done in %.1f s", seconds))
    }

    func printJSON(_ run: CareGapRun, files: [String], seconds: Double) throws {
        let measures: [[String: Any]] = groups(run).map { row in
            var counts: [String: Int] = [:]
            for p in row.group.populations { counts[p.rawValue] = row.counts.count(p) }
            return ["measure": row.measure.id, "cms": row.measure.cmsId, "group": row.group.id, "counts": counts,
                    "open_gaps": row.counts.openGaps, "seconds": run.timings[row.measure.id] ?? 0]
        }
        let doc: [String: Any] = ["period": ["start": run.periodStart, "end": run.periodEnd], "value_sets": run.measures.first?.valueSetSource ?? "",
                                  "measures": measures, "files": files, "seconds": seconds]
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
