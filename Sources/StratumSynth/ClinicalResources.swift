import StratumStore
/// Writes Observations (what is measured at each encounter) and the medication resources.
extension PatientSimulator {
    private enum Category {
        static let vitals: StaticString = "\"vital-signs\",\"display\":\"Vital Signs\""
        static let lab: StaticString = "\"laboratory\",\"display\":\"Laboratory\""
        static let social: StaticString = "\"social-history\",\"display\":\"Social History\""
    }

    /// Measurement schedule per encounter (see docs/SYNTH.md, "Observations").
    func writeObservations(_ out: inout ChunkBuffers) {
        let p = profile
        let never = Int.min / 2
        var lastA1c = never, lastEGFR = never, lastUACR = never, lastLipids = never
        let hplc = directory.organizations[directory.practitioners[p.pcp].organization].reportsHPLC
        let diligence = directory.practitioners[p.pcp].labDiligence
        let ckdEpiFrom = CivilDate.days(year: 2017, month: 1, day: 1)
        var smokingRecorded = false
        for visit in visits {
            let day = visit.day
            let age = p.age(day)
            let adult = age >= 18
            let vitalsAt = min(visit.end, visit.start + rng.int(3...12) * 60)
            let labsAt = min(visit.end, visit.start + rng.int(15...40) * 60)
            if adult ? (!visit.ambulatory || rng.chance(0.95)) : (age >= 3 && rng.chance(0.5)) {
                let (sbp, dbp) = bloodPressure(on: day)
                begin(Category.vitals, code: ObservationCodes.bpPanel, visit: visit, at: vitalsAt)
                json.raw(",\"component\":[{\"code\":"); json.raw(ObservationCodes.systolic)
                json.raw(",\"valueQuantity\":{\"value\":"); json.int(sbp); json.raw(ObservationCodes.mmHg)
                json.raw("},{\"code\":"); json.raw(ObservationCodes.diastolic)
                json.raw(",\"valueQuantity\":{\"value\":"); json.int(dbp); json.raw(ObservationCodes.mmHg)
                json.raw("}]}\n")
                out.append(.observation, json)
            }
            guard visit.ambulatory else {
                // Admissions for heart failure always check renal function.
                if visit.kind == .inpatient && visit.reason == .heartFailure {
                    quantity(Category.lab, code: day < ckdEpiFrom ? ObservationCodes.egfrMDRD : ObservationCodes.egfrCKDEPI,
                             visit: visit, at: labsAt, value: egfr(on: day), places: 0, unit: ObservationCodes.egfrUnit, &out)
                }
                continue
            }
            let checkUp = visit.kind == .checkUp
            if adult && rng.chance(checkUp ? 0.9 : 0.35) {
                quantity(Category.vitals, code: ObservationCodes.bmi, visit: visit, at: vitalsAt, value: bmi(on: day),
                         places: 1, unit: ObservationCodes.kgm2, &out)
            }
            if adult && (!smokingRecorded || (checkUp && rng.chance(0.8))) {
                smokingRecorded = true
                begin(Category.social, code: ObservationCodes.smoking, visit: visit, at: vitalsAt)
                json.raw(",\"valueCodeableConcept\":"); json.raw(ObservationCodes.smokingValues[p.smokingStatus(on: day).rawValue])
                json.raw("}\n")
                out.append(.observation, json)
            }
            let diabetic = p.has(.diabetes, on: day)
            let chronic = diabetic || p.has(.hypertension, on: day) || p.has(.heartFailure, on: day)
            // HbA1c: diabetics when ≥ 75 days since the last (diagnosis visit always; else the
            // physician's diligence); others occasionally screened at check-ups from age 35.
            let a1cDue = diabetic
                ? day == p.onset[0] || (day - lastA1c >= 75 && rng.chance(diligence))
                : checkUp && age >= 35 && rng.chance(p.ever(.diabetes) ? 0.3 : 0.12)
            if a1cDue {
                lastA1c = day
                quantity(Category.lab, code: hplc ? ObservationCodes.hba1cHPLC : ObservationCodes.hba1c, visit: visit,
                         at: labsAt, value: hba1c(on: day), places: 1, unit: ObservationCodes.percent, &out)
            }
            if day - lastEGFR >= 330 && (chronic ? rng.chance(0.8) : adult && age >= 40 && checkUp && rng.chance(0.3)) {
                lastEGFR = day
                quantity(Category.lab, code: day < ckdEpiFrom ? ObservationCodes.egfrMDRD : ObservationCodes.egfrCKDEPI,
                         visit: visit, at: labsAt, value: egfr(on: day), places: 0, unit: ObservationCodes.egfrUnit, &out)
            }
            if diabetic && day - lastUACR >= 330 && rng.chance(0.5) {
                lastUACR = day
                quantity(Category.lab, code: ObservationCodes.uacr, visit: visit, at: labsAt, value: uacr(on: day),
                         places: 1, unit: ObservationCodes.mgg, &out)
            }
            let onStatin = coverage[Therapy.statin.rawValue].first.map { $0.start <= day } ?? false
            let lipidsDue = (diabetic || p.has(.heartFailure, on: day) || onStatin)
                ? day - lastLipids >= 330 && rng.chance(0.6)
                : adult && age >= 40 && checkUp && day - lastLipids >= 3 * 365 && rng.chance(0.35)
            if lipidsDue {
                lastLipids = day
                let (ldl, hdl, total) = lipids(on: day)
                quantity(Category.lab, code: ObservationCodes.cholesterol, visit: visit, at: labsAt, value: Double(total),
                         places: 0, unit: ObservationCodes.mgdL, &out)
                quantity(Category.lab, code: ObservationCodes.hdl, visit: visit, at: labsAt, value: Double(hdl),
                         places: 0, unit: ObservationCodes.mgdL, &out)
                quantity(Category.lab, code: ObservationCodes.ldl, visit: visit, at: labsAt, value: Double(ldl),
                         places: 0, unit: ObservationCodes.mgdL, &out)
            }
        }
    }

