import ArgumentParser
import Foundation
import StratumAnalytics

/// `stratum adherence`: medication adherence from event tables.
struct AdherenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adherence",
        abstract: "Medication adherence from medication-event tables (AdhereR's CMAs, PQA's PDC).",
        subcommands: [AdherenceCMACommand.self, AdherencePDCCommand.self])
}

/// `stratum adherence cma`: AdhereR's CMA1–CMA9 per patient, per treatment episode or in sliding windows.
struct AdherenceCMACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cma",
        abstract: "Compute AdhereR's CMA1-CMA9 from a CSV of medication events.",
        discussion: """
            The input is a CSV file with a header row and one row per medication event (patient, date, \
            supply duration in days, optionally daily dose and medication class). Windows are in days: the \
            follow-up window starts --followup-start days after each patient's first event, the observation \
            window --observation-start days after the follow-up start; the observation window must lie inside \
            the follow-up window. Errors name the file, line and column but never a cell's value.

            The output CSV (written atomically) has the --id column and one column per requested CMA (empty \
            where the CMA is undefined); with --per-episode also episode, episode_start, episode_end, \
            episode_days and end_gap_days; with --sliding-window also window, window_start and window_end \
            (end dates are exclusive, as AdhereR prints them). See docs/ADHERENCE.md.

            Examples:
              stratum adherence cma --input med_events.csv --id PATIENT_ID \\
                --date DATE --date-format %m/%d/%Y --duration DURATION \\
                --dose PERDAY --class CATEGORY --observation-start 182 \\
                --observation-days 365 --cma 1..9 --output cma.csv
              stratum adherence cma --input med_events.csv --id PATIENT_ID \\
                --date DATE --duration DURATION --class CATEGORY \\
                --observation-days 730 --cma 9 --per-episode --max-gap 180 \\
                --output episodes.csv
              stratum adherence cma --input med_events.csv --id PATIENT_ID \\
                --date DATE --duration DURATION --observation-days 730 \\
                --cma 9 --sliding-window 120 --step 30 --output windows.csv
            """)

    @Option(name: .long, help: ArgumentHelp("The medication events (CSV with a header row).", valueName: "FILE"))
    var input: String

    @Option(name: .long, help: ArgumentHelp("The patient identifier column.", valueName: "COLUMN"))
    var id: String

    @Option(name: .long, help: ArgumentHelp("The event date column.", valueName: "COLUMN"))
    var date: String

    @Option(name: .customLong("date-format"), help: ArgumentHelp("The date format (%Y, %m, %d and separators).", valueName: "FORMAT"))
    var dateFormat = "%m/%d/%Y"

    @Option(name: .long, help: ArgumentHelp("The supply duration column (days, > 0).", valueName: "COLUMN"))
    var duration: String

    @Option(name: .long, help: ArgumentHelp("The daily dose column (> 0; used by --consider-dosage-change).", valueName: "COLUMN"))
    var dose: String?

    @Option(name: .customLong("class"), help: ArgumentHelp("The medication class column (carry-over and episode rules).", valueName: "COLUMN"))
    var medicationClass: String?

    @Option(name: .customLong("followup-start"), help: ArgumentHelp("Follow-up window start, days after the first event.", valueName: "DAYS"))
    var followupStart = 0

    @Option(name: .customLong("followup-days"), help: ArgumentHelp("Follow-up window duration.", valueName: "DAYS"))
    var followupDays = 730

    @Option(name: .customLong("observation-start"), help: ArgumentHelp("Observation window start, days after the follow-up start.", valueName: "DAYS"))
    var observationStart = 0

    @Option(name: .customLong("observation-days"), help: ArgumentHelp("Observation window duration.", valueName: "DAYS"))
    var observationDays = 365

    @Flag(name: .customLong("carry-only-same-medication"), help: "Carry supply over only to events of the same class (needs --class).")
    var carryOnlySameMedication = false

    @Flag(name: .customLong("consider-dosage-change"), help: "Rescale carried-over supply by the ratio of daily doses (needs --dose).")
    var considerDosageChange = false

    @Option(name: .long, help: ArgumentHelp("The CMAs to compute: a list and/or ranges of 1-9 (e.g. 1..9, 1,8,9).", valueName: "LIST"))
    var cma = "1..9"

    @Flag(name: .customLong("per-episode"), help: "One row per treatment episode (AdhereR CMA_per_episode).")
    var perEpisode = false

    @Option(name: .customLong("max-gap"), help: ArgumentHelp("Episodes: a gap longer than this starts a new episode.", valueName: "DAYS"))
    var maxGap: Double = 180

    @Flag(name: .customLong("medication-change-episode"), inversion: .prefixedNo,
          help: "Episodes: a change of medication class starts a new episode.")
    var medicationChangeEpisode = true

    @Option(name: .customLong("sliding-window"), help: ArgumentHelp("One row per sliding window of this many days (AdhereR CMA_sliding_window).", valueName: "DAYS"))
    var slidingWindow: Int?

    @Option(name: .long, help: ArgumentHelp("Sliding windows: days between window starts (default: the window duration).", valueName: "DAYS"))
    var step: Int?

    @Option(name: .customLong("window-start"), help: ArgumentHelp("Sliding windows: first start, days after the observation start.", valueName: "DAYS"))
    var windowStart = 0

    @Option(name: .long, help: ArgumentHelp("The CSV to write.", valueName: "FILE"))
    var output: String

    @Flag(name: .long, help: "Print a JSON summary on stdout instead of text.")
    var json = false

    /// "1..9", "1,8,9", "1..4,9" → sorted distinct CMA numbers.
    static func parseCMAList(_ text: String) -> [Int]? {
        var ks = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.components(separatedBy: "..")
            guard bounds.count <= 2, let lo = Int(bounds[0].trimmingCharacters(in: .whitespaces)),
                  let hi = Int(bounds.last!.trimmingCharacters(in: .whitespaces)), 1 <= lo, lo <= hi, hi <= 9 else { return nil }
            ks.formUnion(lo...hi)
        }
        return ks.sorted()
    }

    func validate() throws {
        guard Self.parseCMAList(cma) != nil else { throw ValidationError("--cma must list CMAs 1-9, e.g. 1..9 or 1,8,9") }
        guard followupDays > 0, observationDays > 0 else { throw ValidationError("--followup-days and --observation-days must be positive") }
        guard followupStart >= 0, observationStart >= 0, windowStart >= 0 else { throw ValidationError("window starts must not be negative") }
        guard maxGap >= 0 else { throw ValidationError("--max-gap must not be negative") }
        if perEpisode && slidingWindow != nil { throw ValidationError("--per-episode and --sliding-window exclude each other") }
        if let w = slidingWindow, w <= 0 { throw ValidationError("--sliding-window must be positive") }
        if let s = step, s <= 0 { throw ValidationError("--step must be positive") }
        if step != nil && slidingWindow == nil { throw ValidationError("--step needs --sliding-window") }
        if carryOnlySameMedication && medicationClass == nil { throw ValidationError("--carry-only-same-medication needs --class") }
        if considerDosageChange && dose == nil { throw ValidationError("--consider-dosage-change needs --dose") }
        guard CMADate.isSupported(format: dateFormat) else { throw ValidationError("--date-format supports %Y, %m, %d and literal separators") }
    }

    func run() throws {
        let started = Date()
        let ks = Self.parseCMAList(cma)!
        let events: [MedicationEvent]
        do {
            events = try MedicationEventCSV.read(path: input, columns: .init(id: id, date: date, duration: duration, dose: dose,
                                                                             medication: medicationClass, dateFormat: dateFormat))
        } catch let e as MedicationEventCSV.ReadError {
            throw CLIError(message: e.message, exitCode: ExitStatus.data)
        }
        let readSeconds = Date().timeIntervalSince(started)
        let computeStarted = Date()
        let grouped = CMACalculator.groupByPatient(events)
        let calc = CMACalculator(parameters: CMAParameters(followUpStart: followupStart, followUpDays: followupDays,
                                                           observationStart: observationStart, observationDays: observationDays,
                                                           carryOnlyForSameMedication: carryOnlySameMedication,
                                                           considerDosageChange: considerDosageChange))
        var header = [csvField(id)]
        let mode: String
        if perEpisode {
            mode = "per-episode"; header += ["episode", "episode_start", "episode_end", "episode_days", "end_gap_days"]
        } else if slidingWindow != nil {
            mode = "sliding-window"; header += ["window", "window_start", "window_end"]
        } else {
            mode = "patient"
        }
        header += ks.map { "CMA\($0)" }

        var out: [UInt8] = Array((header.joined(separator: ",") + "\n").utf8)
        out.reserveCapacity(1 << 20)
        var defined = [Int](repeating: 0, count: 10), sums = [Double](repeating: 0, count: 10)
        var rows = 0
        func append(_ values: [Double?]) {
            for k in ks {
                out.append(44)
                if let v = values[k - 1] {
                    defined[k] += 1; sums[k] += v
                    out.append(contentsOf: Array(String(format: "%.10g", v).utf8))
                }
            }
            out.append(10)
            rows += 1
        }
        let url = URL(fileURLWithPath: output)
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil), let handle = try? FileHandle(forWritingTo: temp) else {
            throw CLIError(message: "cannot write \(output)", exitCode: ExitStatus.failure)
        }
        for range in grouped.patients {
            let e = grouped.events[range]
            let idField = Array(csvField(e[e.startIndex].patient).utf8)
            if perEpisode {
                for w in calc.perEpisode(ks, events: e, maxGap: maxGap, medicationChangeStartsEpisode: medicationChangeEpisode) {
                    out += idField
                    out += Array(",\(w.index),\(CMADate.iso(w.startDay)),\(CMADate.iso(w.endDay)),\(w.endDay - w.startDay),\(String(format: "%.10g", w.endGapDays ?? 0))".utf8)
                    append(w.values)
                }
            } else if let windowDays = slidingWindow {
                for w in calc.slidingWindows(ks, events: e, windowDays: windowDays, stepDays: step ?? windowDays, startOffset: windowStart) {
                    out += idField
                    out += Array(",\(w.index),\(CMADate.iso(w.startDay)),\(CMADate.iso(w.endDay))".utf8)
                    append(w.values)
                }
            } else {
                out += idField
                append((1...9).map { ks.contains($0) ? calc.cma($0, events: e) : nil })
            }
            if out.count >= 1 << 20 { handle.write(Data(out)); out.removeAll(keepingCapacity: true) }
        }
        handle.write(Data(out))
        try? handle.close()
        if rename(temp.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: temp)
            throw CLIError(message: "cannot write \(output): \(String(cString: strerror(errno)))", exitCode: ExitStatus.failure)
        }
        let computeSeconds = Date().timeIntervalSince(computeStarted)
        if json {
            var cmaDoc: [String: Any] = [:]
            for k in ks {
                cmaDoc["CMA\(k)"] = ["defined": defined[k], "mean": defined[k] > 0 ? sums[k] / Double(defined[k]) as Any : NSNull()]
            }
            let doc: [String: Any] = [
                "events": events.count, "patients": grouped.patients.count, "rows": rows, "mode": mode, "cma": cmaDoc,
                "output": output,
                "parameters": ["followup_start": followupStart, "followup_days": followupDays, "observation_start": observationStart,
                               "observation_days": observationDays, "carry_only_same_medication": carryOnlySameMedication,
                               "consider_dosage_change": considerDosageChange] as [String: Any],
                "timings": ["read_seconds": readSeconds, "compute_seconds": computeSeconds, "total_seconds": Date().timeIntervalSince(started)],
            ]
            let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } else {
            print("\(events.count) events, \(grouped.patients.count) patients, \(rows) rows (\(mode))")
            for k in ks {
                let mean = defined[k] > 0 ? String(format: "%.4f", sums[k] / Double(defined[k])) : "—"
                print("CMA\(k): defined in \(defined[k]) rows, mean \(mean)")
            }
            print("wrote \(output)")
            print(String(format: "done in %.2f s (read %.2f s, compute %.2f s)", Date().timeIntervalSince(started), readSeconds, computeSeconds))
        }
    }

    func csvField(_ s: String) -> String { csvQuoted(s) }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
func csvQuoted(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}
