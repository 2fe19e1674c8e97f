import StratumStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The simulated period, as day numbers (days since 1970-01-01).
struct SynthPeriod: Sendable {
    let startDay: Int
    /// The last day of the period (inclusive).
    let endDay: Int

    init(startYear: Int, endYear: Int) {
        startDay = CivilDate.days(year: startYear, month: 1, day: 1)
        endDay = CivilDate.days(year: endYear, month: 12, day: 31)
    }

    var years: Double { Double(endDay - startDay + 1) / 365.25 }
}

enum Sex: Int { case female, male, unknown }
enum Smoking: Int { case never = 0, former = 1, current = 2 }

/// Everything latent about one patient: demographics, risk factors, which conditions they have
/// and when, when they leave the data (death, moving away, end of period), and the parameters of
/// their lab trajectories and behaviour. Drawn once; the timeline is then simulated from it.
struct PatientProfile {
    var index = 0
    /// Key of the patient's id stream (resource ids are hashes of key, kind and a counter).
    var key: UInt64 = 0
    var id = ResourceID(hi: 0, lo: 0)
    var sex = Sex.female
    var birthDay = 0
    /// Index into `Demographics.races`, or nil when race was not recorded.
    var race: Int?
    /// Hispanic or Latino; nil when ethnicity was not recorded.
    var hispanic: Bool?
    var given = 0, family = 0, street = 0, houseNumber = 1
    var pcp = 0
    var smoking = Smoking.never
    /// Day a current smoker quits (Int.max: never within the period).
    var quitDay = Int.max
    var bmiBase = 27.0, bmiDrift = 0.0
    var enrollDay = 0, firstVisitDay = 0
    /// First day with no data: end of period + 1, death day, or the day the patient moved away.
    var exitDay = 0
    var deathDay: Int?
    var transferDay: Int?
    /// Day each chronic condition is recorded (Int.max: not within the patient's data).
    var onset = [Int](repeating: .max, count: 4)
    var prevalent = [Bool](repeating: false, count: 4)
    var icdIndex = [Int](repeating: 0, count: 4)
    var codingStyle = [ConditionCodes.Style](repeating: .both, count: 4)
    /// 0 adherent, 1 intermediate, 2 poor (see docs/SYNTH.md, adherence model).
    var adherenceClass = 0
    var a1cBase = 0.0, a1cSlope = 0.0, metforminEffect = 0.0, a1cNormal = 0.0
    var sbpBase = 0.0, sbpHypertensive = 0.0, bpEffect = 0.0
    var ldlBase = 0.0, hdl = 0.0, triglycerides = 0.0
    var egfrBase = 0.0, egfrSlope = 0.0
    var uacrBase = 0.0
    /// Yearly rates of COPD exacerbations, heart-failure decompensations and other ED visits.
    var copdRate = 0.0, hfRate = 0.0, miscRate = 0.0
    /// The planted phenotype (0-based), when the archive plants them.
    var phenotype: Int?

    func age(_ day: Int) -> Double { Double(day - birthDay) / 365.25 }
    func has(_ condition: ChronicCondition, on day: Int) -> Bool { onset[condition.rawValue] <= day }
    func ever(_ condition: ChronicCondition) -> Bool { onset[condition.rawValue] != .max }
    func smokingStatus(on day: Int) -> Smoking { smoking == .current && day >= quitDay ? .former : smoking }
}

/// US Core race and ethnicity categories (OMB, urn:oid:2.16.840.1.113883.6.238).
enum Demographics {
    static let races: [(code: String, display: String, weight: Double)] = [
        ("2106-3", "White", 0.61), ("2054-5", "Black or African American", 0.13), ("2028-9", "Asian", 0.06),
        ("1002-5", "American Indian or Alaska Native", 0.01),
        ("2076-8", "Native Hawaiian or Other Pacific Islander", 0.005), ("2131-1", "Other Race", 0.10),
    ]
    static let black = 1, asian = 2
    /// Age at the start of the period: adult-skewed, as in a primary-care population.
    static let ageBands: [(low: Double, high: Double, weight: Double)] = [
        (0, 18, 0.08), (18, 30, 0.12), (30, 40, 0.13), (40, 50, 0.15), (50, 60, 0.18),
        (60, 70, 0.17), (70, 80, 0.11), (80, 95, 0.06),
    ]
}

/// Draws a `PatientProfile`. The equations and constants are documented in docs/SYNTH.md; the
/// intercepts were calibrated so the share of adults with each condition recorded in the data
/// is near the planted target (T2D 11%, hypertension 30%, heart failure 3%, COPD 5%).
enum PatientModel {
    static let stream: UInt64 = 0x50_4154_4945_4e54 // "PATIENT"

