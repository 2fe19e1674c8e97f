import StratumStore

extension StandardConcept {
    /// Type concept of a record that is an order written in the EHR.
    static let ehrOrder: Int64 = 32833
}

/// DeviceRequest → device_exposure and ServiceRequest → service_request: orders, dated when they
/// were written (`authoredOn`, which eCQMs test: "authoredOn during the measurement period"),
/// else when they ask for the device or service.
extension FHIRResourceMapper {
    private static let requestStart = [
        FHIRTimeField("authoredOn", nil, "authoredOn"), FHIRTimeField("occurrenceDateTime", nil, "occurrenceDateTime"),
        FHIRTimeField("occurrencePeriod", "start", "occurrencePeriod.start"),
    ]
    private static let requestEnd = [FHIRTimeField("occurrencePeriod", "end", "occurrencePeriod.end")]

    func mapDeviceRequest(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        guard let id = try requireRowID(r, fullURL, .deviceRequest),
              let person = try personID(r, "subject", .deviceRequest),
              let start = try requireTime(r, Self.requestStart, .deviceRequest, missing: "no authoredOn or occurrence date"),
              let end = try optionalTime(r, Self.requestEnd, .deviceRequest) else { return }
        // R4 names the device in `codeCodeableConcept` (or points at a Device: no code); R5 in `code.concept`.
        let code = r["codeCodeableConcept"] ?? r["code"]?["concept"]
        let table = try deviceTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        t.set(c.person, person)
        t.set(c.concept, Int64(0))
        bindTime(t, date: c.startDate, datetime: c.startDatetime, start)
        bindTime(t, date: c.endDate, datetime: c.endDatetime, end)
        t.set(c.type, StandardConcept.ehrOrder)
        t.set(c.quantity, r["quantity"]?.int64)  // R5 only
        t.set(c.provider, reference(r["requester"], expecting: "Practitioner"))
        t.set(c.visit, reference(r["encounter"], expecting: "Encounter"))
        bindOrderAttributes(t, status: c.status, intent: c.intent, doNotPerform: c.doNotPerform, r)
        let coding = pickCoding(code)
        bindCoding(t, system: c.system, code: c.code, sourceValue: c.sourceValue, coding)
        try insertCoded(t, concept: code, kept: coding)
    }

    func mapServiceRequest(_ r: JSONValue, _ fullURL: JSONValue?) throws {
        guard let id = try requireRowID(r, fullURL, .serviceRequest),
              let person = try personID(r, "subject", .serviceRequest),
              let date = try requireTime(r, Self.requestStart, .serviceRequest, missing: "no authoredOn or occurrence date") else { return }
        // R4's `code` is a CodeableConcept; R5 made it a CodeableReference (`code.concept`).
        let code = r["code"].map { $0["concept"] ?? $0 }
        let table = try serviceRequestTable()
        let t = table.inserter, c = table.c
        t.set(c.id, id)
        t.set(c.person, person)
        t.set(c.concept, Int64(0))
        bindTime(t, date: c.date, datetime: c.datetime, date)
        t.set(c.type, StandardConcept.ehrOrder)
        t.set(c.provider, reference(r["requester"], expecting: "Practitioner"))
        t.set(c.visit, reference(r["encounter"], expecting: "Encounter"))
        bindOrderAttributes(t, status: c.status, intent: c.intent, doNotPerform: c.doNotPerform, r)
        bindText(t, c.category, categoryCode(r["category"], preferring: nil))
        let coding = pickCoding(code)
        bindCoding(t, system: c.system, code: c.code, sourceValue: c.sourceValue, coding)
        try insertCoded(t, concept: code, kept: coding)
    }
}
