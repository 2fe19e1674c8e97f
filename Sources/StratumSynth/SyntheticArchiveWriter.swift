import Dispatch

/// Writes a synthetic FHIR R4 Bulk Data export: NDJSON files (`Organization.000001.ndjson`,
/// `Practitioner…`, `PractitionerRole…`, then per chunk of patients `Patient.000001.ndjson`,
/// `Encounter…`, `Condition…`, `Observation…`, `MedicationRequest…`, `MedicationDispense…`)
/// in a `.tar.gz`, a `.zip` or a directory.
///
/// The content is a chronic-disease population whose planted truth is documented in
/// docs/SYNTH.md. Output is deterministic: the same options give byte-identical output on the
/// same platform, whatever the machine's clock or load. Memory is bounded by the chunk size
/// (two chunks at most: one being generated while the previous one is written, its gzip
/// spread over all cores), not by the number of patients.
///
/// ```swift
/// let writer = SyntheticArchiveWriter(options: SynthOptions(patients: 10_000, seed: 7))
/// let summary = try writer.write(to: "demo/ehr-export.tar.gz") { done in print(done) }
/// ```
public final class SyntheticArchiveWriter {
    /// The options this writer was created with.
    public let options: SynthOptions

    /// Creates a writer; nothing is generated until `write(to:progress:)`.
    public init(options: SynthOptions) {
        self.options = options
    }

    /// Generates the population and writes it to `path`.
    ///
    /// - Parameters:
    ///   - path: the output; its extension picks the format unless `options.format` is set
    ///     (`.tar.gz`/`.tgz`, `.zip`, otherwise a directory, created if missing).
    ///   - progress: called on the calling thread after each chunk with the number of patients
    ///     generated so far.
    /// - Returns: what was written, with the planted ground truth.
    /// - Throws: `SynthError` for invalid options or when the output cannot be written; no
    ///   partial archive is left under `path`.
    @discardableResult
    public func write(to path: String, progress: ((Int) -> Void)? = nil) throws -> SynthSummary {
        try options.validate()
        let format = options.format ?? .infer(fromPath: path)
        let period = SynthPeriod(startYear: options.startYear, endYear: options.endYear)
        let directory = Directory(seed: options.seed, patients: options.patients)
        // A fixed mtime for every entry (the day after the period) keeps archives reproducible.
        let sink = try ArchiveSink(path: path, format: format, mtime: (period.endDay + 1) * 86_400,
                                   compressionLevel: options.compressionLevel)
        let pipeline = WriterPipeline(sink: sink)
        var summary = SynthSummary()

        func submit(_ entries: [PendingEntry]) throws {
            for entry in entries {
                summary.entries.append(entry.name)
                summary.uncompressedBytes += entry.data.count
            }
            try pipeline.submit(entries)
        }

        var providers: [PendingEntry] = []
        for (type, count) in [(SynthResourceType.organization, directory.organizations.count),
                              (.practitioner, directory.practitioners.count),
                              (.practitionerRole, directory.practitioners.count)] {
            var data = PagedBytes()
            switch type {
            case .organization: directory.writeOrganizations(&data)
            case .practitioner: directory.writePractitioners(&data)
            default: directory.writeRoles(&data)
            }
            summary.resourceCounts[type.name] = count
            providers.append(PendingEntry(name: Self.entryName(type, chunk: 1), data: data))
        }
        try submit(providers)

        let simulator = PatientSimulator(period: period, directory: directory)
        var chunk = ChunkBuffers()
        var chunkNumber = 1
        for index in 0..<options.patients {
            simulator.run(index: index, seed: options.seed, phenotypes: options.phenotypes, recordFills: options.recordFills, into: &chunk)
            chunk.patients += 1
            let last = index == options.patients - 1
            guard last || chunk.patients >= options.chunkPatients || chunk.bytes >= options.chunkBytes else { continue }
            var entries: [PendingEntry] = []
            for type in ChunkBuffers.types where chunk.counts[type.rawValue] > 0 {
                summary.resourceCounts[type.name, default: 0] += chunk.counts[type.rawValue]
                entries.append(PendingEntry(name: Self.entryName(type, chunk: chunkNumber), data: chunk.buffers[type.rawValue]))
            }
            summary.merge(chunk.summary)
            chunk = ChunkBuffers()
            chunkNumber += 1
            try submit(entries)
            progress?(index + 1)
        }
        try pipeline.finish()
        return summary
    }

    /// `Patient.000001.ndjson`: the type, a 1-based chunk number of six digits, `.ndjson`.
    static func entryName(_ type: SynthResourceType, chunk: Int) -> String {
        let digits = String(chunk)
        return type.name + "." + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".ndjson"
    }
}

/// Writes chunks on a serial queue while the next chunk is generated, with at most one chunk
/// waiting, so generation overlaps with compression and memory stays bounded.
private final class WriterPipeline {
    private let sink: ArchiveSink
    private let queue = DispatchQueue(label: "stratum.synth.writer")
    private let slots = DispatchSemaphore(value: 1)

    init(sink: ArchiveSink) { self.sink = sink }

    func submit(_ entries: [PendingEntry]) throws {
        slots.wait()
        if let failure = queue.sync(execute: { sink.failure }) {
            slots.signal()
            throw failure
        }
        queue.async { [sink, slots] in
            defer { slots.signal() }
            do {
                for entry in entries { try sink.write(entry) }
            } catch let error as SynthError {
                sink.failure = error
            } catch {
                sink.failure = .output("\(error)")
            }
        }
    }

    func finish() throws {
        let failure = queue.sync { sink.failure }
        if let failure { throw failure }
        try queue.sync { try sink.finish() }
    }
}

extension SynthSummary {
    mutating func merge(_ other: SynthSummary) {
        patients += other.patients
        adults += other.adults
        deaths += other.deaths
        movedAway += other.movedAway
        for (code, count) in other.adultsWithCondition { adultsWithCondition[code, default: 0] += count }
        plantedPhenotypes.merge(other.plantedPhenotypes) { a, _ in a }
        plantedFills.merge(other.plantedFills) { a, _ in a }
    }
}
