import ArgumentParser
import Foundation
import Stratum

/// `stratum synth`: writes a deterministic synthetic EHR archive (FHIR R4 NDJSON).
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a synthetic EHR archive (FHIR R4 NDJSON) with planted chronic disease.",
        discussion: """
            Patients with type 2 diabetes (HbA1c trajectories whose control varies between patients and over time), hypertension (blood pressure), heart failure, COPD with exacerbations (ED and inpatient encounters, steroid bursts), fills of metformin, statins, ACE inhibitors, ARBs and beta blockers with days supply and realistic non-adherence, providers, care sites and deaths. What is planted, and at what rates, is documented in docs/SYNTH.md.

            The same --seed and --patients give a byte-identical archive. Memory stays bounded whatever the number of patients. The output kind follows the file name: .tar.gz (default), .zip, or a directory. The archive is written to a temporary name and renamed when complete. The archive imports with `stratum import`.
            """)

    @Option(help: "Number of patients.")
    var patients = 1_000

    @Option(help: "Seed of the random generator (same seed and count, same archive).")
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("First calendar year of the simulated period.", valueName: "YEAR"))
    var startYear = 2015

    @Option(help: ArgumentHelp("Last calendar year of the simulated period.", valueName: "YEAR"))
    var endYear = 2025

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where to write the archive (.tar.gz, .zip or a directory).", valueName: "FILE"))
    var output: String

    @Option(help: ArgumentHelp("Plant this many phenotypes (1–5): adults fall into groups with well-separated BMI and blood pressure (docs/SYNTH.md).", valueName: "N"))
    var phenotypes = 0

    @Option(help: ArgumentHelp("With --phenotypes: write each adult's planted phenotype here as CSV (patient_id,phenotype).", valueName: "FILE"))
    var truth: String?

    @Flag(name: .long, help: "Print a JSON summary of what was planted on stdout.")
    var json = false

    @Flag(name: [.short, .long], help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if patients < 1 { throw ValidationError("--patients must be at least 1") }
        if startYear > endYear { throw ValidationError("--start-year must not be after --end-year") }
        if startYear < 1900 || endYear > 2100 { throw ValidationError("years must lie between 1900 and 2100") }
        if !(0...5).contains(phenotypes) { throw ValidationError("--phenotypes must be 0 to 5") }
        if truth != nil && phenotypes == 0 { throw ValidationError("--truth needs --phenotypes") }
    }

    func run() throws {
        var options = SynthOptions(patients: patients, seed: seed, startYear: startYear, endYear: endYear)
        options.phenotypes = phenotypes
        let writer = SyntheticArchiveWriter(options: options)
        let started = Date()
        let summary: SynthSummary
        do {
            summary = try writer.write(to: output) { done in
                if !quiet {
                    let rate = Double(done) / max(Date().timeIntervalSince(started), 1e-3)
                    Terminal.progress("synthesising: \(Terminal.count(done)) of \(Terminal.count(patients)) patients · \(Terminal.count(Int(rate))) patients/s")
                }
            }
        } catch {
            Terminal.endProgress()
            throw CLIError(message: "cannot write \(output): \(error)", exitCode: ExitStatus.failure)
        }
        Terminal.endProgress()
        if let truth {
            let rows = summary.plantedPhenotypes.sorted { $0.key < $1.key }.map { "\($0.key),\($0.value)\n" }.joined()
            try writeAtomically("patient_id,phenotype\n" + rows, to: truth)
        }
        let seconds = Date().timeIntervalSince(started)
        if json {
            Terminal.printJSON([
                "output": output, "patients": summary.patients, "adults": summary.adults, "deaths": summary.deaths,
                "moved_away": summary.movedAway, "adults_with_condition": summary.adultsWithCondition,
                "resources": summary.resourceCounts, "entries": summary.entries.count,
                "uncompressed_bytes": summary.uncompressedBytes, "seconds": seconds,
            ])
        } else if !quiet {
            let conditions = summary.adultsWithCondition.sorted { $0.key < $1.key }
                .map { "snomed:\($0.key) \(Terminal.count($0.value))" }.joined(separator: ", ")
            print(String(format: "Wrote %@: %@ patients (%@ adults, %@ deaths), %@ resources in %d entries, %.1f s",
                         output, Terminal.count(summary.patients), Terminal.count(summary.adults), Terminal.count(summary.deaths),
                         Terminal.count(summary.resourceCounts.values.reduce(0, +)), summary.entries.count, seconds))
            print("  adults with: \(conditions)")
        }
    }
}
