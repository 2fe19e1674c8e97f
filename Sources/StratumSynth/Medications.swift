#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A MedicationRequest of the timeline.
struct Prescription {
    enum Status { case active, completed, stopped }
    var id: ResourceID
    var drug: Drug
    /// Seconds since the epoch.
    var authored: Int
    /// The encounter it was written at (renewals are written without one, as phone refills are).
    var visit: Int?
    var supply: Int
    var repeats: Int
    var status: Status
    /// The Condition the request cites (nil for primary prevention).
    var reason: ChronicCondition?
    /// For a corticosteroid burst: the exacerbation it treats.
    var exacerbation: ResourceID?
}

/// A MedicationDispense of the timeline.
struct Dispense {
    var id: ResourceID
    var drug: Drug
    var prescription: Int
    /// Seconds since the epoch.
    var handedOver: Int
    var supply: Int
    var firstFill: Bool
}

/// Prescribing and the pharmacy fill process (the adherence model of docs/SYNTH.md).
extension PatientSimulator {
    func prescribe() {
        let p = profile
        let pcp = directory.practitioners[p.pcp]
        func onset(_ c: ChronicCondition) -> Int { p.onset[c.rawValue] }

        // Metformin at diagnosis (85%), unless the kidneys rule it out (eGFR < 30).
        let dmOnset = onset(.diabetes)
        if dmOnset != .max, let visit = firstAmbulatoryVisit(onOrAfter: dmOnset),
           egfr(on: visits[visit].day, noise: false) >= 30, rng.chance(0.85) {
            startTherapy(rng.chance(0.4) ? .metforminER500 : .metforminIR500, visit: visit, reason: .diabetes)
        }

        // Statins: the first indication (in time) that the physician acts on.
        var statinIndications: [(day: Int, probability: Double, reason: ChronicCondition?)] = []
        if dmOnset != .max, (40...75).contains(p.age(dmOnset)) { statinIndications.append((dmOnset, 0.7, .diabetes)) }
        if onset(.heartFailure) != .max { statinIndications.append((onset(.heartFailure), 0.6, .heartFailure)) }
        if onset(.hypertension) != .max, p.age(onset(.hypertension)) >= 50 {
            statinIndications.append((onset(.hypertension), 0.35, .hypertension))
        }
        // Primary prevention for a high LDL (no hyperlipidaemia Condition is planted, so no reason).
        if p.firstVisitDay < p.exitDay, p.age(p.firstVisitDay) >= 55, p.ldlBase >= 160 {
            statinIndications.append((p.firstVisitDay, 0.5, nil))
        }
        statinIndications.sort { $0.day < $1.day }
        for indication in statinIndications where rng.chance(indication.probability * pcp.statinPropensity) {
            if let visit = firstAmbulatoryVisit(onOrAfter: indication.day) {
                let drug: [Drug] = [.atorvastatin10, .atorvastatin80, .simvastatin20]
                startTherapy(drug[rng.pick([0.4, 0.25, 0.35])], visit: visit, reason: indication.reason)
            }
            break
        }

        // RAS antagonists for hypertension (80%, 90% with diabetes) or heart failure (85%).
        var rasIndications: [(day: Int, probability: Double, reason: ChronicCondition)] = []
        if onset(.hypertension) != .max {
            rasIndications.append((onset(.hypertension), p.has(.diabetes, on: onset(.hypertension)) ? 0.9 : 0.8, .hypertension))
        }
        if onset(.heartFailure) != .max { rasIndications.append((onset(.heartFailure), 0.85, .heartFailure)) }
        rasIndications.sort { $0.day < $1.day }
        for indication in rasIndications where rng.chance(indication.probability) {
            if let visit = firstAmbulatoryVisit(onOrAfter: indication.day) {
                let drug: [Drug] = [.lisinopril10, .losartan50, .losartan100]
                startTherapy(drug[rng.pick([0.6, 0.3, 0.1])], visit: visit, reason: indication.reason)
            }
            break
        }

        // Beta blocker for heart failure (75%).
        if onset(.heartFailure) != .max, let visit = firstAmbulatoryVisit(onOrAfter: onset(.heartFailure)), rng.chance(0.75) {
            startTherapy(.metoprololSuccinate25, visit: visit, reason: .heartFailure)
        }

        // A 5-day prednisone burst for each COPD exacerbation, dispensed at discharge (95%).
        for (i, visit) in visits.enumerated() where visit.reason == .copdExacerbation {
            let rx = addPrescription(.prednisone20, authored: min(visit.end, visit.start + rng.int(1800...5400)),
                                     visit: i, supply: 5, reason: .copd)
            prescriptions[rx].status = .completed
            prescriptions[rx].repeats = 0
            prescriptions[rx].exacerbation = visit.exacerbationID
            // Dispensed at discharge, but never on or after the exit day (death is on the exit day).
            let handedOver = min(visit.end + rng.int(1200...3600), profile.exitDay * 86_400 - 60)
            if rng.chance(0.95) { addDispense(rx, at: handedOver, supply: 5, firstFill: true) }
        }
    }

