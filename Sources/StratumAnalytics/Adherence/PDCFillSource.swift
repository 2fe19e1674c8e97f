/// Which rows are a person's fills: dispensings when the person has any (FHIR MedicationDispense,
/// OMOP rows with a days supply, pharmacy claims); otherwise their prescriptions (FHIR
/// MedicationRequest with an expected supply duration), each taken as filled on the day it was
/// written and then on time for each refill it allows — an assumption that overstates adherence,
/// so the table says which source each person's PDC comes from.
public enum PDCFillSource {
    public static func fills(_ rows: [(fill: PDCFill, prescribed: Bool, refills: Int)]) -> (fills: [PDCFill], source: String) {
        let dispensed = rows.filter { !$0.prescribed }.map(\.fill)
        if !dispensed.isEmpty { return (dispensed, "dispensings") }
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
