#!/usr/bin/env python3
"""Writes the hand-made eCQM test decks of CMS131, CMS951, CMS347, CMS135 and CMS144.

Each deck is a folder per test patient in the shape MADiE exports: one FHIR resource per file
and a MeasureReport-<id>.json with the measurement period and the expected population counts;
README.txt names each patient. Run it from anywhere; it rewrites the deck folders next to it.

    python3 Tests/StratumReportsTests/Fixtures/decks/make_decks.py
"""
import json
import os
import shutil
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
NS = uuid.UUID("6f1c2a9e-5d0b-4c5e-9a57-3f0d8b1c2e44")
PERIOD = ("2025-01-01", "2025-12-31")

SYSTEMS = {
    "snomed": "http://snomed.info/sct", "icd10cm": "http://hl7.org/fhir/sid/icd-10-cm", "cpt": "http://www.ama-assn.org/go/cpt",
    "loinc": "http://loinc.org", "rxnorm": "http://www.nlm.nih.gov/research/umls/rxnorm",
}
POPULATIONS = ["initial-population", "denominator", "denominator-exclusion", "numerator", "denominator-exception"]


def coding(code):
    system, value = code.split(":", 1)
    return {"coding": [{"system": SYSTEMS[system], "code": value}]}


class Patient:
    def __init__(self, name, born, sex="female"):
        self.id = str(uuid.uuid5(NS, name))
        self.name = name
        self.resources = [{
            "resourceType": "Patient", "id": self.id, "gender": sex, "birthDate": born,
            "name": [{"family": name.split(" ")[0], "given": [name]}],
        }]
        self.counter = {}

    def _id(self, kind):
        self.counter[kind] = self.counter.get(kind, 0) + 1
        return f"{kind}-{self.counter[kind]}"

    def subject(self):
        return {"reference": f"Patient/{self.id}"}

    def encounter(self, code, start, end=None, status="finished"):
        rid = self._id("Encounter")
        self.resources.append({
            "resourceType": "Encounter", "id": rid, "status": status,
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB", "display": "ambulatory"},
            "type": [coding(code)], "subject": self.subject(),
            "period": {"start": start, "end": end or start.replace("T09:00", "T10:00")},
        })
        return rid

    def condition(self, code, onset, status="active", verification="confirmed", abatement=None, category="problem-list-item"):
        r = {
            "resourceType": "Condition", "id": self._id("Condition"),
            "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": status}]},
            "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": verification}]},
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": category}]}],
            "code": coding(code), "subject": self.subject(), "onsetDateTime": onset,
        }
        if abatement:
            r["abatementDateTime"] = abatement
        self.resources.append(r)

    def observation(self, code, when, category, value=None, unit=None, encounter=None, status="final"):
        r = {
            "resourceType": "Observation", "id": self._id("Observation"), "status": status,
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": category}]}],
            "code": coding(code), "subject": self.subject(), "effectiveDateTime": when,
        }
        if value is not None:
            r["valueQuantity"] = {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}
        if encounter:
            r["encounter"] = {"reference": f"Encounter/{encounter}"}
        self.resources.append(r)

    def prescription(self, code, authored, days=30, status="active", intent="order", do_not_perform=None, reason=None):
        r = {
            "resourceType": "MedicationRequest", "id": self._id("MedicationRequest"), "status": status, "intent": intent,
            "medicationCodeableConcept": coding(code), "subject": self.subject(), "authoredOn": authored,
            "dispenseRequest": {"expectedSupplyDuration": {"value": days, "unit": "days", "system": "http://unitsofmeasure.org", "code": "d"}},
        }
        if do_not_perform is not None:
            r["doNotPerform"] = do_not_perform
        if reason:
            r["reasonCode"] = [coding(reason)]
        self.resources.append(r)

    def allergy(self, code, onset):
        self.resources.append({
            "resourceType": "AllergyIntolerance", "id": self._id("AllergyIntolerance"),
            "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"}]},
            "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "code": "confirmed"}]},
            "type": "allergy", "code": coding(code), "patient": self.subject(), "onsetDateTime": onset,
        })


