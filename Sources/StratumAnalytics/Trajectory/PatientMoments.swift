/// The sufficient statistics of one patient's series for the trajectory model (t in years since
/// the first result, y centred by a common shift): everything a REML evaluation needs, so an
/// evaluation costs O(patients) after one O(results) pass.
struct PatientMoments: Sendable {
    var n = 0.0, st = 0.0, stt = 0.0, sy = 0.0, sty = 0.0, syy = 0.0

    init() {}

    init(_ series: PatientSeries, shift: Double) {
        for k in 0..<series.count {
            let t = series.years(at: series.days[k]), y = series.values[k] - shift
            n += 1; st += t; stt += t * t; sy += y; sty += t * y; syy += y * y
        }
    }

    /// ZᵀZ with Z = [1, t].
    var ztz: Mat2 { Mat2(n, st, st, stt) }
    /// Zᵀy.
    var zty: (Double, Double) { (sy, sty) }
}
