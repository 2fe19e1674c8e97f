/// A 2×2 matrix in registers: the per-patient algebra of the trajectory model (random intercept
/// and slope) is all 2×2, so each likelihood evaluation costs a few flops per patient.
struct Mat2: Sendable, Equatable {
    var a, b, c, d: Double  // [[a, b], [c, d]]

    init(_ a: Double, _ b: Double, _ c: Double, _ d: Double) { (self.a, self.b, self.c, self.d) = (a, b, c, d) }

    static let zero = Mat2(0, 0, 0, 0)
    static let identity = Mat2(1, 0, 0, 1)

    var determinant: Double { a * d - b * c }
    var transposed: Mat2 { Mat2(a, c, b, d) }

    /// The inverse; nil when singular.
    var inverse: Mat2? {
        let det = determinant
        guard det != 0, det.isFinite else { return nil }
        return Mat2(d / det, -b / det, -c / det, a / det)
    }

    static func * (l: Mat2, r: Mat2) -> Mat2 {
        Mat2(l.a * r.a + l.b * r.c, l.a * r.b + l.b * r.d, l.c * r.a + l.d * r.c, l.c * r.b + l.d * r.d)
    }
    static func * (l: Mat2, v: (Double, Double)) -> (Double, Double) { (l.a * v.0 + l.b * v.1, l.c * v.0 + l.d * v.1) }
    static func * (s: Double, m: Mat2) -> Mat2 { Mat2(s * m.a, s * m.b, s * m.c, s * m.d) }
    static func + (l: Mat2, r: Mat2) -> Mat2 { Mat2(l.a + r.a, l.b + r.b, l.c + r.c, l.d + r.d) }
    static func - (l: Mat2, r: Mat2) -> Mat2 { Mat2(l.a - r.a, l.b - r.b, l.c - r.c, l.d - r.d) }
    static func += (l: inout Mat2, r: Mat2) { l = l + r }

    /// vᵀ M w.
    func quadratic(_ v: (Double, Double), _ w: (Double, Double)) -> Double {
        v.0 * (a * w.0 + b * w.1) + v.1 * (c * w.0 + d * w.1)
    }

    var rows: [[Double]] { [[a, b], [c, d]] }
}
