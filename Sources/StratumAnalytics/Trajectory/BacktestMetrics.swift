/// Accuracy of one forecaster over a backtest's held-out results.
public struct BacktestMetrics: Sendable, Equatable {
    /// Held-out results forecast.
    public let count: Int
    /// Mean absolute error (%).
    public let mae: Double
    /// Root mean squared error (%).
    public let rmse: Double
    /// Share of held-out results inside the 95% interval.
    public let coverage95: Double
    /// Share inside the 80% interval.
    public let coverage80: Double
    /// Mean width of the 95% interval (%).
    public let meanWidth95: Double

    /// Metrics from (actual, forecast, lo80, hi80, lo95, hi95) tuples.
    init(_ rows: [(actual: Double, mean: Double, lo80: Double, hi80: Double, lo95: Double, hi95: Double)]) {
        let n = Double(max(rows.count, 1))
        count = rows.count
        mae = rows.reduce(0) { $0 + abs($1.actual - $1.mean) } / n
        rmse = (rows.reduce(0) { $0 + ($1.actual - $1.mean) * ($1.actual - $1.mean) } / n).squareRoot()
        coverage95 = Double(rows.filter { $0.lo95 <= $0.actual && $0.actual <= $0.hi95 }.count) / n
        coverage80 = Double(rows.filter { $0.lo80 <= $0.actual && $0.actual <= $0.hi80 }.count) / n
        meanWidth95 = rows.reduce(0) { $0 + ($1.hi95 - $1.lo95) } / n
    }
}
