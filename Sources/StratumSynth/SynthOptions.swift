/// How a synthetic archive is written.
public enum SynthOutputFormat: String, Sendable, CaseIterable {
    /// A gzip-compressed ustar archive (`.tar.gz`, `.tgz`).
    case tarGzip
    /// A zip archive with deflate (`.zip`).
    case zip
    /// A directory of NDJSON files (any other path).
    case directory

    /// The format a path's extension asks for.
    public static func infer(fromPath path: String) -> SynthOutputFormat {
        let lower = path.lowercased()
        if lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") { return .tarGzip }
        if lower.hasSuffix(".zip") { return .zip }
        return .directory
    }
}

/// What to generate. The defaults give a 2015–2025 population of 1,000 patients.
public struct SynthOptions: Sendable {
    /// Number of patients to generate.
    public var patients: Int
    /// Seed of all randomness: the same seed and patient count give a byte-identical archive.
    public var seed: UInt64
    /// First calendar year of the simulated period (events start on 1 January).
    public var startYear: Int
    /// Last calendar year of the simulated period (events end by 31 December).
    public var endYear: Int
    /// Patients per archive chunk (`Patient.000001.ndjson` holds the first chunk's patients).
    public var chunkPatients: Int
    /// A chunk is also closed once its buffered NDJSON reaches this many bytes, which is what
    /// bounds memory: the whole chunk is held because a tar entry's size precedes its data.
    public var chunkBytes: Int
    /// gzip/deflate level 1–9 (libarchive's default is 6); lower is faster and larger.
    public var compressionLevel: Int
    /// Output format; nil infers it from the path's extension.
    public var format: SynthOutputFormat?
    /// Planted phenotypes (0: none): each adult is drawn into one of this many groups with
    /// well-separated body-mass index and blood-pressure levels (docs/SYNTH.md), recorded in
    /// `SynthSummary.plantedPhenotypes`, for checking that clustering recovers them.
    public var phenotypes: Int = 0
    /// Keep every dispensing in `SynthSummary.plantedFills` (for checking adherence measures
    /// against what was planted; memory grows with the archive, so off by default).
    public var recordFills = false

    public init(patients: Int = 1_000, seed: UInt64 = 42, startYear: Int = 2015, endYear: Int = 2025,
                chunkPatients: Int = 5_000, chunkBytes: Int = 48 << 20, compressionLevel: Int = 6,
                format: SynthOutputFormat? = nil) {
        self.patients = patients
        self.seed = seed
        self.startYear = startYear
        self.endYear = endYear
        self.chunkPatients = chunkPatients
        self.chunkBytes = chunkBytes
        self.compressionLevel = compressionLevel
        self.format = format
    }

    func validate() throws {
        guard patients >= 1 else { throw SynthError.invalidOptions("patients must be at least 1") }
        guard startYear >= 1900, endYear <= 2200, startYear <= endYear else {
            throw SynthError.invalidOptions("the period must satisfy 1900 ≤ start year ≤ end year ≤ 2200")
        }
        guard chunkPatients >= 1, chunkBytes >= 1 << 16 else {
            throw SynthError.invalidOptions("chunkPatients must be ≥ 1 and chunkBytes ≥ 64 KiB")
        }
        guard (1...9).contains(compressionLevel) else { throw SynthError.invalidOptions("compressionLevel must be 1–9") }
        guard (0...PhenotypePlan.maxPhenotypes).contains(phenotypes) else {
            throw SynthError.invalidOptions("phenotypes must be 0–\(PhenotypePlan.maxPhenotypes)")
        }
    }
}

/// Why writing failed.
public enum SynthError: Error, CustomStringConvertible, Sendable {
    case invalidOptions(String)
    /// libarchive or the file system refused (the message names the path and the cause).
    case output(String)

    public var description: String {
        switch self {
        case .invalidOptions(let message): "invalid synth options: \(message)"
        case .output(let message): "cannot write the synthetic archive: \(message)"
        }
    }
}

/// The FHIR resource types written, in the order their files appear in each chunk.
public enum SynthResourceType: Int, CaseIterable, Sendable {
    case organization, practitioner, practitionerRole
    case patient, encounter, condition, observation, medicationRequest, medicationDispense

    /// The FHIR resource type name (also the entry's base name).
    public var name: String {
        switch self {
        case .organization: "Organization"
        case .practitioner: "Practitioner"
        case .practitionerRole: "PractitionerRole"
        case .patient: "Patient"
        case .encounter: "Encounter"
        case .condition: "Condition"
        case .observation: "Observation"
        case .medicationRequest: "MedicationRequest"
        case .medicationDispense: "MedicationDispense"
        }
    }
}

/// The ground truth planted in an archive, for checking what analytics find in it.
public struct SynthSummary: Sendable, Equatable {
    /// Patients written.
    public var patients = 0
    /// Patients aged 18 or over on the first day of the period (the denominator of prevalences).
    public var adults = 0
    /// Adults with a Condition for each planted chronic disease, keyed by SNOMED CT code of the
    /// disease (`44054006`, `59621000`, `88805009` — heart failure, either code — `13645005`).
    public var adultsWithCondition: [String: Int] = [:]
    /// Patients with `deceasedDateTime` (deaths within the period).
    public var deaths = 0
    /// Patients whose data stop before the period ends without a death (moved away).
    public var movedAway = 0
    /// Resources written per resource type name.
    public var resourceCounts: [String: Int] = [:]
    /// Archive entry (or file) names, in write order.
    public var entries: [String] = []
    /// Total NDJSON bytes before compression.
    public var uncompressedBytes = 0
    /// With `SynthOptions.phenotypes`: each adult's FHIR Patient id → planted phenotype (1…n).
    public var plantedPhenotypes: [String: Int] = [:]
    /// With `SynthOptions.recordFills`: each patient's dispensings (FHIR Patient id → fills).
    public var plantedFills: [String: [PlantedFill]] = [:]

    public init() {}

    mutating func record(_ p: PatientProfile, adultAt startDay: Int) {
        patients += 1
        if p.deathDay != nil { deaths += 1 } else if p.transferDay != nil { movedAway += 1 }
        guard p.age(startDay) >= 18 else { return }
        adults += 1
        if let phenotype = p.phenotype { plantedPhenotypes[p.id.uuidString] = phenotype + 1 }
        for condition in ChronicCondition.allCases where p.ever(condition) {
            adultsWithCondition[String(describing: condition.snomed.code), default: 0] += 1
        }
    }
}

/// A dispensing as the generator planted it: the RxNorm code, the day handed over (UTC, as the
/// archive writes it) and the days supplied.
public struct PlantedFill: Sendable, Equatable {
    public var rxnorm: String
    public var day: Int
    public var daysSupply: Int
}