def report(measure, patient, description, groups):
    """groups: one dict per group, population code -> count (missing populations are 0)."""
    rid = str(uuid.uuid5(NS, "report " + patient.name))
    return {
        "resourceType": "MeasureReport", "id": rid,
        "meta": {"profile": ["http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/test-case-cqfm"]},
        "extension": [{"url": "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-testCaseDescription",
                       "valueMarkdown": description}],
        "modifierExtension": [{"url": "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-isTestCase", "valueBoolean": True}],
        "status": "complete", "type": "individual", "measure": f"https://madie.cms.gov/Measure/{measure}",
        "period": {"start": PERIOD[0], "end": PERIOD[1]},
        "group": [{"population": [{"code": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/measure-population", "code": code}]},
                                   "count": counts.get(code, 0)} for code in populations]}
                  for counts, populations in groups],
    }


def write_deck(deck, measure, cases):
    folder = os.path.join(HERE, deck)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    lines = []
    for patient, description, groups in cases:
        case = os.path.join(folder, patient.id)
        os.makedirs(case)
        for r in patient.resources:
            with open(os.path.join(case, f"{r['resourceType']}-{r['id']}.json"), "w") as f:
                json.dump(r, f, indent=2)
                f.write("\n")
        mr = report(measure, patient, description, groups)
        with open(os.path.join(case, f"MeasureReport-{mr['id']}.json"), "w") as f:
            json.dump(mr, f, indent=2)
            f.write("\n")
        lines.append(f"{patient.id} = {patient.name}")
    with open(os.path.join(folder, "README.txt"), "w") as f:
        f.write(f"Hand-made test patients for {measure} (written by ../make_decks.py).\n\n" + "\n".join(lines) + "\n")


FOUR = POPULATIONS[:4]          # measures without exceptions
FIVE = POPULATIONS


def one(populations, **counts):
    return [({k.replace("_", "-"): v for k, v in counts.items()}, populations)]


# ---------------------------------------------------------------- CMS131 Diabetes: Eye Exam
def cms131():
    cases = []
    p = Patient("NUMERPass RetinalExamInPeriod", "1960-04-02")
    p.encounter("cpt:99213", "2025-03-01T09:00:00Z")
    p.condition("icd10cm:E11.9", "2015-01-10T00:00:00Z")
    p.observation("snomed:252779009", "2025-05-01T10:00:00Z", "exam")
    cases.append((p, "Diabetic, retinal exam in the measurement period", one(FOUR, initial_population=1, denominator=1, numerator=1)))

    p = Patient("NUMERFail RetinopathyExamOnlyYearBefore", "1960-04-02")
    p.encounter("cpt:99213", "2025-03-01T09:00:00Z")
    p.condition("icd10cm:E11.9", "2015-01-10T00:00:00Z")
    p.condition("snomed:193349004", "2020-01-10T00:00:00Z")
    p.observation("snomed:252779009", "2024-06-01T10:00:00Z", "exam")
    cases.append((p, "Diabetic retinopathy: an exam in the year before the period does not count",
                  one(FOUR, initial_population=1, denominator=1, numerator=0)))

    p = Patient("NUMERPass NoRetinopathyExamYearBefore", "1960-04-02")
    p.encounter("cpt:99213", "2025-03-01T09:00:00Z")
    p.condition("icd10cm:E11.9", "2015-01-10T00:00:00Z")
    p.observation("snomed:252779009", "2024-06-01T10:00:00Z", "exam")
    cases.append((p, "No retinopathy: an exam in the year before the period counts",
                  one(FOUR, initial_population=1, denominator=1, numerator=1)))

    p = Patient("DENEXPass HospiceEncounter", "1960-04-02")
    p.encounter("cpt:99213", "2025-03-01T09:00:00Z")
    p.encounter("snomed:183919006", "2025-08-01T09:00:00Z")
    p.condition("icd10cm:E11.9", "2015-01-10T00:00:00Z")
    cases.append((p, "Hospice care in the period excludes", one(FOUR, initial_population=1, denominator=1, denominator_exclusion=1)))
    write_deck("cms131", "DiabetesEyeExamFHIR", cases)


