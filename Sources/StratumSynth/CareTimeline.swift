import StratumStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum VisitKind: Int { case checkUp = 0, followUp, emergency, inpatient }

enum VisitReason: Equatable {
    case routine
    case copdExacerbation
    case heartFailure
    /// Index into `MiscReason.concepts`.
    case other(Int)
}

/// One encounter of the timeline.
struct Visit {
    var kind: VisitKind
    var day: Int
    /// Seconds since the epoch.
    var start: Int
    var end: Int
    var practitioner: Int
    var organization: Int
    var reason: VisitReason
    var id = ResourceID(hi: 0, lo: 0)
    /// The encounter-diagnosis Condition of a COPD exacerbation.
    var exacerbationID: ResourceID?

    var ambulatory: Bool { kind == .checkUp || kind == .followUp }
}

/// Simulates one patient at a time: encounters, prescriptions and fills, then writes the
/// patient's resources. Its arrays are reused across patients so that generation allocates
/// almost nothing per patient.
final class PatientSimulator {
    let period: SynthPeriod
    let directory: Directory
    var profile = PatientProfile()
    var rng = Xoshiro256(seed: 0)
    var visits: [Visit] = []
    var prescriptions: [Prescription] = []
    var dispenses: [Dispense] = []
    /// Per therapy class: covered day intervals [start, end), refills shifted to follow the
    /// supply on hand (the PQA convention), so they never overlap.
    var coverage = [[(start: Int, end: Int)]](repeating: [], count: Therapy.allCases.count)
    var json = JSONText()
    var observationCounter = 0

    init(period: SynthPeriod, directory: Directory) {
        self.period = period
        self.directory = directory
    }

    /// Simulates patient `index` and writes its resources into `out`.
    func run(index: Int, seed: UInt64, phenotypes: Int = 0, recordFills: Bool = false, into out: inout ChunkBuffers) {
        rng = Xoshiro256(seed: seed, stream: PatientModel.stream, index: UInt64(index))
        PatientModel.draw(index: index, seed: seed, period: period, directory: directory, into: &profile, &rng)
        PhenotypePlan.plant(phenotypes, index: index, seed: seed, period: period, into: &profile)
        visits.removeAll(keepingCapacity: true)
        prescriptions.removeAll(keepingCapacity: true)
        dispenses.removeAll(keepingCapacity: true)
        for t in coverage.indices { coverage[t].removeAll(keepingCapacity: true) }
        observationCounter = 0
        scheduleAmbulatory()
        scheduleAcute()
        visits.sort { $0.start < $1.start }
        for i in visits.indices {
            visits[i].id = ResourceID(key: profile.key, kind: 1, counter: i)
            if visits[i].reason == .copdExacerbation {
                visits[i].exacerbationID = ResourceID(key: profile.key, kind: 2, counter: 4 + i)
            }
        }
        prescribe()
        out.summary.record(profile, adultAt: period.startDay)
        if recordFills {
            out.summary.plantedFills[profile.id.uuidString] = dispenses.map {
                PlantedFill(rxnorm: "\($0.drug.coding.code)", day: $0.handedOver / 86_400, daysSupply: $0.supply)
            }
        }
        writePatient(&out)
        writeEncountersAndConditions(&out)
        writeObservations(&out)
        writeMedications(&out)
    }

    // MARK: Encounters

    /// Office visits: a renewal process whose spacing follows the patient's disease burden
    /// (diabetes or heart failure every 75–180 days, hypertension or COPD every 120–270, others
    /// every 200–500 with an occasional skipped year), plus a visit on each incident diagnosis day.
    private func scheduleAmbulatory() {
        let p = profile
        var day = p.firstVisitDay
        var lastCheckUpYear = Int.min
        while day < p.exitDay {
            let year = CivilDate.civil(days: day).year
            let kind: VisitKind = year != lastCheckUpYear ? .checkUp : .followUp
            if kind == .checkUp { lastCheckUpYear = year }
            let start = day * 86_400 + 13 * 3600 + rng.int(0...31) * 900
            visits.append(Visit(kind: kind, day: day, start: start, end: start + rng.int(15...45) * 60,
                                practitioner: p.pcp, organization: directory.practitioners[p.pcp].organization,
                                reason: .routine))
            var interval: Int
            if p.has(.diabetes, on: day) || p.has(.heartFailure, on: day) {
                interval = rng.int(75...180)
            } else if p.has(.hypertension, on: day) || p.has(.copd, on: day) {
                interval = rng.int(120...270)
            } else {
                interval = rng.int(200...500) + (rng.chance(0.1) ? 365 : 0)
            }
            var next = day + interval
            for c in 0..<4 where !p.prevalent[c] && p.onset[c] > day && p.onset[c] < next { next = p.onset[c] }
            day = next
        }
    }

