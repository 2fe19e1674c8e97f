import StratumStore

/// Encounter → visit_occurrence, Condition → condition_occurrence, Procedure →
/// procedure_occurrence, AllergyIntolerance → observation.
extension FHIRResourceMapper {
    private static let periodStart = [FHIRTimeField("period", "start", "period.start")]
    private static let periodEnd = [FHIRTimeField("period", "end", "period.end")]
    private static let onsetFields = [
        FHIRTimeField("onsetDateTime", nil, "onsetDateTime"), FHIRTimeField("onsetPeriod", "start", "onsetPeriod.start"),
        FHIRTimeField("recordedDate", nil, "recordedDate"),
    ]
    private static let abatementFields = [
        FHIRTimeField("abatementDateTime", nil, "abatementDateTime"), FHIRTimeField("abatementPeriod", "start", "abatementPeriod.start"),
    ]
    private static let performedStart = [
        FHIRTimeField("performedDateTime", nil, "performedDateTime"), FHIRTimeField("performedPeriod", "start", "performedPeriod.start"),
    ]
    private static let performedEnd = [FHIRTimeField("performedPeriod", "end", "performedPeriod.end")]

    /// The "not imported" reason for a verification status that rules a record out (`refuted`,
    /// `entered-in-error`), nil for any other.
    private static func excludedVerification(_ code: JSONValue, _ type: FHIRResourceType) -> String? {
        if code.stringEquals("refuted") { return "\(type.label) refuted" }
        if code.stringEquals("entered-in-error") { return "\(type.label) entered-in-error" }
        return nil
    }

    func mapEncounter(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        guard let id = try requireRowID(r, fullURL, .encounter),
              let person = try personID(r, "subject", .encounter),
              let start = try requireTime(r, Self.periodStart, .encounter, missing: "no period.start"),
              let end = try optionalTime(r, Self.periodEnd, .encounter) else { return }
        // R4 `class` is a Coding; R5 made it a list of CodeableConcepts.
        var classCode = r["class"]?["code"]
        if classCode == nil { classCode = pickCoding(r["class"]?[0])?["code"] }
        // The attending practitioner: the first participant naming one (R5 calls it `actor`).
        var provider: Int64?
        for participant in r["participant"]?.elements ?? .empty {
            provider = reference(participant["individual"] ?? participant["actor"], expecting: "Practitioner")
            if provider != nil { break }
        }
        let hospitalization = r["hospitalization"] ?? r["admission"]

        let table = try visitTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        t.set(c.person, person)
        t.set(c.concept, classCode?.string.map(StandardConcept.visit(forClass:)) ?? StandardConcept.outpatientVisit)
        bindTime(t, date: c.startDate, datetime: c.startDatetime, start)
        bindTime(t, date: c.endDate, datetime: c.endDatetime, end)
        t.set(c.type, StandardConcept.ehr)
        t.set(c.provider, provider)
        t.set(c.careSite, reference(r["serviceProvider"], expecting: "Organization"))
        bindText(t, c.sourceValue, classCode)
        bindText(t, c.status, r["status"])
        // Codes, not displays: eCQMs compare the disposition with a code ("discharge to home for
        // hospice care", SNOMED CT 428361000124107).
        bindText(t, c.admittedFrom, pickCoding(hospitalization?["admitSource"])?["code"])
        bindText(t, c.dischargedTo, pickCoding(hospitalization?["dischargeDisposition"])?["code"])
        bindCoding(t, system: c.system, code: c.code, sourceValue: nil, pickCoding(r["type"]?[0]))
        try t.insert()
    }

    func mapCondition(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        // A refuted diagnosis is not a condition the patient has; one entered in error was never
        // a diagnosis (a Condition says so in its verification status: it has no `status`).
        let verification = pickCoding(r["verificationStatus"])?["code"]
        if let verification, let excluded = Self.excludedVerification(verification, FHIRResourceType.condition) {
            return context.diagnostics.notImported(excluded)
        }
        guard let id = try requireRowID(r, fullURL, .condition),
              let person = try personID(r, "subject", .condition),
              let start = try requireTime(r, Self.onsetFields, .condition, missing: "no onset or recordedDate"),
              let end = try optionalTime(r, Self.abatementFields, .condition) else { return }
        let table = try conditionTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        t.set(c.person, person)
        t.set(c.concept, Int64(0))
        bindTime(t, date: c.startDate, datetime: c.startDatetime, start)
        bindTime(t, date: c.endDate, datetime: c.endDatetime, end)
        t.set(c.type, StandardConcept.ehr)
        bindText(t, c.status, pickCoding(r["clinicalStatus"])?["code"])
        bindText(t, c.verification, verification)
        t.set(c.provider, reference(r["asserter"] ?? r["recorder"], expecting: "Practitioner"))
        t.set(c.visit, reference(r["encounter"], expecting: "Encounter"))
        let coding = pickCoding(r["code"])
        bindCoding(t, system: c.system, code: c.code, sourceValue: c.sourceValue, coding)
        try insertCoded(t, concept: r["code"], kept: coding)
    }

    func mapProcedure(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        if r["status"]?.stringEquals("not-done") == true { return context.diagnostics.notImported("FHIR Procedure not-done") }
        guard let id = try requireRowID(r, fullURL, .procedure),
              let person = try personID(r, "subject", .procedure),
              let start = try requireTime(r, Self.performedStart, .procedure, missing: "no performed date"),
              let end = try optionalTime(r, Self.performedEnd, .procedure) else { return }
        let table = try procedureTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        t.set(c.person, person)
        t.set(c.concept, Int64(0))
        bindTime(t, date: c.date, datetime: c.datetime, start)
        bindTime(t, date: c.endDate, datetime: c.endDatetime, end)
        t.set(c.type, StandardConcept.ehr)
        bindText(t, c.status, r["status"])
        t.set(c.provider, reference(r["performer"]?[0]?["actor"], expecting: "Practitioner"))
        t.set(c.visit, reference(r["encounter"], expecting: "Encounter"))
        let coding = pickCoding(r["code"])
        bindCoding(t, system: c.system, code: c.code, sourceValue: c.sourceValue, coding)
        try insertCoded(t, concept: r["code"], kept: coding)
    }

    /// An allergy is an observation (OMOP keeps them there): the allergen's code as the source
    /// code, the type (`allergy` / `intolerance`) as the value.
    func mapAllergy(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        if let verification = pickCoding(r["verificationStatus"])?["code"],
           let excluded = Self.excludedVerification(verification, FHIRResourceType.allergyIntolerance) {
            return context.diagnostics.notImported(excluded)
        }
        guard let id = try requireRowID(r, fullURL, .allergyIntolerance, prefix: "AllergyIntolerance/"),
              let person = try personID(r, "patient", .allergyIntolerance),
              let start = try requireTime(r, Self.onsetFields, .allergyIntolerance, missing: "no onset or recordedDate") else { return }
        let table = try observationTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        t.set(c.person, person)
        t.set(c.concept, Int64(0))
        bindTime(t, date: c.date, datetime: c.datetime, start)
        t.set(c.type, StandardConcept.ehr)
        bindText(t, c.valueString, r["type"])
        t.set(c.visit, reference(r["encounter"], expecting: "Encounter"))
        let coding = pickCoding(r["code"])
        bindCoding(t, system: c.system, code: c.code, sourceValue: c.sourceValue, coding)
        try insertCoded(t, concept: r["code"], kept: coding)
    }
}