    /// Adds a request; returns its index.
    private func addPrescription(_ drug: Drug, authored: Int, visit: Int?, supply: Int, reason: ChronicCondition?) -> Int {
        prescriptions.append(Prescription(
            id: ResourceID(key: profile.key, kind: 4, counter: prescriptions.count), drug: drug, authored: authored,
            visit: visit, supply: supply, repeats: supply >= 90 ? 3 : 11, status: .active, reason: reason))
        return prescriptions.count - 1
    }

    private func addDispense(_ prescription: Int, at time: Int, supply: Int, firstFill: Bool) {
        // A same-day fill is handed over at least half an hour after the prescription is written.
        let time = max(time, prescriptions[prescription].authored + 1800)
        dispenses.append(Dispense(
            id: ResourceID(key: profile.key, kind: 5, counter: dispenses.count), drug: prescriptions[prescription].drug,
            prescription: prescription, handedOver: time, supply: supply, firstFill: firstFill))
    }

    /// The patient × drug adherence propensity: Beta by the patient's adherence class
    /// (adherent Beta(18, 1.5), mean 0.92; intermediate Beta(6, 4), 0.60; poor Beta(2.5, 5), 0.33).
    private func propensity() -> Double {
        switch profile.adherenceClass {
        case 0: rng.beta(18, 1.5)
        case 1: rng.beta(6, 4)
        default: rng.beta(2.5, 5)
        }
    }

    /// Simulates one chronic therapy from the visit it starts at until discontinuation or exit.
    ///
    /// With propensity q: supply is 90 days with probability 0.25 + 0.35q (else 30); the first
    /// fill is never collected with probability 0.02 + 0.12(1 − q) (primary non-adherence);
    /// each refill is on time with probability q (0.15·supply early to 0.05·supply late) or late
    /// by 1 + Exp(mean 10 + 60(1 − q)) days; after each fill the patient stops with probability
    /// 1 − exp(−h·supply/365), h = 0.04 + 0.5(1 − q)², and a stopped therapy restarts (35%) at
    /// the first office visit 60–365 days after the supply runs out. Prescriptions are renewed
    /// yearly or when their refills are used (a lisinopril user switches to losartan at renewal
    /// with probability 0.08, ACE-inhibitor cough; the supply length flips with probability 0.1).
    private func startTherapy(_ first: Drug, visit: Int, reason: ChronicCondition?) {
        guard let therapy = first.therapy else { return }
        let q = propensity()
        let exit = profile.exitDay
        var drug = first
        var supply = rng.chance(0.25 + 0.35 * q) ? 90 : 30
        var rx = addPrescription(drug, authored: visits[visit].end - 300, visit: visit, supply: supply, reason: reason)
        defer { finalizeStatus(rx) }
        if rng.chance(0.02 + 0.12 * (1 - q)) { return }
        let hazard = 0.04 + 0.5 * (1 - q) * (1 - q)
        var day = visits[visit].day + (rng.chance(0.85) ? rng.int(0...3) : rng.int(4...20))
        var fillsOnRx = 0
        var coveredUntil = Int.min
        while day < exit {
            if fillsOnRx > prescriptions[rx].repeats || day - prescriptions[rx].authored / 86_400 >= 365 {
                prescriptions[rx].status = .completed
                if drug == .lisinopril10 && rng.chance(0.08) {
                    drug = .losartan50
                    prescriptions[rx].status = .stopped
                }
                if rng.chance(0.1) { supply = supply == 30 ? 90 : 30 }
                rx = addPrescription(drug, authored: (day - rng.int(0...3)) * 86_400 + 14 * 3600 + rng.int(0...28_800),
                                     visit: nil, supply: supply, reason: reason)
                fillsOnRx = 0
            }
            addDispense(rx, at: day * 86_400 + 14 * 3600 + rng.int(0...32_399), supply: supply, firstFill: fillsOnRx == 0)
            let start = max(day, coveredUntil)
            coveredUntil = start + supply
            coverage[therapy.rawValue].append((start, coveredUntil))
            fillsOnRx += 1
            if rng.chance(1 - exp(-hazard * Double(supply) / 365.25)) {
                prescriptions[rx].status = .stopped
                guard rng.chance(0.35), let restart = firstAmbulatoryVisit(onOrAfter: coveredUntil + rng.int(60...365)) else {
                    return
                }
                rx = addPrescription(drug, authored: visits[restart].end - 300, visit: restart, supply: supply, reason: reason)
                fillsOnRx = 0
                day = visits[restart].day + rng.int(0...3)
                continue
            }
            let gap = rng.chance(q)
                ? rng.int(-(supply * 15 / 100)...(supply * 5 / 100))
                : 1 + Int(rng.exponential(mean: 10 + 60 * (1 - q)))
            day += supply + gap
        }
    }

    /// The last request of a therapy is active if it was still valid when the data end
    /// (a year from authoring), completed otherwise; stopped stays stopped.
    private func finalizeStatus(_ rx: Int) {
        guard prescriptions[rx].status == .active else { return }
        let lastDay = min(profile.exitDay - 1, period.endDay)
        if lastDay - prescriptions[rx].authored / 86_400 >= 365 { prescriptions[rx].status = .completed }
    }
}