# ---------------------------------------------------------------- CMS951 Kidney Health Evaluation
def cms951():
    cases = []
    p = Patient("NUMERPass eGFRAndUACR", "1958-07-15", "male")
    p.encounter("cpt:99214", "2025-02-03T09:00:00Z")
    p.condition("icd10cm:E11.9", "2012-03-01T00:00:00Z")
    p.observation("loinc:62238-1", "2025-02-03T09:30:00Z", "laboratory", 72, "mL/min/{1.73_m2}")
    p.observation("loinc:9318-7", "2025-02-03T09:30:00Z", "laboratory", 18, "mg/g")
    cases.append((p, "eGFR and uACR in the period", one(FOUR, initial_population=1, denominator=1, numerator=1)))

    p = Patient("NUMERFail eGFROnly", "1958-07-15", "male")
    p.encounter("cpt:99214", "2025-02-03T09:00:00Z")
    p.condition("icd10cm:E11.9", "2012-03-01T00:00:00Z")
    p.observation("loinc:62238-1", "2025-02-03T09:30:00Z", "laboratory", 72, "mL/min/{1.73_m2}")
    p.observation("loinc:9318-7", "2024-11-03T09:30:00Z", "laboratory", 18, "mg/g")
    cases.append((p, "eGFR in the period, uACR only before it", one(FOUR, initial_population=1, denominator=1, numerator=0)))

    p = Patient("DENEXPass ESRD", "1958-07-15", "male")
    p.encounter("cpt:99214", "2025-02-03T09:00:00Z")
    p.condition("icd10cm:E11.9", "2012-03-01T00:00:00Z")
    p.condition("icd10cm:N18.6", "2023-05-01T00:00:00Z")
    cases.append((p, "End-stage renal disease excludes", one(FOUR, initial_population=1, denominator=1, denominator_exclusion=1)))

    p = Patient("IPFail DiabetesResolved", "1958-07-15", "male")
    p.encounter("cpt:99214", "2025-02-03T09:00:00Z")
    p.condition("icd10cm:E11.9", "2012-03-01T00:00:00Z", status="resolved", abatement="2020-01-01T00:00:00Z")
    cases.append((p, "Diabetes no longer active", one(FOUR)))
    write_deck("cms951", "KidneyHealthEvaluationFHIR", cases)


# ---------------------------------------------------------------- CMS347 Statin therapy (four groups)
def cms347():
    def groups(n, **counts):
        out = []
        for g in range(1, 5):
            out.append(({k.replace("_", "-"): v for k, v in counts.items()} if g == n else {}, FIVE))
        return out

    cases = []
    p = Patient("G1NUMERPass ASCVDOnStatin", "1955-09-09", "male")
    p.encounter("cpt:99213", "2025-03-01T09:00:00Z")
    p.condition("icd10cm:I21.09", "2020-06-01T00:00:00Z")
    p.prescription("rxnorm:259255", "2025-03-01T09:30:00Z", days=90)
    cases.append((p, "Clinical ASCVD (myocardial infarction), statin ordered in the period",
                  groups(1, initial_population=1, denominator=1, numerator=1)))

    p = Patient("G2NUMERFail LDL200NoStatin", "1978-02-20")
    p.encounter("cpt:99213", "2025-03-01T09:00:00Z")
    p.observation("loinc:18262-6", "2024-01-15T09:30:00Z", "laboratory", 200, "mg/dL")
    cases.append((p, "LDL-C 200 mg/dL, no ASCVD, no statin", groups(2, initial_population=1, denominator=1)))

    p = Patient("G3DENEXCEPPass DiabetesStatinAllergy", "1968-11-30")
    p.encounter("cpt:99213", "2025-03-01T09:00:00Z")
    p.condition("icd10cm:E11.9", "2016-01-01T00:00:00Z")
    p.allergy("rxnorm:83367", "2025-02-01T00:00:00Z")
    cases.append((p, "Diabetes, no statin, statin allergy in the period",
                  groups(3, initial_population=1, denominator=1, denominator_exception=1)))

    p = Patient("G1NUMERFail StatinNotPerformed", "1955-09-09", "male")
    p.encounter("cpt:99213", "2025-03-01T09:00:00Z")
    p.condition("icd10cm:I21.09", "2020-06-01T00:00:00Z")
    p.prescription("rxnorm:259255", "2025-03-01T09:30:00Z", status="completed", do_not_perform=True, reason="snomed:183932001")
    cases.append((p, "Clinical ASCVD, statin not ordered at the visit for a medical reason (procedure contraindicated)",
                  groups(1, initial_population=1, denominator=1, denominator_exception=1)))
    write_deck("cms347", "StatinTherapyforthePreventionandTreatmentofCardiovascularDiseaseFHIR", cases)


# ---------------------------------------------------------------- HF measures
def hf_patient(name, ef=30):
    """Heart failure since 2020, two office visits in 2025 (Feb 1, Jun 1), an ejection fraction in 2024."""
    p = Patient(name, "1950-05-05", "male")
    visits = [p.encounter("cpt:99214", "2025-02-01T09:00:00Z"), p.encounter("cpt:99214", "2025-06-01T09:00:00Z")]
    p.condition("snomed:84114007", "2020-01-01T00:00:00Z")
    p.observation("loinc:10230-1", "2024-06-01T10:00:00Z", "imaging", ef, "%")
    return p, visits


