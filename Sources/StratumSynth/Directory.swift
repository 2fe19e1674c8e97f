/// Care sites and providers: clinics with primary-care physicians (each with a patient panel),
/// and regional hospitals with emergency physicians and hospitalists. Sized from the patient
/// count (about 900 patients per PCP, 6 PCPs per clinic, one hospital per 5 clinics) so panels
/// look like a health system's whatever N is.
struct Directory {
    enum OrgKind { case clinic, hospital }
    enum Role: Int { case primaryCare, emergency, hospitalist }

    struct Organization {
        var id: ResourceID
        var kind: OrgKind
        var name: String
        var town: Int
        var npi: String
        /// Index of the hospital that serves a clinic's patients (itself for a hospital).
        var hospital: Int
        /// Whether the clinic's lab reports HbA1c as LOINC 17856-6 (HPLC) instead of 4548-4.
        var reportsHPLC: Bool
    }

    struct Practitioner {
        var id: ResourceID
        var roleID: ResourceID
        var family: Int
        var given: Int
        var female: Bool
        var npi: String
        var organization: Int
        var role: Role
        /// Probability of ordering a due HbA1c at a diabetic's visit (practice variation).
        var labDiligence: Double
        /// Multiplier on the probability of starting a statin when indicated.
        var statinPropensity: Double
    }

    private(set) var organizations: [Organization] = []
    private(set) var practitioners: [Practitioner] = []
    private var pcps: [Int] = []
    private var pcpCumulative: [Double] = []
    /// Per hospital organization index: its emergency physicians and hospitalists.
    private var hospitalStaff: [(emergency: [Int], hospitalists: [Int])] = []

    static let stream: UInt64 = 0x4449_5245_4354 // "DIRECT"

    init(seed: UInt64, patients: Int) {
        var rng = Xoshiro256(seed: seed, stream: Self.stream, index: 0)
        let key = streamKey(seed: seed, stream: Self.stream, index: 1)
        let pcpCount = max(2, (patients + 899) / 900)
        let clinicCount = max(1, (pcpCount + 5) / 6)
        let hospitalCount = max(1, (clinicCount + 4) / 5)
        var npiIndex = 0
        func nextNPI() -> String { npiIndex += 1; return Self.npi(index: npiIndex, salt: key) }

        for h in 0..<hospitalCount {
            let town = h % Names.towns.count
            organizations.append(Organization(
                id: ResourceID(key: key, kind: 1, counter: organizations.count), kind: .hospital,
                name: Names.towns[town].name + (h >= Names.towns.count ? " General Hospital" : " Regional Medical Center"),
                town: town, npi: nextNPI(), hospital: organizations.count, reportsHPLC: false))
        }
        for c in 0..<clinicCount {
            let town = (c * 7 + 3) % Names.towns.count
            let suffix = Names.clinicSuffixes[(c / Names.towns.count + c) % Names.clinicSuffixes.count]
            organizations.append(Organization(
                id: ResourceID(key: key, kind: 1, counter: organizations.count), kind: .clinic,
                name: Names.towns[town].name + " " + suffix, town: town, npi: nextNPI(),
                hospital: c % hospitalCount, reportsHPLC: rng.chance(0.1)))
        }
        func addPractitioner(organization: Int, role: Role) -> Int {
            let female = rng.chance(0.5)
            let practitioner = Practitioner(
                id: ResourceID(key: key, kind: 2, counter: practitioners.count),
                roleID: ResourceID(key: key, kind: 3, counter: practitioners.count),
                family: rng.index(Names.family.count),
                given: rng.index(female ? Names.femaleGiven.count : Names.maleGiven.count),
                female: female, npi: nextNPI(), organization: organization, role: role,
                labDiligence: rng.uniform(0.72, 0.98), statinPropensity: rng.uniform(0.6, 1.0))
            practitioners.append(practitioner)
            return practitioners.count - 1
        }
        for p in 0..<pcpCount {
            pcps.append(addPractitioner(organization: hospitalCount + p % clinicCount, role: .primaryCare))
            // Panel sizes vary with each physician's clinical time (0.5–1.3 FTE).
            pcpCumulative.append((pcpCumulative.last ?? 0) + rng.uniform(0.5, 1.3))
        }
        for h in 0..<hospitalCount {
            let emergency = (0..<3).map { _ in addPractitioner(organization: h, role: .emergency) }
            let hospitalists = (0..<3).map { _ in addPractitioner(organization: h, role: .hospitalist) }
            hospitalStaff.append((emergency, hospitalists))
        }
    }

