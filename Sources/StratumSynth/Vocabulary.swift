/// Code systems, as FHIR R4 names them.
enum CodeSystem {
    static let snomed: StaticString = "http://snomed.info/sct"
    static let loinc: StaticString = "http://loinc.org"
    static let rxnorm: StaticString = "http://www.nlm.nih.gov/research/umls/rxnorm"
    static let icd10cm: StaticString = "http://hl7.org/fhir/sid/icd-10-cm"
    static let ucum: StaticString = "http://unitsofmeasure.org"
}

/// One coding of a concept.
struct Coding: Sendable {
    let system: StaticString
    let code: StaticString
    let display: StaticString
}

/// Pre-renders JSON fragments once, so the hot path copies bytes instead of formatting.
enum Fragment {
    static func coding(_ coding: Coding) -> [UInt8] {
        var out = JSONText(capacity: 256)
        out.raw("{\"system\":\""); out.raw(coding.system)
        out.raw("\",\"code\":\""); out.raw(coding.code)
        out.raw("\",\"display\":\""); out.raw(coding.display); out.raw("\"}")
        return out.bytes
    }

    /// A CodeableConcept: `{"coding":[…],"text":"…"}`.
    static func concept(_ codings: [Coding], text: StaticString? = nil) -> [UInt8] {
        var out = JSONText(capacity: 512)
        out.raw("{\"coding\":[")
        for (i, item) in codings.enumerated() {
            if i > 0 { out.raw(",") }
            out.raw(Fragment.coding(item))
        }
        out.raw("]")
        if let text { out.raw(",\"text\":\""); out.raw(text); out.raw("\"") }
        out.raw("}")
        return out.bytes
    }

    /// The tail of a valueQuantity after the number: `,"unit":…,"system":UCUM,"code":…}`.
    static func ucumTail(_ unit: StaticString) -> [UInt8] {
        var out = JSONText(capacity: 128)
        out.raw(",\"unit\":\""); out.raw(unit)
        out.raw("\",\"system\":\"http://unitsofmeasure.org\",\"code\":\""); out.raw(unit); out.raw("\"}")
        return out.bytes
    }
}

/// The chronic conditions the model plants (index into per-patient arrays).
enum ChronicCondition: Int, CaseIterable, Sendable {
    case diabetes, hypertension, heartFailure, copd

    /// SNOMED CT first, ICD-10-CM alternatives (the ICD code is chosen per patient).
    var snomed: Coding {
        switch self {
        case .diabetes: Coding(system: CodeSystem.snomed, code: "44054006", display: "Diabetes mellitus type 2 (disorder)")
        case .hypertension: Coding(system: CodeSystem.snomed, code: "59621000", display: "Essential hypertension (disorder)")
        case .heartFailure: Coding(system: CodeSystem.snomed, code: "88805009", display: "Chronic congestive heart failure (disorder)")
        case .copd: Coding(system: CodeSystem.snomed, code: "13645005", display: "Chronic obstructive lung disease (disorder)")
        }
    }
}

/// Condition codings, pre-rendered per (condition, variant). Variant picks the SNOMED code
/// (heart failure has two) and the ICD-10-CM code; the coding style says which codings appear.
enum ConditionCodes {
    static let heartFailureAlt = Coding(system: CodeSystem.snomed, code: "84114007", display: "Heart failure (disorder)")
    static let icd: [[Coding]] = [
        [Coding(system: CodeSystem.icd10cm, code: "E11.9", display: "Type 2 diabetes mellitus without complications"),
         Coding(system: CodeSystem.icd10cm, code: "E11.65", display: "Type 2 diabetes mellitus with hyperglycemia"),
         Coding(system: CodeSystem.icd10cm, code: "E11.22", display: "Type 2 diabetes mellitus with diabetic chronic kidney disease")],
        [Coding(system: CodeSystem.icd10cm, code: "I10", display: "Essential (primary) hypertension")],
        [Coding(system: CodeSystem.icd10cm, code: "I50.9", display: "Heart failure, unspecified"),
         Coding(system: CodeSystem.icd10cm, code: "I50.22", display: "Chronic systolic (congestive) heart failure")],
        [Coding(system: CodeSystem.icd10cm, code: "J44.9", display: "Chronic obstructive pulmonary disease, unspecified")],
    ]
    static let exacerbationSnomed = Coding(system: CodeSystem.snomed, code: "195951007",
                                           display: "Acute exacerbation of chronic obstructive airways disease (disorder)")
    static let exacerbationICD = Coding(system: CodeSystem.icd10cm, code: "J44.1",
                                        display: "Chronic obstructive pulmonary disease with (acute) exacerbation")

    /// How a Condition is coded: both systems (85%), SNOMED CT only (10%), ICD-10-CM only (5%),
    /// as in a mixed EHR/claims feed; value sets that list only one system miss some patients.
    enum Style: Int { case both = 0, snomedOnly = 1, icdOnly = 2 }

    /// `"code":{…}` for a condition, the ICD alternative index, and the coding style.
    static func fragment(_ condition: ChronicCondition, icdIndex: Int, style: Style) -> [UInt8] {
        table[condition.rawValue][icdIndex][style.rawValue]
    }

    private static let table: [[[[UInt8]]]] = ChronicCondition.allCases.map { condition in
        icd[condition.rawValue].enumerated().map { index, icdCoding in
            // Heart failure: the first ICD alternative goes with 84114007, the second with 88805009.
            let snomed = condition == .heartFailure && index == 0 ? heartFailureAlt : condition.snomed
            return [Fragment.concept([snomed, icdCoding]), Fragment.concept([snomed]), Fragment.concept([icdCoding])]
        }
    }

    static let exacerbation = Fragment.concept([exacerbationSnomed, exacerbationICD])
}

