import StratumStore

/// The code of a Medication resource, kept to resolve references to it from other entries.
struct FHIRMedicationCode {
    var system: String?
    var code: String?
}

/// MedicationRequest, MedicationDispense, MedicationStatement and Immunization → drug_exposure
/// (OMOP keeps vaccinations there too), with the drug type concept telling them apart.
extension FHIRResourceMapper {
    private static let authoredFields = [FHIRTimeField("authoredOn", nil, "authoredOn")]
    private static let dispensedFields = [
        FHIRTimeField("whenHandedOver", nil, "whenHandedOver"), FHIRTimeField("whenPrepared", nil, "whenPrepared"),
    ]
    private static let statementStart = [
        FHIRTimeField("effectiveDateTime", nil, "effectiveDateTime"), FHIRTimeField("effectivePeriod", "start", "effectivePeriod.start"),
        FHIRTimeField("dateAsserted", nil, "dateAsserted"),
    ]
    private static let statementEnd = [FHIRTimeField("effectivePeriod", "end", "effectivePeriod.end")]
    private static let occurrenceFields = [
        FHIRTimeField("occurrenceDateTime", nil, "occurrenceDateTime"), FHIRTimeField("occurrenceString", nil, "occurrenceString"),
    ]

    /// Where a drug row's code comes from.
    enum MedicationSource {
        case coding(JSONValue?)
        case known(FHIRMedicationCode)
        /// A Medication not seen yet (NDJSON files in any order): resolved in `finishImport`.
        case pending(Int64)
    }

    func mapMedicationRequest(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        guard let id = try requireRowID(r, fullURL, .medicationRequest),
              let person = try personID(r, "subject", .medicationRequest),
              let start = try requireTime(r, Self.authoredFields, .medicationRequest, missing: "no authoredOn") else { return }
        let dispense = r["dispenseRequest"]
        let days = Self.days(dispense?["expectedSupplyDuration"])
        let dosage = r["dosageInstruction"]?[0]
        try insertDrug(id: id, person: person, start: start, end: nil, days: days, type: StandardConcept.ehrPrescription,
                       refills: dispense?["numberOfRepeatsAllowed"]?.int64, quantity: dispense?["quantity"]?["value"]?.double,
                       dosage: dosage, route: dosage?["route"],
                       provider: reference(r["requester"], expecting: "Practitioner"),
                       visit: reference(r["encounter"], expecting: "Encounter"), medication: medication(r), r)
    }

    func mapMedicationDispense(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        guard let id = try requireRowID(r, fullURL, .medicationDispense, prefix: "MedicationDispense/"),
              let person = try personID(r, "subject", .medicationDispense),
              let start = try requireTime(r, Self.dispensedFields, .medicationDispense, missing: "no whenHandedOver or whenPrepared") else { return }
        let dosage = r["dosageInstruction"]?[0]
        try insertDrug(id: id, person: person, start: start, end: nil, days: Self.days(r["daysSupply"]), type: StandardConcept.ehrDispensing,
                       refills: nil, quantity: r["quantity"]?["value"]?.double, dosage: dosage, route: dosage?["route"],
                       provider: reference(r["performer"]?[0]?["actor"], expecting: "Practitioner"),
                       visit: reference(r["context"] ?? r["encounter"], expecting: "Encounter"), medication: medication(r), r)
    }

    func mapMedicationStatement(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        if r["status"]?.stringEquals("not-taken") == true { return context.diagnostics.notImported("FHIR MedicationStatement not-taken") }
        guard let id = try requireRowID(r, fullURL, .medicationStatement, prefix: "MedicationStatement/"),
              let person = try personID(r, "subject", .medicationStatement),
              let start = try requireTime(r, Self.statementStart, .medicationStatement, missing: "no effective date or dateAsserted"),
              let end = try optionalTime(r, Self.statementEnd, .medicationStatement) else { return }
        let dosage = r["dosage"]?[0]
        try insertDrug(id: id, person: person, start: start, end: end, days: nil, type: StandardConcept.patientSelfReport,
                       refills: nil, quantity: nil, dosage: dosage, route: dosage?["route"], provider: nil,
                       visit: reference(r["context"], expecting: "Encounter"), medication: medication(r), r)
    }

    /// A vaccination: one administration, so it ends the day it starts.
    func mapImmunization(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        if r["status"]?.stringEquals("not-done") == true { return context.diagnostics.notImported("FHIR Immunization not-done") }
        guard let id = try requireRowID(r, fullURL, .immunization, prefix: "Immunization/"),
              let person = try personID(r, "patient", .immunization),
              let start = try requireTime(r, Self.occurrenceFields, .immunization, missing: "no occurrence date") else { return }
        try insertDrug(id: id, person: person, start: start, end: start, days: nil,
                       type: StandardConcept.ehr, refills: nil, quantity: r["doseQuantity"]?["value"]?.double, dosage: nil,
                       route: r["route"], provider: reference(r["performer"]?[0]?["actor"], expecting: "Practitioner"),
                       visit: reference(r["encounter"], expecting: "Encounter"), medication: .coding(pickCoding(r["vaccineCode"])), r)
    }