    /// Emergency and inpatient encounters as Poisson processes: COPD exacerbations after COPD
    /// onset (patient rate, mean 0.68/year, ×1.4 in current smokers; 60% ED, 40% admitted),
    /// heart-failure decompensations after HF onset (mean 0.3/year; 75% admitted), and
    /// unrelated ED visits (0.10/year adults, 0.07 children; 8% admitted).
    private func scheduleAcute() {
        let p = profile
        // `reason` nil: an unrelated ED visit, whose reason is drawn per visit.
        func process(from start: Int, rate: Double, reason: VisitReason?, admitShare: Double) {
            guard start < p.exitDay, rate > 0 else { return }
            var day = Double(start)
            while true {
                day += rng.exponential(mean: 365.25 / rate)
                let d = Int(day)
                if d >= p.exitDay { return }
                let inpatient = rng.chance(admitShare)
                let actual = reason ?? .other(rng.index(MiscReason.concepts.count))
                let startSecond = d * 86_400 + 13 * 3600 + rng.int(0...39_599)
                var end = inpatient
                    ? startSecond + rng.int(actual == .heartFailure ? 3...8 : 2...7) * 86_400 + rng.int(-3 * 3600...3 * 3600)
                    : startSecond + rng.int(2 * 3600...8 * 3600)
                // No event may outlast the data: an admission that would run past exit ends the day before.
                end = min(end, p.exitDay * 86_400 - 3600)
                if end <= startSecond { return }
                let practitioner = directory.hospitalPhysician(forPCP: p.pcp, inpatient: inpatient, &rng)
                visits.append(Visit(kind: inpatient ? .inpatient : .emergency, day: d, start: startSecond, end: end,
                                    practitioner: practitioner,
                                    organization: directory.practitioners[practitioner].organization, reason: actual))
            }
        }
        let first = max(p.firstVisitDay, p.enrollDay)
        process(from: p.onset[ChronicCondition.copd.rawValue], rate: p.copdRate, reason: .copdExacerbation, admitShare: 0.4)
        process(from: p.onset[ChronicCondition.heartFailure.rawValue], rate: p.hfRate, reason: .heartFailure, admitShare: 0.75)
        process(from: first, rate: p.miscRate, reason: nil, admitShare: 0.08)
    }

    /// The index of the first office visit on or after `day`, if any.
    func firstAmbulatoryVisit(onOrAfter day: Int) -> Int? {
        visits.firstIndex { $0.ambulatory && $0.day >= day }
    }

    // MARK: Latent values

    /// Fraction of the `days` days before `day` covered by the therapy's supply.
    func coveredFraction(_ therapy: Therapy, before day: Int, days: Int) -> Double {
        let from = day - days
        var covered = 0
        for interval in coverage[therapy.rawValue] where interval.end > from && interval.start < day {
            covered += min(interval.end, day) - max(interval.start, from)
        }
        return Double(covered) / Double(days)
    }

    /// HbA1c (%): for diabetics, the untreated level at diagnosis plus a yearly drift, less the
    /// metformin effect scaled by the share of the last 90 days covered, plus assay noise.
    func hba1c(on day: Int) -> Double {
        let p = profile
        let onset = p.onset[ChronicCondition.diabetes.rawValue]
        if day >= onset {
            let years = Double(day - onset) / 365.25
            var value = p.a1cBase + p.a1cSlope * years
                - p.metforminEffect * coveredFraction(.metformin, before: day, days: 90) + rng.normal(0, 0.3)
            if day == onset { value = max(value, 6.5) } // the diagnostic test
            return min(14.8, max(5.0, value))
        }
        if onset != .max { return min(6.4, max(5.7, p.a1cNormal + 0.6 + rng.normal(0, 0.15))) } // prediabetes
        return min(6.4, max(4.3, p.a1cNormal + rng.normal(0, 0.15)))
    }

    /// Systolic and diastolic pressure (mm[Hg]).
    func bloodPressure(on day: Int) -> (Int, Int) {
        let p = profile
        let htnOnset = p.onset[ChronicCondition.hypertension.rawValue]
        var sbp = day >= htnOnset ? p.sbpHypertensive
            : htnOnset != .max ? min(139, (p.sbpBase + p.sbpHypertensive) / 2) : p.sbpBase
        sbp += 0.3 * Double(day - period.startDay) / 365.25
        sbp -= p.bpEffect * coveredFraction(.rasAntagonist, before: day, days: 30)
        sbp -= 5 * coveredFraction(.betaBlocker, before: day, days: 30)
        sbp = min(220, max(80, sbp + rng.normal(0, 7)))
        let dbp = min(130, max(40, 0.45 * sbp + 20 + rng.normal(0, 5)))
        return (Int(sbp.rounded()), Int(dbp.rounded()))
    }

    func bmi(on day: Int) -> Double {
        let years = Double(day - period.startDay) / 365.25
        return min(70, max(14, profile.bmiBase + profile.bmiDrift * years + rng.normal(0, 0.4)))
    }

    func egfr(on day: Int, noise: Bool = true) -> Double {
        let p = profile
        let years = Double(day - period.startDay) / 365.25
        let hf = p.has(.heartFailure, on: day) ? 8.0 : 0
        return min(140, max(5, p.egfrBase - p.egfrSlope * years - hf + (noise ? rng.normal(0, 4) : 0)))
    }

    func uacr(on day: Int) -> Double {
        let years = Double(day - period.startDay) / 365.25
        return min(3000, max(1, profile.uacrBase * pow(1.03, years) * exp(rng.normal(0, 0.3))))
    }

    /// LDL, HDL and total cholesterol (mg/dL); statins lower LDL by the drug's intensity × coverage.
    func lipids(on day: Int) -> (ldl: Int, hdl: Int, total: Int) {
        let p = profile
        // The statin in use is the one of the latest statin prescription written before the day.
        var latest: Prescription?
        for rx in prescriptions where rx.drug.therapy == .statin && rx.authored < (day + 1) * 86_400 {
            if latest.map({ rx.authored > $0.authored }) ?? true { latest = rx }
        }
        let reduction = (latest?.drug.ldlReduction ?? 0) * coveredFraction(.statin, before: day, days: 90)
        let ldl = min(300, max(30, p.ldlBase * (1 - reduction) + rng.normal(0, 8)))
        let hdl = min(110, max(18, p.hdl + rng.normal(0, 4)))
        let total = ldl + hdl + p.triglycerides / 5 + rng.normal(0, 5)
        return (Int(ldl.rounded()), Int(hdl.rounded()), Int(total.rounded()))
    }
}
