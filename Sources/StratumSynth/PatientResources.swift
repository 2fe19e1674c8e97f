/// The NDJSON of the chunk being built, one paged buffer per patient-level resource type.
struct ChunkBuffers {
    static let types: [SynthResourceType] = [.patient, .encounter, .condition, .observation, .medicationRequest, .medicationDispense]
    var buffers = [PagedBytes](repeating: PagedBytes(), count: SynthResourceType.allCases.count)
    var counts = [Int](repeating: 0, count: SynthResourceType.allCases.count)
    var summary = SynthSummary()
    var patients = 0
    private(set) var bytes = 0

    /// Appends one resource (its JSON must end with a newline).
    mutating func append(_ type: SynthResourceType, _ json: JSONText) {
        buffers[type.rawValue].append(json.bytes)
        counts[type.rawValue] += 1
        bytes += json.bytes.count
    }
}

/// Writes the Patient, Encounter and Condition resources of the simulated timeline.
extension PatientSimulator {
    func writePatient(_ out: inout ChunkBuffers) {
        let p = profile
        json.reset()
        json.raw("{\"resourceType\":\"Patient\",\"id\":"); json.id(p.id)
        json.raw(",\"meta\":{\"profile\":[\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient\"]}")
        var extensions: [String] = []
        if let race = p.race {
            let r = Demographics.races[race]
            extensions.append("{\"url\":\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race\",\"extension\":[{\"url\":\"ombCategory\",\"valueCoding\":{\"system\":\"urn:oid:2.16.840.1.113883.6.238\",\"code\":\"\(r.code)\",\"display\":\"\(r.display)\"}},{\"url\":\"text\",\"valueString\":\"\(r.display)\"}]}")
        }
        if let hispanic = p.hispanic {
            let (code, display) = hispanic ? ("2135-2", "Hispanic or Latino") : ("2186-5", "Not Hispanic or Latino")
            extensions.append("{\"url\":\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity\",\"extension\":[{\"url\":\"ombCategory\",\"valueCoding\":{\"system\":\"urn:oid:2.16.840.1.113883.6.238\",\"code\":\"\(code)\",\"display\":\"\(display)\"}},{\"url\":\"text\",\"valueString\":\"\(display)\"}]}")
        }
        if !extensions.isEmpty {
            json.raw(",\"extension\":[")
            json.bytes.append(contentsOf: extensions.joined(separator: ",").utf8)
            json.raw("]")
        }
        json.raw(",\"identifier\":[{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0203\",\"code\":\"MR\",\"display\":\"Medical record number\"}]},\"system\":\"urn:stratum:synth:mrn\",\"value\":\"MRN")
        json.int(10_000_000 + p.index)
        json.raw("\"}],\"name\":[{\"use\":\"official\",\"family\":"); json.string(Names.family[p.family])
        json.raw(",\"given\":["); json.string(p.sex == .male ? Names.maleGiven[p.given] : Names.femaleGiven[p.given])
        json.raw("]}],\"gender\":")
        switch p.sex {
        case .female: json.raw("\"female\"")
        case .male: json.raw("\"male\"")
        case .unknown: json.raw("\"unknown\"")
        }
        json.raw(",\"birthDate\":"); json.date(p.birthDay)
        if let death = p.deathDay {
            json.raw(",\"deceasedDateTime\":"); json.dateTime(death * 86_400 + 13 * 3600 + rng.int(0...39_599))
        }
        let pcp = directory.practitioners[p.pcp]
        let clinic = directory.organizations[pcp.organization]
        json.raw(",\"address\":[")
        Names.address(town: clinic.town, line: String(p.houseNumber) + " " + Names.streets[p.street], into: &json)
        json.raw("],\"generalPractitioner\":["); json.reference("Practitioner/", pcp.id)
        json.raw("],\"managingOrganization\":"); json.reference("Organization/", clinic.id)
        json.raw("}\n")
        out.append(.patient, json)
    }

