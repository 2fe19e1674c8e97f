import ArgumentParser
import Foundation
import Stratum
import StratumReports

/// `stratum conformance`: checks Stratum's measures against reference test decks.
struct ConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Check measures against official test decks.",
        subcommands: [ECQMConformanceCommand.self])
}

/// `stratum conformance ecqm`: one line per test patient, then `N passed, M failed`.
struct ECQMConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecqm",
        abstract: "Run a measure against an eCQM test deck and compare every population count.",
        discussion: """
            DIR holds one folder per test patient, each with the patient's FHIR resources (one \
            resource per file) and a MeasureReport-*.json giving the expected population counts \
            and the measurement period, as MADiE exports decks and the eCQM content repositories \
            publish them. Each patient is imported into a fresh store and evaluated on its own.

            Each line: PASS or FAIL, the patient id, the test-case name (from the deck's \
            README.txt, or the report's description), then expected/actual per population \
            (IPP initial population, DENOM, DENEX exclusion, DENEXCEP exception, NUMER). The last \
            line is exactly "N passed, M failed"; the exit code is 1 when M > 0.

            Example:
              stratum conformance ecqm --measure cms122 \\
                --tests ecqm/input/tests/measure/DiabetesGlycemicStatusAssessmentGreaterThan9PercentFHIR \\
                --valuesets ecqm/input/vocabulary/valueset/external
            """)

    @Option(name: .long, help: ArgumentHelp("The measure to check (a script in the measures directory): cms122, cms165, …", valueName: "ID"))
    var measure: String

    @Option(name: .long, help: ArgumentHelp("The test deck: one folder per test patient.", valueName: "DIR"))
    var tests: String

    @Option(name: .long, help: ArgumentHelp("FHIR ValueSet files with expansions (the measure's value sets, by OID).", valueName: "DIR"))
    var valuesets: String?

    @Option(name: .customLong("measures-dir"), help: ArgumentHelp("Where the measure scripts are (default: Reports/measures, or $STRATUM_MEASURES).", valueName: "DIR"))
    var measuresDirectory: String?

    @Option(name: .customLong("keep-stores"), help: ArgumentHelp("Keep each patient's store in DIR (DIR/<patient>.sqlite) to inspect a failing case.", valueName: "DIR"))
    var keepStores: String?

    @Flag(name: [.short, .long], help: "Print only failing patients and the final line.")
    var quiet = false

    func run() throws {
        let library = measuresDirectory.map { MeasureLibrary(directory: URL(fileURLWithPath: $0)) } ?? MeasureLibrary.standard()
        do {
            _ = try library.script(for: measure)
            let cases = try ECQMTestCase.loadDeck(URL(fileURLWithPath: tests))
            let runner = try ECQMConformanceRunner(library: library, valueSetDirectory: valuesets,
                                                   keepStores: keepStores.map { URL(fileURLWithPath: $0) })
            var passed = 0, failed = 0
            for testCase in cases {
                let outcome = runner.run(testCase, measure: measure)
                if outcome.passed { passed += 1 } else { failed += 1 }
                if !quiet || !outcome.passed { print(ECQMConformanceRunner.line(outcome)) }
            }
            print("\(passed) passed, \(failed) failed")
            if failed > 0 { throw ExitStatus.failure }
        } catch let error as CareGapError {
            throw CLIError(message: error.message, exitCode: ExitStatus.data)
        }
    }
}
