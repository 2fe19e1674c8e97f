import StratumStore

/// Observation → measurement (results: numeric values, laboratory and vital-sign observations
/// whatever their value, and every component of a panel such as blood pressure) or observation
/// (everything else: surveys, social history, exams, with a coded, text or no answer).
///
/// Dates follow the eCQM conventions for each kind. A result is dated by the end of its
/// effective period when it has one (CQL's `latest()`), else its start, `effectiveDateTime`,
/// `effectiveInstant` or `issued`; `measurement_end_date` is that same instant. An observation
/// row is dated by the start and keeps the period's end in `observation_end_date` (NULL when
/// none): assessments such as "ends during the measurement period" need both.
extension FHIRResourceMapper {
    private static let effectiveStart = [
        FHIRTimeField("effectiveDateTime", nil, "effectiveDateTime"), FHIRTimeField("effectivePeriod", "start", "effectivePeriod.start"),
        FHIRTimeField("effectiveInstant", nil, "effectiveInstant"), FHIRTimeField("issued", nil, "issued"),
    ]
    private static let effectiveEnd = [FHIRTimeField("effectivePeriod", "end", "effectivePeriod.end")]

    /// What every row made from one Observation (it, and each of its components) shares.
    private struct ObservationHeader {
        let person: Int64
        let visit: Int64?
        let status: JSONValue?
        let category: JSONValue?
    }

    /// OMOP operator concepts for a Quantity's comparator.
    private static func operatorConcept(_ comparator: JSONValue?) -> Int64? {
        guard let comparator, comparator.isString else { return nil }
        if comparator.stringEquals("<") { return 4_171_756 }
        if comparator.stringEquals("<=") { return 4_171_754 }
        if comparator.stringEquals(">=") { return 4_171_755 }
        if comparator.stringEquals(">") { return 4_172_704 }
        return nil
    }

    func mapObservation(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        guard let id = try requireRowID(r, fullURL, .observation),
              let person = try personID(r, "subject", .observation),
              let start = try optionalTime(r, Self.effectiveStart, .observation),
              let end = try optionalTime(r, Self.effectiveEnd, .observation) else { return }
        guard let latest = end ?? start else {
            return try skip(FHIRResourceType.observation.label, "no effective date or issued", r)
        }
        let category = categoryCode(r["category"], preferring: Self.observationCategorySystem)
        let header = ObservationHeader(person: person, visit: reference(r["encounter"], expecting: "Encounter"),
                                       status: r["status"], category: category)
        let components = r["component"].flatMap { $0.isArray && $0.count > 0 ? $0 : nil }

        // A panel whose values are all in its components has no row of its own.
        if components == nil || hasValue(r) {
            let numeric = r["valueQuantity"]?.isObject == true || r["valueInteger"]?.isNumber == true
            let result = category.map { $0.stringEquals("laboratory") || $0.stringEquals("vital-signs") } ?? false
            if numeric || result {
                try insertMeasurement(id: id, header, time: latest, result: r, code: r["code"])
            } else {
                try insertObservation(id: id, header, start: start ?? latest, end: end, r)
            }
        }
        // Each component is a result of its own (systolic and diastolic pressure of a BP panel).
        if let components {
            var index = 0
            for component in components.elements where component.isObject {
                try insertMeasurement(id: derivedID(index), header, time: latest, result: component, code: component["code"])
                index += 1
            }
        }
    }

    private func hasValue(_ r: JSONValue) -> Bool {
        for (name, _) in r.members where name.rawBytes.count > 5 && FHIRReference.hasPrefix(name.rawBytes, "value") { return true }
        return false
    }

    /// A measurement row for `result` (the Observation or one of its components), dated `time`.
    private func insertMeasurement(id: Int64, _ header: ObservationHeader, time: ParsedTimestamp, result: JSONValue,
                                   code: JSONValue?) throws {
        let table = try measurementTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        t.set(c.person, header.person)
        t.set(c.concept, Int64(0))
        bindTime(t, date: c.date, datetime: c.datetime, time)
        bindTime(t, date: c.endDate, datetime: c.endDatetime, time)
        t.set(c.type, StandardConcept.ehr)
        t.set(c.visit, header.visit)
        bindText(t, c.status, header.status)
        bindText(t, c.category, header.category)
        let kept = pickCoding(code)
        bindCoding(t, system: c.system, code: c.code, sourceValue: c.sourceValue, kept)
        if let quantity = result["valueQuantity"], quantity.isObject {
            t.set(c.value, quantity["value"]?.double)
            t.set(c.operatorConcept, Self.operatorConcept(quantity["comparator"]))
            bindText(t, c.unit, quantity["unit"] ?? quantity["code"])
        } else if let integer = result["valueInteger"], integer.isNumber {
            t.set(c.value, integer.double)
        } else if let concept = result["valueCodeableConcept"] {
            bindText(t, c.valueSource, pickCoding(concept)?["code"] ?? concept["text"])
        } else if let text = result["valueString"] {
            bindText(t, c.valueSource, text)
        } else if let flag = result["valueBoolean"]?.bool {
            t.set(c.valueSource, flag ? "true" : "false")
        }
        if let range = result["referenceRange"]?[0] {
            t.set(c.rangeLow, range["low"]?["value"]?.double)
            t.set(c.rangeHigh, range["high"]?["value"]?.double)
        }
        try insertCoded(t, concept: code, kept: kept)
    }

    /// An observation row: the code, and a coded, text, boolean or date answer, or none.
    private func insertObservation(id: Int64, _ header: ObservationHeader, start: ParsedTimestamp, end: ParsedTimestamp?,
                                   _ r: JSONValue) throws {
        let table = try observationTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        t.set(c.person, header.person)
        t.set(c.concept, Int64(0))
        bindTime(t, date: c.date, datetime: c.datetime, start)
        bindTime(t, date: c.endDate, datetime: c.endDatetime, end)
        t.set(c.type, StandardConcept.ehr)
        t.set(c.visit, header.visit)
        bindText(t, c.status, header.status)
        bindText(t, c.category, header.category)
        let kept = pickCoding(r["code"])
        bindCoding(t, system: c.system, code: c.code, sourceValue: c.sourceValue, kept)
        if let concept = r["valueCodeableConcept"] {
            let coding = pickCoding(concept)
            bindCoding(t, system: c.valueSystem, code: c.valueCode, sourceValue: nil, coding)
            bindText(t, c.valueString, concept["text"] ?? coding?["display"])
        } else if let text = r["valueString"] {
            bindText(t, c.valueString, text)
        } else if let flag = r["valueBoolean"]?.bool {
            t.set(c.valueString, flag ? "true" : "false")
        } else if let date = r["valueDateTime"] {
            bindText(t, c.valueString, date)
        }
        try insertCoded(t, concept: r["code"], kept: kept)
    }
}
