/// Short, lower-case names for code systems, shared by every importer and by the query
/// language (`snomed:44054006`, `loinc:4548-4`). FHIR sends URIs, Synthea sends names such as
/// `SNOMED-CT`, OMOP sends `vocabulary_id`s; all arrive at the same name here.
public enum CodeSystem {
    public static let snomed = "snomed"
    public static let loinc = "loinc"
    public static let rxnorm = "rxnorm"
    public static let icd10cm = "icd10cm"
    public static let icd9cm = "icd9cm"
    public static let icd10pcs = "icd10pcs"
    public static let cpt = "cpt"
    public static let hcpcs = "hcpcs"
    public static let cvx = "cvx"
    public static let ndc = "ndc"
    public static let ucum = "ucum"

    private static let byKey: [String: String] = [
        // FHIR URIs
        "http://snomed.info/sct": snomed,
        "http://loinc.org": loinc,
        "http://www.nlm.nih.gov/research/umls/rxnorm": rxnorm,
        "http://hl7.org/fhir/sid/icd-10-cm": icd10cm,
        "http://hl7.org/fhir/sid/icd-10": "icd10",
        "http://hl7.org/fhir/sid/icd-9-cm": icd9cm,
        "http://www.cms.gov/medicare/coding/icd10": icd10pcs,
        "http://www.ama-assn.org/go/cpt": cpt,
        "https://www.cms.gov/medicare/coding/hcpcsreleasecodesets": hcpcs,
        "http://www.cms.gov/medicare/coding/hcpcsreleasecodesets": hcpcs,
        "http://hl7.org/fhir/sid/cvx": cvx,
        "http://hl7.org/fhir/sid/ndc": ndc,
        "http://unitsofmeasure.org": ucum,
        "http://terminology.hl7.org/codesystem/v3-actcode": "actcode",
        // Synthea's SYSTEM column and OMOP vocabulary_id values
        "snomed-ct": snomed, "snomed": snomed, "sct": snomed,
        "loinc": loinc, "rxnorm": rxnorm, "rxnorm extension": "rxnorm-ext",
        "icd10cm": icd10cm, "icd-10-cm": icd10cm, "icd10": "icd10", "icd9cm": icd9cm, "icd-9-cm": icd9cm,
        "icd10pcs": icd10pcs, "cpt4": cpt, "cpt": cpt, "hcpcs": hcpcs, "cvx": cvx, "ndc": ndc, "ucum": ucum,
    ]

    /// The short name for a system URI or vocabulary name; unknown systems are kept lower-cased
    /// (so nothing is lost and a user can still write the URI in a value set).
    public static func normalize(_ system: String) -> String {
        let key = system.lowercased()
        if let known = byKey[key] { return known }
        if key.hasSuffix("/") , let known = byKey[String(key.dropLast())] { return known }
        return key
    }
}

/// Well-known OMOP standard concept ids used when a source carries no vocabulary.
public enum StandardConcept {
    public static let male: Int64 = 8507
    public static let female: Int64 = 8532
    public static let unknownGender: Int64 = 8551
    public static let inpatientVisit: Int64 = 9201
    public static let outpatientVisit: Int64 = 9202
    public static let emergencyVisit: Int64 = 9203
    public static let emergencyInpatientVisit: Int64 = 262
    public static let homeVisit: Int64 = 581476
    public static let telehealthVisit: Int64 = 5083
    /// Type concepts: where a record came from.
    public static let ehr: Int64 = 32817
    public static let ehrPrescription: Int64 = 32838
    public static let ehrDispensing: Int64 = 32825
    public static let patientSelfReport: Int64 = 32865
    public static let claim: Int64 = 32810

    /// Gender concept for FHIR / Synthea administrative gender.
    public static func gender(_ value: String) -> Int64 {
        switch value.lowercased() {
        case "male", "m": return male
        case "female", "f": return female
        default: return unknownGender
        }
    }

    /// Visit concept for an encounter class (FHIR v3 ActCode or Synthea ENCOUNTERCLASS).
    public static func visit(forClass value: String) -> Int64 {
        switch value.lowercased() {
        case "imp", "inpatient", "acute", "nonac", "obsenc", "ip": return inpatientVisit
        case "emer", "emergency", "er": return emergencyVisit
        case "hh", "home": return homeVisit
        case "vr", "virtual", "telehealth": return telehealthVisit
        default: return outpatientVisit
        }
    }
}
