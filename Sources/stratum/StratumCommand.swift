import ArgumentParser

/// `stratum`: the root command.
struct StratumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stratum",
        abstract: "Population-health and chronic-disease analytics: import EHR archives, define cohorts, report care gaps.",
        discussion: """
            Exit codes: 0 success, 1 failure, 2 usage error, 3 data error (bad or unknown input).

            Typical use:
              stratum synth --patients 5000 --seed 42 -o sample.tar.gz
              stratum import sample.tar.gz --db pop.sqlite
              stratum info --db pop.sqlite
              stratum run Cohorts/type2_diabetes.stratum --db pop.sqlite
            """,
        version: "stratum 0.1.0",
        subcommands: [ImportCommand.self, RunCommand.self, CheckCommand.self, ReplCommand.self, InfoCommand.self, SynthCommand.self,
                      CareGapsCommand.self, ConformanceCommand.self, ScheduleCommand.self, ForecastCommand.self, ClusterCommand.self, AdherenceCommand.self,
                      LineEchoCommand.self])
}

/// The documented exit codes.
enum ExitStatus {
    static let success = ExitCode(0)
    static let failure = ExitCode(1)
    static let usage = ExitCode(2)
    static let data = ExitCode(3)
}

/// An error the CLI reports with a chosen exit code.
struct CLIError: Error {
    var message: String
    var exitCode: ExitCode
}

/// Options every command that opens a store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The Stratum store (a SQLite file).", valueName: "FILE"))
    var db: String

    @Flag(name: .long, help: "Print a machine-readable JSON summary on stdout instead of text.")
    var json = false

    @Flag(name: [.short, .long], help: "Print nothing but errors.")
    var quiet = false
}