    private func begin(_ category: StaticString, code: [UInt8], visit: Visit, at time: Int) {
        json.reset()
        json.raw("{\"resourceType\":\"Observation\",\"id\":")
        json.id(ResourceID(key: profile.key, kind: 3, counter: observationCounter))
        observationCounter += 1
        json.raw(",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":")
        json.raw(category)
        json.raw("}]}],\"code\":"); json.raw(code)
        json.raw(",\"subject\":"); json.reference("Patient/", profile.id)
        json.raw(",\"encounter\":"); json.reference("Encounter/", visit.id)
        json.raw(",\"effectiveDateTime\":"); json.dateTime(time)
    }

    private func quantity(_ category: StaticString, code: [UInt8], visit: Visit, at time: Int, value: Double,
                          places: Int, unit: [UInt8], _ out: inout ChunkBuffers) {
        begin(category, code: code, visit: visit, at: time)
        json.raw(",\"valueQuantity\":{\"value\":"); json.fixed(value, places: places); json.raw(unit)
        json.raw("}\n")
        out.append(.observation, json)
    }

    // MARK: Medications

    func writeMedications(_ out: inout ChunkBuffers) {
        let p = profile
        for rx in prescriptions {
            json.reset()
            json.raw("{\"resourceType\":\"MedicationRequest\",\"id\":"); json.id(rx.id)
            switch rx.status {
            case .active: json.raw(",\"status\":\"active\"")
            case .completed: json.raw(",\"status\":\"completed\"")
            case .stopped: json.raw(",\"status\":\"stopped\"")
            }
            json.raw(",\"intent\":\"order\",\"medicationCodeableConcept\":"); json.raw(Drug.concepts[rx.drug.rawValue])
            json.raw(",\"subject\":"); json.reference("Patient/", p.id)
            let requester: Int
            if let visit = rx.visit {
                json.raw(",\"encounter\":"); json.reference("Encounter/", visits[visit].id)
                requester = visits[visit].practitioner
            } else {
                requester = p.pcp
            }
            json.raw(",\"authoredOn\":"); json.dateTime(rx.authored)
            json.raw(",\"requester\":"); json.reference("Practitioner/", directory.practitioners[requester].id)
            if let exacerbation = rx.exacerbation {
                json.raw(",\"reasonReference\":["); json.reference("Condition/", exacerbation); json.raw("]")
            } else if let reason = rx.reason, p.ever(reason) {
                json.raw(",\"reasonReference\":["); json.reference("Condition/", conditionID(reason)); json.raw("]")
            }
            json.raw(",\"dosageInstruction\":"); json.raw(Drug.dosage[rx.drug.rawValue])
            json.raw(",\"dispenseRequest\":{\"numberOfRepeatsAllowed\":"); json.int(rx.repeats)
            json.raw(",\"quantity\":"); tablets(rx.supply * rx.drug.tabletsPerDay)
            json.raw(",\"expectedSupplyDuration\":{\"value\":"); json.int(rx.supply)
            json.raw(",\"unit\":\"days\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"d\"}}}\n")
            out.append(.medicationRequest, json)
        }
        for fill in dispenses {
            json.reset()
            json.raw("{\"resourceType\":\"MedicationDispense\",\"id\":"); json.id(fill.id)
            json.raw(",\"status\":\"completed\",\"medicationCodeableConcept\":"); json.raw(Drug.concepts[fill.drug.rawValue])
            json.raw(",\"subject\":"); json.reference("Patient/", p.id)
            json.raw(",\"authorizingPrescription\":["); json.reference("MedicationRequest/", prescriptions[fill.prescription].id)
            json.raw("],\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",")
            json.raw(fill.firstFill ? "\"code\":\"FF\",\"display\":\"First Fill\"}]}" : "\"code\":\"RF\",\"display\":\"Refill\"}]}")
            json.raw(",\"quantity\":"); tablets(fill.supply * fill.drug.tabletsPerDay)
            json.raw(",\"daysSupply\":{\"value\":"); json.int(fill.supply)
            json.raw(",\"unit\":\"d\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"d\"},\"whenHandedOver\":")
            json.dateTime(fill.handedOver)
            json.raw("}\n")
            out.append(.medicationDispense, json)
        }
    }

    private func tablets(_ count: Int) {
        json.raw("{\"value\":"); json.int(count)
        json.raw(",\"unit\":\"tablet\",\"system\":\"http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm\",\"code\":\"TAB\"}")
    }
}