    static func draw(index: Int, seed: UInt64, period: SynthPeriod, directory: Directory,
                     into p: inout PatientProfile, _ rng: inout Xoshiro256) {
        p.index = index
        p.key = streamKey(seed: seed, stream: stream ^ 0xff, index: UInt64(index))
        p.id = ResourceID(key: p.key, kind: 0, counter: 0)
        let sexDraw = rng.uniform()
        p.sex = sexDraw < 0.515 ? .female : sexDraw < 0.998 ? .male : .unknown
        let band = Demographics.ageBands[rng.pick(Demographics.ageBands.map(\.weight))]
        let age0 = rng.uniform(band.low, band.high)
        p.birthDay = period.startDay - Int(age0 * 365.25)
        let raceDraw = rng.uniform()
        p.race = raceDraw < 0.085 ? nil : rng.pick(Demographics.races.map(\.weight))
        let ethnicityDraw = rng.uniform()
        p.hispanic = ethnicityDraw < 0.05 ? nil : ethnicityDraw < 0.23
        p.family = rng.index(Names.family.count)
        p.given = rng.index(p.sex == .male ? Names.maleGiven.count : Names.femaleGiven.count)
        p.street = rng.index(Names.streets.count)
        p.houseNumber = rng.int(1...9999)
        p.pcp = directory.pickPCP(&rng)

        // Enrollment: most patients are in the practice when the period starts; the rest join
        // during it. Moving away is a constant 3%/year hazard (censoring, not death).
        p.enrollDay = rng.chance(0.65) ? period.startDay : rng.int(period.startDay...(period.endDay - 120))
        p.firstVisitDay = p.enrollDay + rng.int(0...60)
        let move = p.enrollDay + Int(rng.exponential(mean: 365.25 / 0.03))
        p.transferDay = move <= period.endDay ? move : nil

        let adult = age0 >= 18
        let ageMid = age0 + period.years / 2
        let male = p.sex == .male ? 1.0 : 0.0
        let black = p.race == Demographics.black ? 1.0 : 0.0
        let asian = p.race == Demographics.asian ? 1.0 : 0.0
        let hispanic = p.hispanic == true ? 1.0 : 0.0

        // Smoking (adults): current 16% under 65, 9% over; former rises with age.
        let smokeDraw = rng.uniform()
        let current = ageMid < 65 ? 0.16 : 0.09, former = min(0.40, 0.12 + 0.004 * (ageMid - 18))
        p.smoking = !adult ? .never : smokeDraw < current ? .current : smokeDraw < current + former ? .former : .never
        let quit = p.firstVisitDay + Int(rng.exponential(mean: 365.25 * 20))
        p.quitDay = p.smoking == .current && quit <= period.endDay ? quit : .max

        p.bmiBase = adult ? min(62, max(16.5, exp(rng.normal(log(28.3), 0.2)))) : rng.normal(20, 3, clip: 14, 30)
        p.bmiDrift = rng.normal(0.1, 0.2, clip: -0.4, 0.6)
        let bmi = p.bmiBase

        // Lifetime-in-period probabilities (logistic); the age effects flatten in the very old.
        let a = min(ageMid, 82)
        let smoker = p.smoking == .current ? 1.0 : 0.0, exSmoker = p.smoking == .former ? 1.0 : 0.0
        let pDiabetes = logistic(-3.05 + 0.045 * (a - 50) + 0.11 * (bmi - 28) + 0.45 * (black + hispanic) + 0.6 * asian + 0.1 * male)
        let hasDiabetes = adult && rng.chance(pDiabetes)
        let pHypertension = logistic(-1.8 + 0.065 * (a - 50) + 0.07 * (bmi - 28) + 0.6 * black + 0.15 * male
            + (hasDiabetes ? 0.6 : 0))
        let hasHypertension = adult && rng.chance(pHypertension)
        let pCOPD = ageMid < 35 ? 0 : logistic(-4.4 + 0.05 * (a - 55) + 2.3 * smoker + 1.6 * exSmoker)
        let hasCOPD = adult && rng.chance(pCOPD)
        let pHF = logistic(-4.8 + 0.08 * (a - 60) + 0.9 * (hasHypertension ? 1 : 0) + 0.7 * (hasDiabetes ? 1 : 0)
            + 0.6 * (hasCOPD ? 1 : 0) + 0.3 * smoker + 0.03 * (bmi - 28) + 0.2 * male)
        let hasHF = adult && rng.chance(pHF)

        // Prevalent conditions are recorded at the first visit; incident ones on a day in the period.
        let has = [hasDiabetes, hasHypertension, hasHF, hasCOPD]
        let prevalentShare = [0.75, 0.8, 0.65, 0.7]
        for c in 0..<4 {
            let isPrevalent = rng.chance(prevalentShare[c])
            let incident = rng.int(min(p.firstVisitDay + 1, period.endDay)...period.endDay)
            p.prevalent[c] = has[c] && isPrevalent
            p.onset[c] = !has[c] ? .max : isPrevalent ? p.firstVisitDay : incident
            let style = rng.uniform()
            p.codingStyle[c] = style < 0.85 ? .both : style < 0.95 ? .snomedOnly : .icdOnly
            p.icdIndex[c] = rng.index(ConditionCodes.icd[c].count)
        }

        drawLatentClinical(&p, age0: age0, &rng)
        drawDeath(&p, period: period, &rng)
        p.exitDay = min(period.endDay + 1, p.deathDay ?? .max, p.transferDay ?? .max)
        for c in 0..<4 where p.onset[c] >= p.exitDay {
            p.onset[c] = .max
            p.prevalent[c] = false
        }
        // E11.22 (diabetic CKD) only where the kidneys say so; E11.65 (hyperglycaemia) for high baselines.
        if p.ever(.diabetes) {
            p.icdIndex[0] = p.egfrBase < 60 ? 2 : p.a1cBase >= 9 ? 1 : 0
        }
    }

