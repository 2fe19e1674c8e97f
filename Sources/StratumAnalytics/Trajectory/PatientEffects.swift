/// A patient's empirical-Bayes (BLUP) random effects: deviations of their intercept and yearly
/// slope from the population's, shrunk towards zero by how little the patient's own results say.
public struct PatientEffects: Sendable, Equatable {
    /// Deviation of the patient's level at t = 0 (their first result) from β0, in %.
    public let intercept: Double
    /// Deviation of the patient's yearly slope from β1, in % per year.
    public let slope: Double
    /// Prediction-error covariance of (intercept, slope) given the patient's results and β
    /// (σ² L (I + LᵀZᵀZL)⁻¹ Lᵀ), rows.
    public let covariance: [[Double]]

    /// K Zᵀ Z: how the BLUP moves with β̂ (b̂ = K Zᵀ(y − Xβ̂)), for the fixed-effect part of the
    /// prediction-error variance.
    let sensitivity: Mat2
    /// K = L M⁻¹ Lᵀ (relative posterior covariance).
    let relativeCovariance: Mat2

    init(intercept: Double, slope: Double, relativeCovariance: Mat2, sensitivity: Mat2, sigma2: Double) {
        self.intercept = intercept
        self.slope = slope
        self.relativeCovariance = relativeCovariance
        self.sensitivity = sensitivity
        covariance = (sigma2 * relativeCovariance).rows
    }
}
