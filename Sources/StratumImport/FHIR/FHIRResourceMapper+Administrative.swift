import StratumStore

/// Patient → person (+ death), Practitioner → provider, Organization → care_site,
/// Coverage → payer_plan_period.
extension FHIRResourceMapper {
    private static let birthFields = [FHIRTimeField("birthDate", nil, "birthDate")]
    private static let deathFields = [FHIRTimeField("deceasedDateTime", nil, "deceasedDateTime")]
    private static let coverageStartFields = [FHIRTimeField("period", "start", "period.start")]
    private static let coverageEndFields = [FHIRTimeField("period", "end", "period.end")]
    private static let raceURL: StaticString = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race"
    private static let ethnicityURL: StaticString = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity"
    private static let npiSystem: StaticString = "http://hl7.org/fhir/sid/us-npi"

    /// OMOP concepts of the OMB race categories US Core uses (CDC codes). Kept apart from the
    /// ethnicity codes: Synthea writes 2135-2 (Hispanic or Latino) as a race displayed "Other".
    private static let raceConcepts: [String: Int64] = [
        "2106-3": 8527, // White
        "2054-5": 8516, // Black or African American
        "2028-9": 8515, // Asian
        "1002-5": 8657, // American Indian or Alaska Native
        "2076-8": 8557, // Native Hawaiian or Other Pacific Islander
    ]
    private static let ethnicityConcepts: [String: Int64] = [
        "2135-2": 38_003_563, // Hispanic or Latino
        "2186-5": 38_003_564, // Not Hispanic or Latino
    ]

    func mapPatient(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        guard let id = try requireRowID(r, fullURL, .patient) else { return }
        // A bad birth or death date is reported but the person is kept: every other record of
        // the patient points at this row.
        var birth: ParsedTimestamp?
        switch timestamp(r, Self.birthFields) {
        case .value(let parsed): birth = parsed
        case .missing: break
        case .invalid: try skip(FHIRResourceType.patient.label, "unparseable birthDate (person kept without it)", r)
        }
        var death: ParsedTimestamp?
        switch timestamp(r, Self.deathFields) {
        case .value(let parsed): death = parsed
        case .invalid: try skip(FHIRResourceType.patient.label, "unparseable deceasedDateTime (person kept, no death row)", r)
        case .missing:
            if r["deceasedBoolean"]?.bool == true { context.diagnostics.notImported("FHIR Patient death without a date") }
        }
        let race = usCoreCategory(r, Self.raceURL, Self.raceConcepts)
        let ethnicity = usCoreCategory(r, Self.ethnicityURL, Self.ethnicityConcepts)

        let table = try personTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        if let gender = r["gender"], let text = gender.string {
            t.set(c.gender, StandardConcept.gender(text))
            bindText(t, c.genderSource, gender)
        } else {
            t.set(c.gender, Int64(0))
        }
        if let birth {
            let (year, month, day) = CivilDate.civil(days: birth.days)
            // FHIR allows a partial birthDate (`1970`, `1970-04`): keep only what was given.
            let written = r["birthDate"]?.rawBytes.count ?? 10
            t.set(c.year, Int64(year))
            if written >= 7 { t.set(c.month, Int64(month)) }
            if written >= 10 { t.set(c.day, Int64(day)) }
            bindTime(t, date: c.birthDate, datetime: c.birthDatetime, birth)
        }
        t.set(c.race, race.concept)
        bindText(t, c.raceSource, race.source)
        t.set(c.ethnicity, ethnicity.concept)
        bindText(t, c.ethnicitySource, ethnicity.source)
        t.set(c.provider, reference(r["generalPractitioner"]?[0], expecting: "Practitioner"))
        t.set(c.careSite, reference(r["managingOrganization"], expecting: "Organization"))
        bindText(t, c.sourceValue, r["id"])
        try t.insert()

        if let death {
            let table = try deathTable()
            let t = table.inserter, c = table.c
            t.set(c.person, id)
            bindTime(t, date: c.date, datetime: c.datetime, death)
            t.set(c.type, StandardConcept.ehr)
            try t.insert()
        }
    }

