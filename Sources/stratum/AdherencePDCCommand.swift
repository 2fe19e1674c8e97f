import ArgumentParser
import Foundation
import Stratum

/// `stratum adherence pdc`: PDC per PQA from a CSV of fills, for any extract.
struct AdherencePDCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pdc",
        abstract: "Proportion of days covered (PQA rules) per patient from a CSV of fills.",
        discussion: """
            The input is a CSV with a header row and one row per fill of one drug class: patient, fill \
            date, days supplied and the drug (refills of the same drug are shifted to start when the \
            supply on hand runs out; different drugs are unioned). The rules are PQA's: fills in the \
            period only, index date at the first fill, fills on two dates and 91 treatment days needed, \
            coverage cut at the period's end (docs/ADHERENCE.md). Errors name the file, line and column \
            but never a cell's value. In a cohort script, `adherence CLASS for COHORT during period` \
            reads the same from the store.

            The output CSV (written atomically) has the --id column, index_date, covered_days, \
            treatment_days, pdc and adherent (yes/no), or the reason the patient is not in the denominator.

            Example:
              stratum adherence pdc --input fills.csv --id PATIENT_ID --date DATE --date-format %Y-%m-%d \\
                --supply DAYS_SUPPLY --drug DRUG --period 2024 --output pdc.csv
            """)

    @Option(name: .long, help: ArgumentHelp("The fills (CSV with a header row).", valueName: "FILE"))
    var input: String

    @Option(name: .long, help: ArgumentHelp("The patient identifier column.", valueName: "COLUMN"))
    var id: String

    @Option(name: .long, help: ArgumentHelp("The fill (dispensing) date column.", valueName: "COLUMN"))
    var date: String

    @Option(name: .customLong("date-format"), help: ArgumentHelp("The date format (%Y, %m, %d and separators).", valueName: "FORMAT"))
    var dateFormat = "%Y-%m-%d"

    @Option(name: .long, help: ArgumentHelp("The days-supplied column (> 0).", valueName: "COLUMN"))
    var supply: String

    @Option(name: .long, help: ArgumentHelp("The drug column (refills are matched on it).", valueName: "COLUMN"))
    var drug: String

    @Option(name: .long, help: ArgumentHelp("The measurement period: a year (2024) or FROM..TO (2024-01-01..2024-12-31).", valueName: "PERIOD"))
    var period: String

    @Option(name: .long, help: ArgumentHelp("PDC at or above this is adherent (0–1).", valueName: "PROPORTION"))
    var threshold = 0.8

    @Option(name: .long, help: ArgumentHelp("The CSV to write.", valueName: "FILE"))
    var output: String

    @Flag(name: .long, help: "Print a machine-readable JSON summary on stdout instead of text.")
    var json = false

    func validate() throws {
        guard threshold > 0, threshold <= 1 else { throw ValidationError("--threshold must be a proportion in (0, 1]") }
        guard case .period = Environment.parseParameter(period) else {
            throw ValidationError("--period: '\(period)' is not a year (2024) or FROM..TO (2024-01-01..2024-12-31)")
        }
    }

    func run() throws {
        guard case .period(let start, let end) = Environment.parseParameter(period) else { return }
        let started = Date()
        let events: [MedicationEvent]
        do {
            events = try MedicationEventCSV.read(path: input, columns: .init(id: id, date: date, duration: supply, medication: drug,
                                                                             dateFormat: dateFormat))
        } catch let e as MedicationEventCSV.ReadError {
            throw CLIError(message: e.message, exitCode: ExitStatus.data)
        }
        let readSeconds = Date().timeIntervalSince(started)
        let computeStarted = Date()
        let grouped = CMACalculator.groupByPatient(events)
        var out = "\(csvField(id)),index_date,covered_days,treatment_days,pdc,adherent\n"
        out.reserveCapacity(grouped.patients.count * 48)
        var eligible = 0, adherent = 0
        for range in grouped.patients {
            let patientEvents = grouped.events[range]
            let fills = patientEvents.map { PDCFill(drug: $0.medication ?? "", day: $0.day, daysSupply: Int($0.duration.rounded())) }
            let result = PDCCalculator.compute(fills: fills, period: start...end)
            out += csvField(patientEvents[patientEvents.startIndex].patient)
            out += "," + (result.indexDay.map { CivilDate.iso(days: $0) } ?? "")
            if let pdc = result.pdc {
                eligible += 1
                if pdc >= threshold { adherent += 1 }
                out += ",\(result.coveredDays),\(result.treatmentDays),\(String(format: "%.6f", pdc)),\(pdc >= threshold ? "yes" : "no")\n"
            } else {
                out += ",,,,\(result.ineligibility?.rawValue ?? "")\n"
            }
        }
        let computeSeconds = Date().timeIntervalSince(computeStarted)
        try writeAtomically(out, to: output)
        if json {
            Terminal.printJSON(["fills": events.count, "patients": grouped.patients.count, "in_denominator": eligible, "adherent": adherent,
                                "period": "\(CivilDate.iso(days: start))..\(CivilDate.iso(days: end))", "output": output,
                                "read_seconds": readSeconds, "compute_seconds": computeSeconds])
        } else {
            print(String(format: "%@ fills, %@ patients: %@ in the denominator, %@ adherent (PDC ≥ %.0f%%) → %@ (read %.2f s, PDC %.2f s)",
                         Terminal.count(events.count), Terminal.count(grouped.patients.count), Terminal.count(eligible),
                         Terminal.count(adherent), threshold * 100, output, readSeconds, computeSeconds))
        }
    }

    func csvField(_ s: String) -> String { csvQuoted(s) }
}
