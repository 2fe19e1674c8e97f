/// The FHIR resource types the importer recognises: those it maps, and common ones it counts as
/// not imported without building a String for each (Synthea writes a Claim and an
/// ExplanationOfBenefit for every encounter).
enum FHIRResourceType: String, CaseIterable, Sendable {
    // Mapped.
    case patient = "Patient"
    case encounter = "Encounter"
    case condition = "Condition"
    case observation = "Observation"
    case medicationRequest = "MedicationRequest"
    case medicationDispense = "MedicationDispense"
    case medicationStatement = "MedicationStatement"
    case medication = "Medication"
    case procedure = "Procedure"
    case immunization = "Immunization"
    case allergyIntolerance = "AllergyIntolerance"
    case practitioner = "Practitioner"
    case organization = "Organization"
    case coverage = "Coverage"
    case deviceRequest = "DeviceRequest"
    case serviceRequest = "ServiceRequest"
    case bundle = "Bundle"
    // Recognised, not imported.
    case claim = "Claim"
    case explanationOfBenefit = "ExplanationOfBenefit"
    case diagnosticReport = "DiagnosticReport"
    case carePlan = "CarePlan"
    case careTeam = "CareTeam"
    case goal = "Goal"
    case imagingStudy = "ImagingStudy"
    case device = "Device"
    case documentReference = "DocumentReference"
    case provenance = "Provenance"
    case supplyDelivery = "SupplyDelivery"
    case medicationAdministration = "MedicationAdministration"
    case location = "Location"
    case practitionerRole = "PractitionerRole"

    /// `FHIR Observation`: the kind named in diagnostics.
    var label: String { Self.labels[self]! }

    private static let labels: [FHIRResourceType: String] =
        Dictionary(uniqueKeysWithValues: allCases.map { ($0, "FHIR \($0.rawValue)") })

    private static let byHash: [Int64: FHIRResourceType] =
        Dictionary(uniqueKeysWithValues: allCases.map { (StableID.of($0.rawValue), $0) })

    /// The type named by a `resourceType` value, nil for a type not listed here.
    init?(_ value: JSONValue) {
        guard value.isString, !value.hasEscapes else { return nil }
        let bytes = value.rawBytes
        guard let type = Self.byHash[StableID.of(bytes)] else { return nil }
        var name = type.rawValue
        guard name.withUTF8({ bytes.elementsEqual($0) }) else { return nil }
        self = type
    }
}
