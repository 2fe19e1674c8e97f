/// Why a trajectory fit, forecast or backtest could not be made. Messages never name patients
/// or print their values.
public enum TrajectoryError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No usable results (after the as-of date, unit checks and plausibility filtering).
    case noData(String)
    /// Too little data to estimate the model (fewer than 3 results or no patient with two dates).
    case insufficientData(String)
    /// The REML optimiser did not converge within its iteration budget.
    case notConverged(iterations: Int, simplexSize: Double)
    /// A numerical failure (non-finite criterion, singular fixed-effect information).
    case numerical(String)

    public var description: String {
        switch self {
        case .noData(let why): return "no HbA1c results to model: \(why)"
        case .insufficientData(let why): return "too little data for the trajectory model: \(why)"
        case .notConverged(let iterations, let size):
            return "the trajectory model did not converge (REML simplex size \(size) after \(iterations) iterations)"
        case .numerical(let why): return "numerical failure in the trajectory model: \(why)"
        }
    }
}