    /// A drug row; `r` (the resource) gives the status, and a request's intent and doNotPerform.
    private func insertDrug(id: Int64, person: Int64, start: ParsedTimestamp, end: ParsedTimestamp?, days: Int64?, type: Int64,
                            refills: Int64?, quantity: Double?, dosage: JSONValue?, route: JSONValue?, provider: Int64?,
                            visit: Int64?, medication: MedicationSource, _ r: JSONValue) throws {
        let table = try drugTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        t.set(c.person, person)
        t.set(c.concept, Int64(0))
        bindTime(t, date: c.startDate, datetime: c.startDatetime, start)
        if let end {
            bindTime(t, date: c.endDate, datetime: c.endDatetime, end)
        } else if let days {
            // A supply of d days starting on day s covers s … s + d - 1.
            let last = Int64(start.days) + days - 1
            t.set(c.endDate, last)
            t.set(c.endDatetime, last * 86_400)
        }
        t.set(c.type, type)
        t.set(c.refills, refills)
        t.set(c.quantity, quantity)
        t.set(c.daysSupply, days)
        bindText(t, c.sig, dosage?["text"])
        bindText(t, c.route, pickCoding(route)?["code"])
        t.set(c.provider, provider)
        t.set(c.visit, visit)
        bindOrderAttributes(t, status: c.status, intent: c.intent, doNotPerform: c.doNotPerform, r)
        switch medication {
        case .coding(let coding):
            bindCoding(t, system: c.system, code: c.code, sourceValue: c.sourceValue, coding)
        case .known(let known):
            t.set(c.system, known.system)
            t.set(c.code, known.code)
            t.set(c.sourceValue, known.code)
        case .pending:
            break
        }
        // The row's key is SQLite's rowid (see FHIRColumnSets), known only once it is inserted.
        if try t.insert(), case .pending(let medicationID) = medication {
            pendingMedications.append((context.store.db.lastInsertRowID, medicationID))
        }
    }

    /// Whole days in a Duration (or a Quantity of time): `30 d`, `4 wk`, `1 mo`; nil when absent,
    /// not positive, or in a unit that is not a time.
    static func days(_ duration: JSONValue?) -> Int64? {
        guard let duration, let value = duration["value"]?.double, value > 0, value < 1e6 else { return nil }
        let unit = (duration["code"] ?? duration["unit"])?.string?.lowercased() ?? "d"
        let factor: Double
        switch unit {
        case "d", "day", "days": factor = 1
        case "wk", "week", "weeks": factor = 7
        case "mo", "month", "months": factor = 30
        case "a", "yr", "year", "years": factor = 365
        case "h", "hour", "hours": factor = 1.0 / 24
        default: return nil
        }
        return Int64(max(1, (value * factor).rounded(.up)))
    }

    /// The medication of a request, dispense or statement: `medicationCodeableConcept`, or the
    /// Medication its `medicationReference` points to — contained, in the same Bundle, or seen
    /// earlier in the import (else resolved at the end). R5's CodeableReference is read too.
    private func medication(_ r: JSONValue) -> MedicationSource {
        let r5 = r["medication"]
        if let concept = r["medicationCodeableConcept"] ?? r5?["concept"] { return .coding(pickCoding(concept)) }
        guard let ref = r["medicationReference"] ?? r5?["reference"], let text = ref["reference"], text.isString else { return .coding(nil) }
        if text.rawBytes.first == UInt8(ascii: "#") {
            let local = UnsafeRawBufferPointer(rebasing: text.rawBytes.dropFirst())
            for contained in r["contained"]?.elements ?? .empty where contained["id"]?.stringEquals(local) == true {
                return .coding(pickCoding(contained["code"]))
            }
            return .coding(nil)
        }
        guard let id = reference(ref, expecting: "Medication") else { return .coding(nil) }
        if let resource = bundleMedications[id] { return .coding(pickCoding(resource["code"])) }
        if let known = medicationCodes[id] { return .known(known) }
        return .pending(id)
    }

    /// Indexes a Medication of the Bundle by its id and by its fullUrl (references use either).
    func indexBundleMedication(_ r: JSONValue, _ fullURL: JSONValue?) {
        if let id = rowID(r, nil) { bundleMedications[id] = r }
        if let url = fullURL, let id = url.withStringBytes({ FHIRReference.literal($0).map { StableID.of($0.id) } }) ?? nil {
            bundleMedications[id] = r
        }
    }

    /// Keeps a Medication's code for references from other entries or files.
    func rememberMedication(_ r: JSONValue, _ fullURL: JSONValue?) {
        guard let id = rowID(r, fullURL) else { return }
        let coding = pickCoding(r["code"])
        medicationCodes[id] = FHIRMedicationCode(system: coding?["system"].map { systemEntry($0).name },
                                                 code: coding?["code"]?.string)
    }

    /// Sets the codes of drug rows (by row id) written before their Medication was seen.
    func resolvePendingMedications() throws {
        guard !pendingMedications.isEmpty else { return }
        var unresolved = 0
        for (drugID, medicationID) in pendingMedications {
            guard let known = medicationCodes[medicationID] else {
                unresolved += 1
                continue
            }
            try context.store.db.run("""
                UPDATE drug_exposure SET source_system = ?, source_code = ?, drug_source_value = ?
                WHERE drug_exposure_id = ? AND import_id = ?
                """, [known.system.map(SQLValue.text) ?? .null, known.code.map(SQLValue.text) ?? .null,
                      known.code.map(SQLValue.text) ?? .null, .integer(drugID), .integer(context.importID)])
        }
        pendingMedications.removeAll()
        if unresolved > 0 {
            context.diagnostics.notImported("FHIR medication reference not resolved (drug kept without a code)", count: unresolved)
        }
    }
}
