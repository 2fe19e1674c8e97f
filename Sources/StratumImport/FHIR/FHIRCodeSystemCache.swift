import StratumStore

/// `CodeSystem.normalize` for system URIs as raw bytes, memoised: a Bundle repeats a handful of
/// systems thousands of times, and normalising builds and lower-cases a String each time.
struct FHIRCodeSystemCache {
    struct Entry {
        var bytes: [UInt8]
        /// The short name (`snomed`, `loinc`, …) or the lower-cased URI of an unknown system.
        var name: String
        /// True for a terminology Stratum's value sets name (SNOMED, LOINC, RxNorm, ICD, CPT, …),
        /// preferred when a CodeableConcept carries several codings.
        var isKnown: Bool
    }

    private static let known: Set<String> = [
        CodeSystem.snomed, CodeSystem.loinc, CodeSystem.rxnorm, CodeSystem.icd10cm, CodeSystem.icd9cm,
        CodeSystem.icd10pcs, CodeSystem.cpt, CodeSystem.hcpcs, CodeSystem.cvx, CodeSystem.ndc, "icd10",
    ]

    private var entries: [Int64: Entry] = [:]

    /// The entry for a system URI (decoded UTF-8 bytes).
    mutating func lookup(_ system: UnsafeRawBufferPointer) -> Entry {
        let key = StableID.of(system)
        if let entry = entries[key], entry.bytes.elementsEqual(system) { return entry }
        let name = CodeSystem.normalize(String(decoding: system, as: UTF8.self))
        let entry = Entry(bytes: Array(system), name: name, isKnown: Self.known.contains(name))
        // A hash collision between two systems only costs a re-normalisation.
        entries[key] = entry
        return entry
    }
}
