/// Valid scripts: the seeds that mutation and recombination start from. Every one of them
/// compiles against `FuzzEnvironment` (the fuzzer checks this before it starts), so mutants are
/// one step away from programs that reach the binder and the compilers.
///
/// Each script is a raw string literal whose delimiters stand alone on their lines; the safety
/// tests read this file and take the scripts from between the delimiters.
enum Corpus {
    /// Bound once into the environment every input is bound against: value sets, parameters,
    /// a criterion and two cohorts, so names in inputs resolve and binding goes deep.
    static let preamble = #"""
valueset Diabetes = snomed:44054006, icd10cm:E11.*
valueset HbA1c = loinc:4548-4
valueset Metformin = rxnorm:6809
valueset Statins = rxnorm:36567, rxnorm:42463
valueset Inpatient = actcode:IMP
valueset CKD = descendants of snomed:709044004, icd10cm:N18.*
valueset SBP = loinc:8480-6
valueset Smoking = loinc:72166-2
valueset Procedures = cpt:99213, snomed:80146002
valueset Loaded = load "diabetes.json"
param period = 2024-01-01 .. 2024-12-31
param cutoff = 2024-06-30
param label = "current"
let adult = age >= 18
cohort T2D "Adults with type 2 diabetes"
  entry first condition in Diabetes
  require age at entry >= 18
cohort Poor from T2D at end of period
  rule "poor or missing" any of (
    last measurement in HbA1c during period value > 9 %
    no measurement in HbA1c during period
  )
"""#

    static let scripts: [String] = [
#"""
valueset Diabetes = snomed:44054006, icd10cm:E11.*
valueset HbA1c    = loinc:4548-4
param period = 2024-01-01 .. 2024-12-31
cohort T2D "Adults with type 2 diabetes"
  entry first condition in Diabetes
  require age at entry >= 18
cohort Poor from T2D at end of period
  rule "poor or missing" any of (
    last measurement in HbA1c during period value > 9 %
    no measurement in HbA1c during period
  )
count Poor by sex, age band 10
list Poor with age, sex, last measurement in HbA1c during period as hba1c limit 5
"""#,
#"""
valueset Statins2 = rxnorm:36567, rxnorm:42463, except rxnorm:83367
valueset Kidney = descendants of snomed:709044004, icd10cm:N18.*, except icd10cm:N18.9
valueset Concepts = omop:201826, descendants of omop:201820
valueset Combined = Diabetes, Kidney, except icd10cm:E11.9
valueset Quoted = snomed:"44054006", icd10cm:"E11.65"
valueset FromFile = load "diabetes.json"
cohort Coded "Coded several ways"
  entry condition in Combined or condition in Concepts or drug in Statins2 or condition in FromFile or condition in Quoted
count Coded by sex
"""#,
#"""
param period = 2024-01-01 .. 2024-12-31
let recent = 30 days before end of period
let onMetformin = drug in Metformin within 90 days before entry
cohort NewUsers "New metformin users"
  entry first ever drug in Metformin during period with observation 365 days before entry
  require "no prior diabetes" no condition in Diabetes before entry
  require onMetformin
  exclude condition in CKD within 1 year before entry
  rule "two visits" at least 2 visit in Inpatient from 365 days before entry to entry distinct by day
  keep first
  exit on continuous drug in Metformin gap 30 days offset 7 days days supply 30
  censor on death
  collapse pad 30 days
list NewUsers with age, sex limit 10
"""#,
#"""
cohort Hypertensive "Blood pressure above 140"
  entry all measurement in SBP value > 140 mmHg during period
  require age at entry between 18 and 85
  require sex = female
  require any of (measurement in SBP value >= 18.5 kPa, last measurement in HbA1c value between 48 and 53 mmol/mol)
  exclude gender in (male, unknown)
  require observation 180 days before entry and 30 days after
  exit 30 days after entry end
count Hypertensive by age band 10 at end of period, year
"""#,
#"""
cohort Either "T2D or poorly controlled" = T2D union Poor
cohort Overlap = T2D intersect Poor minus Stored
count Either by sex, age band 5 at end of period, year, race, ethnicity, provider, care site
count T2D by condition in CKD during period as "has CKD", age at 2024-12-31
list T2D union Poor with person, start, end, age at end of period, sex, provider, care site, race, ethnicity, first condition in Diabetes as first_dx, count measurement in HbA1c during period as "n hba1c", no drug in Metformin as untreated limit 100
explain T2D
"""#,
#"""
param year = 2023
param window = 2024-03-01 .. 2024-09-30
let start = start of window
let later = 2 months after start
cohort Admitted "Admitted in the window"
  entry on end of window for everyone
  require visit in Inpatient during window
  require condition in Diabetes on or before 30 days before end of window
  require measurement in HbA1c from 2 weeks before entry to entry exclusive
  require drug in Statins ending within 3 months after entry
  require visit in Inpatient between 2024-01-01 and later
  require procedure in Procedures on entry
  require observation in Smoking after start
  require visit in Inpatient within 48 hours around entry
  exit at end of year
cohort Members
  entry members of Admitted
  require not condition in CKD before entry
"""#,
#"""
cohort Procs "Procedures and attributes"
  entry procedure in (cpt:99213, snomed:80146002) during period
  require observation in Smoking where text = label within 1 year before entry
  require drug in Statins where days_supply >= 30 same visit
  require condition in Diabetes where status = "confirmed" at visit in Inpatient
  require highest on last day measurement in HbA1c value < 7 %
  require exactly 1 procedure in Procedures distinct by code
  require at most 3 of (sex is female, sex is not male, age >= 40, not T2D)
  require all of (adult, first measurement in SBP value <= 180 mmHg, lowest measurement in HbA1c)
  exclude cohort Poor during period
  exit at end of observation
list Procs with highest measurement in SBP during period as peak, last drug in Statins as "last statin" limit 5
"""#,
#"""
# A comment line
valueset Asthma = snomed:195967001; valueset Copd = snomed:13645005 -- a trailing comment
cohort Resp "Respiratory"
  entry condition in Asthma or condition in Copd or condition in (snomed:13645005)
  require at least 2 of (condition in Asthma within 1 year before entry, drug in Statins, sex in (female, male))
  keep last
  collapse
count Resp
list Resp
"""#,
#"""
param start_date = 2020-01-01
param end_date = 2020-12-31
param span = start_date .. end_date
cohort Covid "Covid-19 admissions"
  entry first condition in (snomed:840539006, icd10cm:U07.1) between start_date and end_date
  require visit in Inpatient within 14 days after entry
  require any of (measurement in (loinc:94500-6) within 7 days around entry value = 1, no death within 28 days after entry)
  exit on 2021-06-30
count Covid by year
"""#,
    ]
}
