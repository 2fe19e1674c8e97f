import ArgumentParser
import Stratum

/// `stratum info`: the data-quality summary of a store.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show what a store holds: rows and date ranges per table, imports, and data-quality findings.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let db: Store
        do { db = try Store(path: store.db, readOnly: true) } catch {
            throw CLIError(message: "cannot open store \(store.db): \(error)", exitCode: ExitStatus.failure)
        }
        let report = try DataQualityReport.compute(db)
        if store.json {
            Terminal.printJSON(SummaryPrinter.json(report))
        } else if !store.quiet {
            SummaryPrinter.printQuality(report, store: store.db)
        }
    }
}