/// Reasons for emergency visits that are not one of the planted conditions (noise events).
enum MiscReason {
    static let concepts: [[UInt8]] = [
        Fragment.concept([Coding(system: CodeSystem.snomed, code: "29857009", display: "Chest pain (finding)")]),
        Fragment.concept([Coding(system: CodeSystem.snomed, code: "21522001", display: "Abdominal pain (finding)")]),
        Fragment.concept([Coding(system: CodeSystem.snomed, code: "267036007", display: "Dyspnea (finding)")]),
        Fragment.concept([Coding(system: CodeSystem.snomed, code: "44465007", display: "Sprain of ankle (disorder)")]),
        Fragment.concept([Coding(system: CodeSystem.snomed, code: "68566005", display: "Urinary tract infectious disease (disorder)")]),
    ]
    static let hfDecompensation = Fragment.concept([
        Coding(system: CodeSystem.snomed, code: "42343007", display: "Congestive heart failure (disorder)")])
}

/// Observation codes (`"code":{…}` bodies) and unit tails.
enum ObservationCodes {
    static let hba1c = Fragment.concept([Coding(system: CodeSystem.loinc, code: "4548-4",
                                                display: "Hemoglobin A1c/Hemoglobin.total in Blood")], text: "HbA1c")
    /// Reported by the labs of some clinics (HPLC method), to exercise value sets.
    static let hba1cHPLC = Fragment.concept([Coding(system: CodeSystem.loinc, code: "17856-6",
                                                    display: "Hemoglobin A1c/Hemoglobin.total in Blood by HPLC")], text: "HbA1c")
    static let bpPanel = Fragment.concept([Coding(system: CodeSystem.loinc, code: "85354-9",
                                                  display: "Blood pressure panel with all children optional")], text: "Blood pressure")
    static let systolic = Fragment.concept([Coding(system: CodeSystem.loinc, code: "8480-6", display: "Systolic blood pressure")])
    static let diastolic = Fragment.concept([Coding(system: CodeSystem.loinc, code: "8462-4", display: "Diastolic blood pressure")])
    static let bmi = Fragment.concept([Coding(system: CodeSystem.loinc, code: "39156-5", display: "Body mass index (BMI) [Ratio]")], text: "BMI")
    /// eGFR: MDRD (33914-3) before 2017, CKD-EPI (62238-1) from 2017, as labs switched equations.
    static let egfrMDRD = Fragment.concept([Coding(system: CodeSystem.loinc, code: "33914-3",
        display: "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)")], text: "eGFR")
    static let egfrCKDEPI = Fragment.concept([Coding(system: CodeSystem.loinc, code: "62238-1",
        display: "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)")], text: "eGFR")
    static let cholesterol = Fragment.concept([Coding(system: CodeSystem.loinc, code: "2093-3",
                                                      display: "Cholesterol [Mass/volume] in Serum or Plasma")], text: "Total cholesterol")
    static let hdl = Fragment.concept([Coding(system: CodeSystem.loinc, code: "2085-9",
                                              display: "Cholesterol in HDL [Mass/volume] in Serum or Plasma")], text: "HDL")
    static let ldl = Fragment.concept([Coding(system: CodeSystem.loinc, code: "18262-6",
                                              display: "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay")], text: "LDL")
    static let uacr = Fragment.concept([Coding(system: CodeSystem.loinc, code: "9318-7",
                                               display: "Albumin/Creatinine [Mass Ratio] in Urine")], text: "uACR")
    static let smoking = Fragment.concept([Coding(system: CodeSystem.loinc, code: "72166-2", display: "Tobacco smoking status")])

    static let smokingValues: [[UInt8]] = [
        Fragment.concept([Coding(system: CodeSystem.snomed, code: "266919005", display: "Never smoked tobacco (finding)")]),
        Fragment.concept([Coding(system: CodeSystem.snomed, code: "8517006", display: "Ex-smoker (finding)")]),
        Fragment.concept([Coding(system: CodeSystem.snomed, code: "449868002", display: "Smokes tobacco daily (finding)")]),
    ]

    static let percent = Fragment.ucumTail("%")
    static let mmHg = Fragment.ucumTail("mm[Hg]")
    static let kgm2 = Fragment.ucumTail("kg/m2")
    static let egfrUnit = Fragment.ucumTail("mL/min/{1.73_m2}")
    static let mgdL = Fragment.ucumTail("mg/dL")
    static let mgg = Fragment.ucumTail("mg/g")
}

/// Encounter class and type fragments (`"class":…,"type":[…]`).
enum EncounterCodes {
    static let kinds: [[UInt8]] = [
        header(classCode: "AMB", classDisplay: "ambulatory", type: Coding(system: CodeSystem.snomed, code: "185349003", display: "Encounter for check up (procedure)")),
        header(classCode: "AMB", classDisplay: "ambulatory", type: Coding(system: CodeSystem.snomed, code: "390906007", display: "Follow-up encounter (procedure)")),
        header(classCode: "EMER", classDisplay: "emergency", type: Coding(system: CodeSystem.snomed, code: "50849002", display: "Emergency room admission (procedure)")),
        header(classCode: "IMP", classDisplay: "inpatient encounter", type: Coding(system: CodeSystem.snomed, code: "32485007", display: "Hospital admission (procedure)")),
    ]

    private static func header(classCode: StaticString, classDisplay: StaticString, type: Coding) -> [UInt8] {
        var out = JSONText(capacity: 512)
        out.raw("\"class\":")
        out.raw(Fragment.coding(Coding(system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: classCode, display: classDisplay)))
        out.raw(",\"type\":[")
        out.raw(Fragment.concept([type]))
        out.raw("]")
        return out.bytes
    }
}