    /// The OMB category of a US Core race or ethnicity extension: its OMOP concept (0 when not
    /// one of `concepts`) and the value to keep as source (the `text` part, else the category's display
    /// or code).
    private func usCoreCategory(_ r: JSONValue, _ url: StaticString, _ concepts: [String: Int64]) -> (concept: Int64, source: JSONValue?) {
        guard let extensions = r["extension"] else { return (0, nil) }
        for item in extensions.elements where item["url"]?.stringEquals(url) == true {
            var coding: JSONValue?
            var text: JSONValue?
            for part in item["extension"]?.elements ?? JSONElements.empty {
                guard let name = part["url"] else { continue }
                if coding == nil, name.stringEquals("ombCategory") { coding = part["valueCoding"] }
                if name.stringEquals("text") { text = part["valueString"] }
            }
            let concept = coding?["code"]?.string.flatMap { concepts[$0] } ?? 0
            return (concept, text ?? coding?["display"] ?? coding?["code"])
        }
        return (0, nil)
    }

    func mapPractitioner(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        guard let id = try requireRowID(r, fullURL, .practitioner) else { return }
        let table = try providerTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        if let name = humanName(r["name"]?[0]) { t.set(c.name, name) }
        for identifier in r["identifier"]?.elements ?? JSONElements.empty where identifier["system"]?.stringEquals(Self.npiSystem) == true {
            bindText(t, c.npi, identifier["value"])
            break
        }
        if let gender = r["gender"], let text = gender.string {
            t.set(c.gender, StandardConcept.gender(text))
            bindText(t, c.genderSource, gender)
        }
        bindText(t, c.sourceValue, r["id"])
        try t.insert()
        try recordAliases(r, target: id, kind: "Practitioner")
    }

    func mapOrganization(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        guard let id = try requireRowID(r, fullURL, .organization) else { return }
        let table = try careSiteTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        bindText(t, c.name, r["name"])
        bindText(t, c.sourceValue, r["id"])
        bindText(t, c.placeOfService, pickCoding(r["type"]?[0])?["code"])
        try t.insert()
        try recordAliases(r, target: id, kind: "Organization")
    }

    /// Records every identifier of a practitioner or organization as an alias of its id, so
    /// conditional references (`Practitioner?identifier=system|value`) resolve to it.
    private func recordAliases(_ r: JSONValue, target: Int64, kind: String) throws {
        guard let identifiers = r["identifier"], identifiers.isArray else { return }
        for identifier in identifiers.elements {
            guard let alias = aliasID(identifier) else { continue }
            let table = try aliasTable()
            let t = table.inserter, c = table.c
            t.set(c.alias, alias)
            t.set(c.target, target)
            t.set(c.kind, kind)
            try t.insert()
        }
    }

    /// `given… family`, or the name's `text`, for a provider's display name.
    private func humanName(_ name: JSONValue?) -> String? {
        guard let name else { return nil }
        if let text = name["text"]?.string, !text.isEmpty { return text }
        var bytes: [UInt8] = []
        for given in name["given"]?.elements ?? JSONElements.empty {
            if !bytes.isEmpty { bytes.append(0x20) }
            given.appendString(to: &bytes)
        }
        if let family = name["family"], family.isString {
            if !bytes.isEmpty { bytes.append(0x20) }
            family.appendString(to: &bytes)
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }

    func mapCoverage(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        guard let id = try requireRowID(r, fullURL, .coverage),
              let person = try personID(r, "beneficiary", .coverage),
              let start = try requireTime(r, Self.coverageStartFields, .coverage, missing: "no period.start"),
              let end = try optionalTime(r, Self.coverageEndFields, .coverage) else { return }
        let table = try payerPlanTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        t.set(c.person, person)
        t.set(c.startDate, Int64(start.days))
        t.set(c.endDate, end.map { Int64($0.days) })
        if let payor = r["payor"]?[0] {
            if let display = payor["display"], display.isString { bindText(t, c.payer, display) } else { bindText(t, c.payer, payor["reference"]) }
        }
        // The plan: the `class` entry typed "plan" (name, else value), else the coverage type.
        var plan: JSONValue?
        for item in r["class"]?.elements ?? JSONElements.empty where pickCoding(item["type"])?["code"]?.stringEquals("plan") == true {
            plan = item["name"] ?? item["value"]
        }
        bindText(t, c.plan, plan ?? r["type"]?["text"] ?? pickCoding(r["type"])?["code"])
        try t.insert()
    }
}
