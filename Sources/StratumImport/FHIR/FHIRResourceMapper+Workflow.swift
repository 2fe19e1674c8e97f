import StratumStore

/// Workflow attributes: what state a resource is in (`status`), what a request asks for
/// (`intent`, `doNotPerform`) and what kind of Observation it is (`category`). OMOP has no
/// columns for them, but eCQM logic filters on them (QI-Core's `Status` library keeps only
/// final, amended and corrected results, active and completed orders, …), so they go to the
/// extension columns of `CDMSchema` as the codes the source sent.
extension FHIRResourceMapper {
    /// The code system of Observation categories (`laboratory`, `vital-signs`, `survey`, …).
    static let observationCategorySystem: StaticString = "http://terminology.hl7.org/CodeSystem/observation-category"
    /// QI-Core's extension for a DeviceRequest that says not to provide the device (R4's
    /// DeviceRequest has no `doNotPerform` element).
    static let doNotPerformExtension: StaticString = "http://hl7.org/fhir/us/qicore/StructureDefinition/qicore-doNotPerform"

    /// The code of a resource's category: the first coding in `preferred`'s system across its
    /// categories, else the first coding's code.
    func categoryCode(_ categories: JSONValue?, preferring preferred: StaticString?) -> JSONValue? {
        guard let categories else { return nil }
        var first: JSONValue?
        // `category` is a list (Observation, ServiceRequest); a lone CodeableConcept is read too.
        if categories.isObject { return code(in: categories, preferring: preferred, first: &first) ?? first }
        for category in categories.elements {
            if let code = code(in: category, preferring: preferred, first: &first) { return code }
        }
        return first
    }

    /// The code of `concept`'s coding in `preferred`'s system; keeps the first code seen in `first`.
    private func code(in concept: JSONValue, preferring preferred: StaticString?, first: inout JSONValue?) -> JSONValue? {
        for coding in concept["coding"]?.elements ?? .empty {
            guard let code = coding["code"] else { continue }
            if first == nil { first = code }
            if let preferred, coding["system"]?.stringEquals(preferred) == true { return code }
        }
        return nil
    }

    /// Whether a request says *not* to do what it names: its `doNotPerform` element (R4
    /// MedicationRequest and ServiceRequest, R5 DeviceRequest), else QI-Core's doNotPerform
    /// extension (as a modifier extension or a plain one); nil when it says neither. Only the exact
    /// URL counts: the eCQM test decks also carry a misspelled `qicore-doNotPeform`, which is an
    /// unknown extension and says nothing.
    func doNotPerform(_ r: JSONValue) -> Bool? {
        if let flag = r["doNotPerform"]?.bool { return flag }
        return Self.doNotPerformFlag(r["modifierExtension"]) ?? Self.doNotPerformFlag(r["extension"])
    }

    private static func doNotPerformFlag(_ extensions: JSONValue?) -> Bool? {
        for item in extensions?.elements ?? .empty where item["url"]?.stringEquals(doNotPerformExtension) == true {
            return item["valueBoolean"]?.bool
        }
        return nil
    }

    /// Binds a request's (or a record of use's) `status`, `intent` and doNotPerform; a resource
    /// without one of them leaves its column NULL.
    func bindOrderAttributes(_ t: TableInserter, status: Int, intent: Int, doNotPerform flag: Int, _ r: JSONValue) {
        bindText(t, status, r["status"])
        bindText(t, intent, r["intent"])
        if let value = doNotPerform(r) { t.set(flag, Int64(value ? 1 : 0)) }
    }
}