    func conditionID(_ condition: ChronicCondition) -> ResourceID {
        ResourceID(key: profile.key, kind: 2, counter: condition.rawValue)
    }

    func writeEncountersAndConditions(_ out: inout ChunkBuffers) {
        let p = profile
        for visit in visits {
            json.reset()
            json.raw("{\"resourceType\":\"Encounter\",\"id\":"); json.id(visit.id)
            json.raw(",\"status\":\"finished\",")
            json.raw(EncounterCodes.kinds[visit.kind.rawValue])
            json.raw(",\"subject\":"); json.reference("Patient/", p.id)
            json.raw(",\"participant\":[{\"type\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"PPRF\",\"display\":\"primary performer\"}]}],\"individual\":")
            json.reference("Practitioner/", directory.practitioners[visit.practitioner].id)
            json.raw("}],\"period\":{\"start\":"); json.dateTime(visit.start)
            json.raw(",\"end\":"); json.dateTime(visit.end); json.raw("}")
            switch visit.reason {
            case .routine: break
            case .copdExacerbation:
                json.raw(",\"reasonCode\":["); json.raw(ConditionCodes.exacerbation)
                json.raw("],\"reasonReference\":["); json.reference("Condition/", conditionID(.copd))
                json.raw(","); json.reference("Condition/", visit.exacerbationID!); json.raw("]")
            case .heartFailure:
                json.raw(",\"reasonCode\":["); json.raw(MiscReason.hfDecompensation)
                json.raw("],\"reasonReference\":["); json.reference("Condition/", conditionID(.heartFailure)); json.raw("]")
            case .other(let reason):
                json.raw(",\"reasonCode\":["); json.raw(MiscReason.concepts[reason]); json.raw("]")
            }
            json.raw(",\"serviceProvider\":"); json.reference("Organization/", directory.organizations[visit.organization].id)
            json.raw("}\n")
            out.append(.encounter, json)
        }
        for condition in ChronicCondition.allCases where p.ever(condition) {
            // The diagnosing visit: the first office visit on the onset day (always scheduled).
            guard let v = firstAmbulatoryVisit(onOrAfter: p.onset[condition.rawValue]) else { continue }
            let visit = visits[v]
            beginCondition(conditionID(condition), category: "\"problem-list-item\",\"display\":\"Problem List Item\"",
                           active: true)
            json.raw(ConditionCodes.fragment(condition, icdIndex: p.icdIndex[condition.rawValue],
                                             style: p.codingStyle[condition.rawValue]))
            endCondition(visit, abated: false)
            out.append(.condition, json)
        }
        for visit in visits where visit.reason == .copdExacerbation {
            beginCondition(visit.exacerbationID!, category: "\"encounter-diagnosis\",\"display\":\"Encounter Diagnosis\"",
                           active: false)
            json.raw(ConditionCodes.exacerbation)
            endCondition(visit, abated: true)
            out.append(.condition, json)
        }
    }

    private func beginCondition(_ id: ResourceID, category: StaticString, active: Bool) {
        json.reset()
        json.raw("{\"resourceType\":\"Condition\",\"id\":"); json.id(id)
        json.raw(",\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":")
        json.raw(active ? "\"active\"" : "\"resolved\"")
        json.raw("}]},\"verificationStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-ver-status\",\"code\":\"confirmed\"}]},\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-category\",\"code\":")
        json.raw(category)
        json.raw("}]}],\"code\":")
    }

    private func endCondition(_ visit: Visit, abated: Bool) {
        json.raw(",\"subject\":"); json.reference("Patient/", profile.id)
        json.raw(",\"encounter\":"); json.reference("Encounter/", visit.id)
        json.raw(",\"onsetDateTime\":"); json.dateTime(visit.start)
        if abated { json.raw(",\"abatementDateTime\":"); json.dateTime(visit.end) }
        json.raw(",\"recordedDate\":"); json.dateTime(visit.start)
        json.raw("}\n")
    }
}
