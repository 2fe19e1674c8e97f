/// Chronic therapy classes: a patient has at most one drug of each class at a time, and
/// coverage (for treatment effects and adherence) is tracked per class, as PQA's class-level
/// PDC does (switching lisinopril → losartan keeps RAS-antagonist coverage continuous).
enum Therapy: Int, CaseIterable, Sendable {
    case metformin, statin, rasAntagonist, betaBlocker
}

/// The drugs prescribed, as RxNorm semantic clinical drugs (SCD). Codes were checked against
/// eCQM value-set expansions (VSAC) and published FHIR examples; see docs/SYNTH.md.
enum Drug: Int, CaseIterable, Sendable {
    case metforminER500, metforminIR500
    case atorvastatin10, atorvastatin80, simvastatin20
    case lisinopril10, losartan50, losartan100
    case metoprololSuccinate25
    case prednisone20

    var coding: Coding {
        switch self {
        case .metforminER500: Coding(system: CodeSystem.rxnorm, code: "860975", display: "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet")
        case .metforminIR500: Coding(system: CodeSystem.rxnorm, code: "861007", display: "metformin hydrochloride 500 MG Oral Tablet")
        case .atorvastatin10: Coding(system: CodeSystem.rxnorm, code: "617312", display: "atorvastatin 10 MG Oral Tablet")
        case .atorvastatin80: Coding(system: CodeSystem.rxnorm, code: "259255", display: "atorvastatin 80 MG Oral Tablet")
        case .simvastatin20: Coding(system: CodeSystem.rxnorm, code: "312961", display: "simvastatin 20 MG Oral Tablet")
        case .lisinopril10: Coding(system: CodeSystem.rxnorm, code: "314076", display: "lisinopril 10 MG Oral Tablet")
        case .losartan50: Coding(system: CodeSystem.rxnorm, code: "979492", display: "losartan potassium 50 MG Oral Tablet")
        case .losartan100: Coding(system: CodeSystem.rxnorm, code: "979480", display: "losartan potassium 100 MG Oral Tablet")
        case .metoprololSuccinate25: Coding(system: CodeSystem.rxnorm, code: "866427", display: "24 HR metoprolol succinate 25 MG Extended Release Oral Tablet")
        case .prednisone20: Coding(system: CodeSystem.rxnorm, code: "312615", display: "predniSONE 20 MG Oral Tablet")
        }
    }

    var therapy: Therapy? {
        switch self {
        case .metforminER500, .metforminIR500: .metformin
        case .atorvastatin10, .atorvastatin80, .simvastatin20: .statin
        case .lisinopril10, .losartan50, .losartan100: .rasAntagonist
        case .metoprololSuccinate25: .betaBlocker
        case .prednisone20: nil
        }
    }

    /// Tablets a day (metformin 1,000 mg/day as two 500 mg tablets; prednisone 40 mg/day).
    var tabletsPerDay: Int {
        switch self {
        case .metforminER500, .metforminIR500, .prednisone20: 2
        default: 1
        }
    }

    /// Fractional LDL lowering at full adherence (moderate vs high intensity).
    var ldlReduction: Double {
        switch self {
        case .atorvastatin10: 0.37
        case .atorvastatin80: 0.50
        case .simvastatin20: 0.30
        default: 0
        }
    }

    /// `"dosageInstruction":[…]` body, pre-rendered per drug.
    static let dosage: [[UInt8]] = allCases.map { drug in
        var out = JSONText(capacity: 256)
        switch drug {
        case .metforminIR500: out.raw("[{\"text\":\"Take 1 tablet by mouth twice daily with meals\",\"timing\":{\"repeat\":{\"frequency\":2,\"period\":1,\"periodUnit\":\"d\"}}")
        case .metforminER500: out.raw("[{\"text\":\"Take 2 tablets by mouth once daily with the evening meal\",\"timing\":{\"repeat\":{\"frequency\":1,\"period\":1,\"periodUnit\":\"d\"}}")
        case .prednisone20: out.raw("[{\"text\":\"Take 2 tablets (40 mg) by mouth once daily for 5 days\",\"timing\":{\"repeat\":{\"frequency\":1,\"period\":1,\"periodUnit\":\"d\",\"boundsDuration\":{\"value\":5,\"unit\":\"d\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"d\"}}}")
        default: out.raw("[{\"text\":\"Take 1 tablet by mouth once daily\",\"timing\":{\"repeat\":{\"frequency\":1,\"period\":1,\"periodUnit\":\"d\"}}")
        }
        out.raw("}]")
        return out.bytes
    }

    /// `"medicationCodeableConcept":{…}` body, pre-rendered per drug.
    static let concepts: [[UInt8]] = allCases.map { Fragment.concept([$0.coding]) }
}
