import ArgumentParser

/// `stratum synth`: placeholder until the generator lands.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a synthetic EHR archive with chronic disease (deterministic for a seed).")
    func run() throws { throw CLIError(message: "not available yet", exitCode: ExitStatus.failure) }
}