    /// A PCP for a new patient, with probability proportional to the physician's FTE.
    func pickPCP(_ rng: inout Xoshiro256) -> Int {
        let u = rng.uniform() * pcpCumulative[pcpCumulative.count - 1]
        var low = 0, high = pcpCumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if pcpCumulative[mid] > u { high = mid } else { low = mid + 1 }
        }
        return pcps[low]
    }

    /// A physician of the hospital that serves a PCP's clinic.
    func hospitalPhysician(forPCP pcp: Int, inpatient: Bool, _ rng: inout Xoshiro256) -> Int {
        let hospital = organizations[practitioners[pcp].organization].hospital
        let staff = hospitalStaff[hospital]
        let pool = inpatient ? staff.hospitalists : staff.emergency
        return pool[rng.index(pool.count)]
    }

    /// A valid 10-digit NPI: 9 digits starting with 1 (distinct per index, scrambled by a
    /// multiplier coprime with 10⁸) and the Luhn check digit over the "80840" prefix.
    static func npi(index: Int, salt: UInt64) -> String {
        let body = 100_000_000 + (index &* 48_271 &+ Int(salt % 50_000_000)) % 100_000_000
        let digits = Array("80840" + String(body)).map { Int($0.asciiValue! - 48) }
        var sum = 0
        for (i, digit) in digits.reversed().enumerated() {
            var d = digit
            if i % 2 == 0 { d *= 2; if d > 9 { d -= 9 } }
            sum += d
        }
        return String(body) + String((10 - sum % 10) % 10)
    }

    // MARK: FHIR

    func writeOrganizations(_ out: inout PagedBytes) {
        var json = JSONText()
        for org in organizations {
            json.reset()
            json.raw("{\"resourceType\":\"Organization\",\"id\":"); json.id(org.id)
            json.raw(",\"identifier\":[{\"system\":\"http://hl7.org/fhir/sid/us-npi\",\"value\":"); json.string(org.npi)
            json.raw("}],\"active\":true,\"type\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/organization-type\",\"code\":\"prov\",\"display\":\"Healthcare Provider\"}]}],\"name\":")
            json.string(org.name)
            json.raw(",\"address\":[")
            Names.address(town: org.town, line: org.kind == .hospital ? "1 Hospital Drive" : "200 Main Street", into: &json)
            json.raw("]}\n")
            out.append(json.bytes)
        }
    }

    func writePractitioners(_ out: inout PagedBytes) {
        var json = JSONText()
        for p in practitioners {
            json.reset()
            json.raw("{\"resourceType\":\"Practitioner\",\"id\":"); json.id(p.id)
            json.raw(",\"identifier\":[{\"system\":\"http://hl7.org/fhir/sid/us-npi\",\"value\":"); json.string(p.npi)
            json.raw("}],\"active\":true,\"name\":[{\"family\":"); json.string(Names.family[p.family])
            json.raw(",\"given\":["); json.string(p.female ? Names.femaleGiven[p.given] : Names.maleGiven[p.given])
            json.raw("],\"prefix\":[\"Dr.\"]}],\"gender\":"); json.raw(p.female ? "\"female\"" : "\"male\"")
            json.raw(",\"qualification\":[{\"code\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0360\",\"code\":\"MD\",\"display\":\"Doctor of Medicine\"}]}}]}\n")
            out.append(json.bytes)
        }
    }

    /// PractitionerRole links each practitioner to the organization they work for (FHIR R4 has
    /// no such link on Practitioner itself), with a NUCC specialty.
    func writeRoles(_ out: inout PagedBytes) {
        var json = JSONText()
        for p in practitioners {
            json.reset()
            json.raw("{\"resourceType\":\"PractitionerRole\",\"id\":"); json.id(p.roleID)
            json.raw(",\"active\":true,\"practitioner\":"); json.reference("Practitioner/", p.id)
            json.raw(",\"organization\":"); json.reference("Organization/", organizations[p.organization].id)
            json.raw(",\"code\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/practitioner-role\",\"code\":\"doctor\",\"display\":\"Doctor\"}]}],\"specialty\":[{\"coding\":[{\"system\":\"http://nucc.org/provider-taxonomy\",")
            switch p.role {
            case .primaryCare: json.raw("\"code\":\"207Q00000X\",\"display\":\"Family Medicine Physician\"")
            case .emergency: json.raw("\"code\":\"207P00000X\",\"display\":\"Emergency Medicine Physician\"")
            case .hospitalist: json.raw("\"code\":\"208M00000X\",\"display\":\"Hospitalist\"")
            }
            json.raw("}]}]}\n")
            out.append(json.bytes)
        }
    }
}