def cms135():
    cases = []
    p, _ = hf_patient("NUMERPass ACEIOrderedAtVisit")
    p.prescription("rxnorm:314076", "2025-06-01T09:30:00Z")
    cases.append((p, "HF with EF 30 %, lisinopril ordered at an HF visit", one(FIVE, initial_population=1, denominator=1, numerator=1)))

    p, _ = hf_patient("NUMERPass ARBActiveThroughVisit")
    p.prescription("rxnorm:979492", "2025-05-20T09:30:00Z", days=90)
    cases.append((p, "HF with EF 30 %, losartan prescribed before the visit and lasting after it",
                  one(FIVE, initial_population=1, denominator=1, numerator=1)))

    p, _ = hf_patient("DENEXCEPPass ACEIAllergy")
    p.allergy("rxnorm:29046", "2023-01-01T00:00:00Z")
    cases.append((p, "HF with EF 30 %, no ACEI/ARB/ARNI, lisinopril allergy", one(FIVE, initial_population=1, denominator=1, denominator_exception=1)))

    p, _ = hf_patient("DENOMFail EF55", ef=55)
    cases.append((p, "HF with a normal ejection fraction: not in the denominator", one(FIVE, initial_population=1)))
    write_deck("cms135", "HFACEIorARBorARNIforLVSDFHIR", cases)


def cms144():
    cases = []
    p, _ = hf_patient("NUMERPass BetaBlockerOrdered")
    p.prescription("rxnorm:866427", "2025-02-01T09:30:00Z")
    cases.append((p, "HF with EF 30 %, metoprolol succinate ordered at an HF visit", one(FIVE, initial_population=1, denominator=1, numerator=1)))

    p, visits = hf_patient("DENEXCEPPass ConsecutiveHeartRatesBelow50")
    p.observation("loinc:8867-4", "2025-06-01T09:10:00Z", "vital-signs", 46, "/min", encounter=visits[1])
    p.observation("loinc:8867-4", "2025-06-01T09:40:00Z", "vital-signs", 44, "/min", encounter=visits[1])
    cases.append((p, "HF with EF 30 %, no beta blocker, two consecutive heart rates below 50 at a visit",
                  one(FIVE, initial_population=1, denominator=1, denominator_exception=1)))

    p, visits = hf_patient("DENEXCEPFail HeartRateBelow50After72")
    p.observation("loinc:8867-4", "2025-06-01T09:10:00Z", "vital-signs", 72, "/min", encounter=visits[1])
    p.observation("loinc:8867-4", "2025-06-01T09:40:00Z", "vital-signs", 44, "/min", encounter=visits[1])
    cases.append((p, "HF with EF 30 %, no beta blocker, one low heart rate after a normal one", one(FIVE, initial_population=1, denominator=1)))

    p, _ = hf_patient("DENEXCEPFail AVBlockWithPacer")
    p.condition("icd10cm:I44.2", "2022-01-01T00:00:00Z")
    p.condition("icd10cm:Z95.0", "2022-02-01T00:00:00Z")
    cases.append((p, "HF with EF 30 %, no beta blocker, AV block with a pacer in situ", one(FIVE, initial_population=1, denominator=1)))

    p, _ = hf_patient("DENEXCEPPass AVBlockWithoutPacer")
    p.condition("icd10cm:I44.2", "2022-01-01T00:00:00Z")
    cases.append((p, "HF with EF 30 %, no beta blocker, AV block without a pacer",
                  one(FIVE, initial_population=1, denominator=1, denominator_exception=1)))

    p, _ = hf_patient("DENEXPass HeartTransplant")
    p.resources.append({"resourceType": "Procedure", "id": "Procedure-1", "status": "completed",
                        "code": {"coding": [{"system": SYSTEMS["cpt"], "code": "33945"}]}, "subject": p.subject(),
                        "performedDateTime": "2024-09-01T00:00:00Z"})
    cases.append((p, "HF with EF 30 %, heart transplant before the visit", one(FIVE, initial_population=1, denominator=1, denominator_exclusion=1)))
    write_deck("cms144", "HFBetaBlockerTherapyforLVSDFHIR", cases)


if __name__ == "__main__":
    cms131()
    cms951()
    cms347()
    cms135()
    cms144()
