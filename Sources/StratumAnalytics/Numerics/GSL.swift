import CGSL

/// A GSL routine reported a failure. GSL's own abort handler is switched off (``GSL/prepare()``),
/// so every status code comes back here instead of ending the process.
public struct GSLError: Error, CustomStringConvertible, Sendable {
    /// The GSL status code (`GSL_EDOM`, `GSL_ESING`, …).
    public let status: Int32
    /// What Stratum was doing, for example "Cholesky factorisation of the covariance of cluster 3".
    public let context: String

    public var description: String {
        let reason = gsl_strerror(status).map { String(cString: $0) } ?? "status \(status)"
        return "\(context): \(reason) (GSL status \(status))"
    }

    /// The matrix was not positive definite / was singular.
    public var isNotPositiveDefinite: Bool { status == GSL_EDOM || status == GSL_ESING }
}

/// The one place Stratum talks to GSL's global state.
public enum GSL {
    /// Switches GSL's default error handler (print and `abort()`) off. Idempotent and cheap; every
    /// entry point into numerics calls it before the first GSL call.
    public static func prepare() {
        _ = handlerOff
    }

    private static let handlerOff: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    /// Turns a GSL status into a Swift error.
    @inline(__always)
    public static func check(_ status: Int32, _ context: @autoclosure () -> String) throws {
        if status != GSL_SUCCESS { throw GSLError(status: status, context: context()) }
    }
}
