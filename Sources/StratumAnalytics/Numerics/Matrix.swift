import CGSL

/// A dense row-major matrix of doubles: one row per patient, one column per feature. Its storage
/// is a contiguous array so that GSL and BLAS can read it in place (`withGSLMatrix`).
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var storage: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        storage = Array(repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, storage: [Double]) {
        precondition(storage.count == rows * columns, "storage has \(storage.count) values for \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Rows given as arrays of equal length.
    public init(_ rowArrays: [[Double]]) {
        let columns = rowArrays.first?.count ?? 0
        var storage: [Double] = []
        storage.reserveCapacity(rowArrays.count * columns)
        for row in rowArrays {
            precondition(row.count == columns, "ragged rows")
            storage.append(contentsOf: row)
        }
        self.init(rows: rowArrays.count, columns: columns, storage: storage)
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    public func row(_ i: Int) -> ArraySlice<Double> { storage[(i * columns)..<((i + 1) * columns)] }

    public func column(_ j: Int) -> [Double] { (0..<rows).map { storage[$0 * columns + j] } }

    /// Calls `body` with a GSL view of this matrix's storage (no copy).
    public mutating func withGSLMatrix<R>(_ body: (UnsafeMutablePointer<gsl_matrix>) throws -> R) rethrows -> R {
        let (r, c) = (rows, columns)
        return try storage.withUnsafeMutableBufferPointer { buffer in
            var view = gsl_matrix_view_array(buffer.baseAddress, r, c)
            return try body(&view.matrix)
        }
    }
}

/// Symmetric positive-definite linear algebra through GSL's Cholesky routines.
public struct Cholesky: Sendable {
    /// The factor, lower triangle (GSL's layout; the upper triangle is not meaningful).
    public private(set) var factor: Matrix

    /// Factorises `matrix`; throws ``GSLError`` when it is not positive definite.
    public init(_ matrix: Matrix, context: @autoclosure () -> String = "Cholesky factorisation") throws {
        precondition(matrix.rows == matrix.columns)
        GSL.prepare()
        var m = matrix
        let status = m.withGSLMatrix { gsl_linalg_cholesky_decomp1($0) }
        try GSL.check(status, context())
        factor = m
    }

    public var dimension: Int { factor.rows }

    /// log |A| = 2 Σ log Lᵢᵢ.
    public var logDeterminant: Double {
        var sum = 0.0
        for i in 0..<dimension { sum += log(factor[i, i]) }
        return 2 * sum
    }

    /// Solves A x = b.
    public func solve(_ b: [Double]) throws -> [Double] {
        precondition(b.count == dimension)
        var f = factor
        var x = b
        var rhs = b
        let status: Int32 = f.withGSLMatrix { lu in
            rhs.withUnsafeMutableBufferPointer { bb in
                x.withUnsafeMutableBufferPointer { xb in
                    var bv = gsl_vector_view_array(bb.baseAddress, bb.count)
                    var xv = gsl_vector_view_array(xb.baseAddress, xb.count)
                    return gsl_linalg_cholesky_solve(lu, &bv.vector, &xv.vector)
                }
            }
        }
        try GSL.check(status, "Cholesky solve")
        return x
    }

    /// A⁻¹ (full symmetric matrix).
    public func inverse() throws -> Matrix {
        var f = factor
        let status = f.withGSLMatrix { gsl_linalg_cholesky_invert($0) }
        try GSL.check(status, "Cholesky inverse")
        return f
    }

    /// Solves L y = b (forward substitution with the lower factor): ‖y‖² = bᵀA⁻¹b, the squared
    /// Mahalanobis distance when b is a centred observation.
    public func forwardSolve(_ b: [Double]) -> [Double] {
        let n = dimension
        var y = b
        for i in 0..<n {
            var s = y[i]
            for k in 0..<i { s -= factor[i, k] * y[k] }
            y[i] = s / factor[i, i]
        }
        return y
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
