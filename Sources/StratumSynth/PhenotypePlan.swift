/// Planted phenotypes (`stratum synth --phenotypes N`): each adult falls into one of N groups,
/// drawn from a random stream of its own (so the rest of the archive is the same draw for draw),
/// whose body-mass index and systolic blood pressure sit at well-separated levels:
/// BMI 21 + 6.5·k kg/m² (sd 1.2) and untreated systolic pressure 108 + 14·k mmHg (sd 4; a
/// hypertensive patient's untreated level is 12 mmHg higher), k = 0…N−1. BMI is measured at most
/// adult check-ups and blood pressure at nearly every visit, so the means of both recover the
/// groups; treatment lowers a treated hypertensive's pressure by its usual effect.
enum PhenotypePlan {
    static let maxPhenotypes = 5
    static let stream: UInt64 = 0x5048_454e_4f54 // "PHENOT"

    static func plant(_ phenotypes: Int, index: Int, seed: UInt64, period: SynthPeriod, into p: inout PatientProfile) {
        p.phenotype = nil
        guard phenotypes > 0, p.age(period.startDay) >= 18 else { return }
        var rng = Xoshiro256(seed: seed, stream: stream, index: UInt64(index))
        let k = rng.index(phenotypes)
        p.phenotype = k
        p.bmiBase = rng.normal(21 + 6.5 * Double(k), 1.2, clip: 16.5, 62)
        p.bmiDrift = rng.normal(0, 0.1, clip: -0.3, 0.3)
        p.sbpBase = rng.normal(108 + 14 * Double(k), 4, clip: 90, 190)
        p.sbpHypertensive = p.sbpBase + 12
    }
}

extension ResourceID {
    /// The id as written in the archive (`8-4-4-4-12` lower-case hex).
    var uuidString: String {
        var json = JSONText(capacity: 40)
        json.id(self)
        return String(decoding: json.bytes.dropFirst().dropLast(), as: UTF8.self)
    }
}
