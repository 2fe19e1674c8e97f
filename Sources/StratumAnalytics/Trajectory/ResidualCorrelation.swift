/// The within-patient residual structure of ``TrajectoryModel`` (docs/FORECASTING.md).
public enum ResidualCorrelation: String, Sendable, CaseIterable {
    /// ε_ij ~ N(0, σ²) independent: the random-intercept-and-slope model as statsmodels MixedLM
    /// and lme4 fit it.
    case independent
    /// Diggle's model: ε_ij = W_i(t_ij) + e_ij, W_i a stationary continuous-time AR(1) with
    /// Cov(W(t), W(s)) = τ² exp(−|t − s|/ρ), plus independent measurement error e ~ N(0, σ²).
    case exponential
}
