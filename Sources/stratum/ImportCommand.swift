import ArgumentParser
import Foundation
import Stratum

/// `stratum import`: streams archives into the store, one transaction each.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import EHR archives (FHIR R4, Synthea CSV, OMOP CDM CSV) into a store.",
        discussion: """
            Each ARCHIVE may be a zip, tar, tar.gz/.bz2/.xz (anything libarchive reads), a single (optionally compressed) file, or a directory. The format of every entry is detected: FHIR R4 Bundles (.json) and Bulk Data NDJSON (.ndjson), Synthea CSV, OMOP CDM v5.3/v5.4 CSV (upper- or lower-case file names). Reading streams entry by entry: nothing is unpacked to disk.

            Each archive is imported in one transaction: if anything fails, nothing of that archive stays and the store is exactly as it was. An archive already imported (same SHA-256) is skipped unless --replace. Bad records are skipped and counted (entry:line and reason in the summary) unless --strict, which stops at the first one.

            Exit codes: 0 imported (or already imported), 1 failure, 2 usage error, 3 data error.
            """)

    @Argument(help: ArgumentHelp("Archives, files or directories to import.", valueName: "ARCHIVE"))
    var archives: [String]

    @OptionGroup var store: StoreOptions

    @Flag(help: "Stop at the first bad record, naming its file and line, and import nothing of that archive.")
    var strict = false

    @Flag(help: "Re-import an archive already imported (same SHA-256), replacing its rows.")
    var replace = false

    @Option(help: ArgumentHelp("Refuse an archive that inflates to more than this many times its size (a decompression bomb guard).", valueName: "N"))
    var maxInflateRatio = 200

    func validate() throws {
        if archives.isEmpty { throw ValidationError("name at least one ARCHIVE to import") }
        if maxInflateRatio < 1 { throw ValidationError("--max-inflate-ratio must be at least 1") }
    }

    func run() throws {
        let db: Store
        do { db = try Store(path: store.db) } catch {
            throw CLIError(message: "cannot open store \(store.db): \(error)", exitCode: ExitStatus.failure)
        }
        var options = ImportOptions()
        options.strict = strict
        options.replace = replace
        options.limits.maxRatio = maxInflateRatio
        var summaries: [ImportSummary] = []
        for archive in archives {
            let importer = Importer(store: db, options: options)
            if !store.quiet {
                importer.progress = { p in
                    if p.phase == "reading" {
                        let rate = p.seconds > 0 ? Double(p.records) / p.seconds : 0
                        Terminal.progress("importing \(archive): \(p.entries) entries · \(Terminal.count(p.records)) records · \(Terminal.count(Int(rate))) records/s · \(p.bytesRead >> 20) MB read")
                    } else {
                        Terminal.progress("importing \(archive): \(Terminal.count(p.records)) records read · \(p.phase) …")
                    }
                }
            }
            do {
                let summary = try importer.importSource(archive)
                Terminal.endProgress()
                summaries.append(summary)
                if !store.quiet && !store.json { SummaryPrinter.printImport(summary) }
            } catch let error as ImportError {
                Terminal.endProgress()
                let code = error.kind == .store ? ExitStatus.failure : ExitStatus.data
                throw CLIError(message: "\(error)\nnothing from \(archive) was imported; the store is unchanged", exitCode: code)
            }
        }
        // The store-wide summary costs a pass over every table: only when someone will read it.
        guard store.json || !store.quiet else { return }
        let report = try DataQualityReport.compute(db)
        if store.json {
            Terminal.printJSON(["imports": summaries.map(SummaryPrinter.json), "store": SummaryPrinter.json(report)])
        } else if !store.quiet {
            SummaryPrinter.printQuality(report, store: store.db)
        }
    }
}