    private static func drawLatentClinical(_ p: inout PatientProfile, age0: Double, _ rng: inout Xoshiro256) {
        let female = p.sex == .female
        // Adherence class: younger patients are less often adherent.
        p.adherenceClass = rng.pick(age0 < 45 ? [0.45, 0.33, 0.22] : [0.58, 0.29, 0.13])
        // HbA1c: untreated level at diagnosis, yearly drift, and the full-adherence metformin effect.
        p.a1cBase = rng.normal(8.0, 1.3, clip: 6.5, 11.5)
        p.a1cSlope = rng.normal(0.12, 0.25, clip: -0.4, 0.8)
        p.metforminEffect = rng.normal(1.3, 0.45, clip: 0.3, 2.5)
        p.a1cNormal = rng.normal(5.35 + 0.025 * (p.bmiBase - 28) + 0.004 * (age0 - 50), 0.3, clip: 4.3, 6.2)
        // Blood pressure: normotensive level rises with age; hypertensives sit higher untreated.
        p.sbpBase = rng.normal(116 + 0.25 * (age0 - 45), 9, clip: 92, 136)
        p.sbpHypertensive = rng.normal(148, 11, clip: 134, 195)
        p.bpEffect = rng.normal(13, 5, clip: 3, 25)
        p.ldlBase = rng.normal(128, 32, clip: 55, 240)
        p.hdl = rng.normal(female ? 58 : 47, 12, clip: 22, 100)
        p.triglycerides = rng.normal(140, 55, clip: 50, 500)
        p.egfrBase = rng.normal(125 - 0.75 * max(age0, 18), 13, clip: 15, 130)
        p.egfrSlope = 0.8 + (p.ever(.diabetes) ? 1.2 : 0) + (p.ever(.hypertension) ? 0.6 : 0) + rng.normal(0, 0.4)
        p.uacrBase = exp(rng.normal(log(p.ever(.diabetes) ? 18 : 8), 1.0))
        p.copdRate = rng.gamma(shape: 1.5, scale: 0.45) * (p.smoking == .current ? 1.4 : 1)
        p.hfRate = rng.gamma(shape: 2, scale: 0.15)
        p.miscRate = age0 >= 18 ? 0.10 : 0.07
    }

    /// Death by a Gompertz hazard (about 0.4%/year at 50, 1.5% at 65, 9% at 85), multiplied by
    /// heart failure ×3, COPD ×2, diabetes ×1.5 and current smoking ×1.8, stepped a year at a time.
    private static func drawDeath(_ p: inout PatientProfile, period: SynthPeriod, _ rng: inout Xoshiro256) {
        let limit = min(period.endDay + 1, p.transferDay ?? .max)
        var day = p.enrollDay
        p.deathDay = nil
        while day < limit {
            let sliceEnd = min(day + 365, limit)
            let age = p.age(day)
            var hazard = age < 18 ? 0.0003 : exp(-10.2 + 0.088 * age)
            if p.has(.heartFailure, on: day) { hazard *= 3 }
            if p.has(.copd, on: day) { hazard *= 2 }
            if p.has(.diabetes, on: day) { hazard *= 1.5 }
            if p.smokingStatus(on: day) == .current { hazard *= 1.8 }
            if rng.chance(1 - exp(-hazard * Double(sliceEnd - day) / 365.25)) {
                p.deathDay = rng.int(day...(sliceEnd - 1))
                return
            }
            day = sliceEnd
        }
    }
}
