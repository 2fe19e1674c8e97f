import StratumStore

/// Observation → measurement (numeric results, and every component of a panel such as blood
/// pressure) or observation (coded and text answers: surveys, smoking status, social history).
extension FHIRResourceMapper {
    private static let effectiveFields = [
        FHIRTimeField("effectiveDateTime", nil, "effectiveDateTime"), FHIRTimeField("effectivePeriod", "start", "effectivePeriod.start"),
        FHIRTimeField("effectiveInstant", nil, "effectiveInstant"), FHIRTimeField("issued", nil, "issued"),
    ]

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
              let time = try requireTime(r, Self.effectiveFields, .observation, missing: "no effective date or issued") else { return }
        let visit = reference(r["encounter"], expecting: "Encounter")
        let components = r["component"].flatMap { $0.isArray && $0.count > 0 ? $0 : nil }
        let quantity = r["valueQuantity"].flatMap { $0.isObject ? $0 : nil }
        let integer = r["valueInteger"].flatMap { $0.isNumber ? $0 : nil }

        if quantity != nil || integer != nil {
            try insertMeasurement(id: id, person: person, time: time, visit: visit, result: r, code: r["code"])
        } else if components == nil || hasValue(r) {
            try insertObservation(id: id, person: person, time: time, visit: visit, r)
        }
        // Each component is a result of its own (systolic and diastolic pressure of a BP panel).
        if let components {
            var index = 0
            for component in components.elements where component.isObject {
                try insertMeasurement(id: derivedID(index), person: person, time: time, visit: visit,
                                      result: component, code: component["code"])
                index += 1
            }
        }
    }

    private func hasValue(_ r: JSONValue) -> Bool {
        for (name, _) in r.members where name.rawBytes.count > 5 && FHIRReference.hasPrefix(name.rawBytes, "value") { return true }
        return false
    }

    /// A measurement row for `result` (the Observation or one of its components).
    private func insertMeasurement(id: Int64, person: Int64, time: ParsedTimestamp, visit: Int64?, result: JSONValue, code: JSONValue?) throws {
        let table = try measurementTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        t.set(c.person, person)
        t.set(c.concept, Int64(0))
        bindTime(t, date: c.date, datetime: c.datetime, time)
        t.set(c.type, StandardConcept.ehr)
        t.set(c.visit, visit)
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
        }
        if let range = result["referenceRange"]?[0] {
            t.set(c.rangeLow, range["low"]?["value"]?.double)
            t.set(c.rangeHigh, range["high"]?["value"]?.double)
        }
        try insertCoded(t, concept: code, kept: kept)
    }

    /// An observation row: the code, and a coded, text, boolean or date answer.
    private func insertObservation(id: Int64, person: Int64, time: ParsedTimestamp, visit: Int64?, _ r: JSONValue) throws {
        let table = try observationTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        t.set(c.person, person)
        t.set(c.concept, Int64(0))
        bindTime(t, date: c.date, datetime: c.datetime, time)
        t.set(c.type, StandardConcept.ehr)
        t.set(c.visit, visit)
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
