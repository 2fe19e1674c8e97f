/// One file of a report: where it goes (relative to the output directory, `/`-separated) and the
/// closure that renders it. `CareGapReportWriter` runs the closures into a temporary directory and
/// moves the files into place only when every one of them succeeded.
public struct ReportFile {
    public var path: String
    public var render: (inout ReportBuffer) throws -> Void

    public init(path: String, render: @escaping (inout ReportBuffer) throws -> Void) {
        self.path = path
        self.render = render
    }
}
