/// One patient's forecast: the mean of a new result at ``day``, its standard error of
/// prediction and 80% / 95% normal prediction intervals, and the threshold flag.
public struct TrajectoryForecast: Sendable, Equatable {
    public let personID: Int64
    /// Results (distinct days) the forecast is based on.
    public let resultCount: Int
    public let lastDay: Int
    public let lastValue: Double
    /// The day forecasting starts from: the as-of day, or the last result's day without one.
    public let originDay: Int
    /// The fitted (BLUP) value at ``originDay``.
    public let fittedAtOrigin: Double
    /// The forecast day (``originDay`` + horizon).
    public let day: Int
    public let mean: Double
    /// Standard error of prediction of a new result: includes σ², the prediction-error variance
    /// of the patient's random effects and the fixed-effect uncertainty.
    public let standardError: Double
    public let lo80: Double, hi80: Double
    public let lo95: Double, hi95: Double
    /// ``crossesThreshold(fittedAtOrigin:mean:threshold:)`` at the threshold asked for (nil: none asked).
    public let crossesThreshold: Bool?

    /// The threshold rule: the fitted trajectory is below `threshold` at the origin and the
    /// forecast mean at the horizon is at or above it. Trajectories are straight lines, so this is
    /// exactly "the fitted line crosses the threshold within the horizon, upwards".
    public static func crossesThreshold(fittedAtOrigin: Double, mean: Double, threshold: Double) -> Bool {
        fittedAtOrigin < threshold && mean >= threshold
    }

    public init(personID: Int64, resultCount: Int, lastDay: Int, lastValue: Double, originDay: Int, fittedAtOrigin: Double,
                day: Int, mean: Double, standardError: Double, lo80: Double, hi80: Double, lo95: Double, hi95: Double,
                crossesThreshold: Bool?) {
        self.personID = personID
        self.resultCount = resultCount
        self.lastDay = lastDay
        self.lastValue = lastValue
        self.originDay = originDay
        self.fittedAtOrigin = fittedAtOrigin
        self.day = day
        self.mean = mean
        self.standardError = standardError
        self.lo80 = lo80
        self.hi80 = hi80
        self.lo95 = lo95
        self.hi95 = hi95
        self.crossesThreshold = crossesThreshold
    }
}
