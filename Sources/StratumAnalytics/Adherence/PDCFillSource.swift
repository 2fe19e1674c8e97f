/// Which rows are fills. When the data has dispensings (FHIR MedicationDispense, OMOP rows with a
/// days supply, pharmacy claims), only dispensings count: a prescription nobody picked up is
/// primary non-adherence, not coverage. Only data without any dispensing (an EHR extract of
/// MedicationRequests alone) falls back to prescriptions, each taken as filled on the day it was
/// written and then on time for each refill it allows — an assumption that overstates adherence,
/// so the result names its source.
public enum PDCFillSource {
    /// `dataHasDispensings` is decided once for the whole data set, not per patient.
    public static func fills(_ rows: [(fill: PDCFill, prescribed: Bool, refills: Int)], dataHasDispensings: Bool) -> (fills: [PDCFill], source: String) {
        if dataHasDispensings {
            let dispensed = rows.filter { !$0.prescribed }.map(\.fill)
            return (dispensed, dispensed.isEmpty ? "none dispensed" : "dispensings")
        }
        guard !rows.isEmpty else { return ([], "none") }
        var out: [PDCFill] = []
        for row in rows {
            for k in 0...max(0, min(row.refills, 24)) {
                out.append(PDCFill(drug: row.fill.drug, day: row.fill.day + k * row.fill.daysSupply, daysSupply: row.fill.daysSupply))
            }
        }
        return (out, "prescriptions")
    }
}
