import Foundation
import StratumStore

/// A minimal self-contained SVG plot area (no scripts, no external fonts or styles): linear x and
/// y scales, axes with tick labels, and path helpers for the trajectory charts.
struct SVGPlot {
    let width = 760.0, height = 420.0
    let left = 64.0, right = 24.0, top = 40.0, bottom = 56.0
    let xRange: ClosedRange<Double>, yRange: ClosedRange<Double>
    private(set) var body = ""

    init(x: ClosedRange<Double>, y: ClosedRange<Double>) {
        xRange = x.lowerBound < x.upperBound ? x : (x.lowerBound - 1)...(x.upperBound + 1)
        yRange = y.lowerBound < y.upperBound ? y : (y.lowerBound - 1)...(y.upperBound + 1)
    }

    func px(_ x: Double) -> Double { left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (width - left - right) }
    func py(_ y: Double) -> Double { height - bottom - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * (height - top - bottom) }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// About `count` round tick values covering `range`.
    static func ticks(_ range: ClosedRange<Double>, count: Int = 6) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var v = ceil(range.lowerBound / step) * step
        var result: [Double] = []
        while v <= range.upperBound + step * 1e-9 { result.append(v); v += step }
        return result
    }

    mutating func add(_ element: String) { body += element + "\n" }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, dash: String? = nil, opacity: Double = 1) {
        guard points.count > 1 else { return }
        let d = points.map { "\(Self.f(px($0.0))),\(Self.f(py($0.1)))" }.joined(separator: " ")
        add("<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(width)\" stroke-opacity=\"\(opacity)\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") points=\"\(d)\"/>")
    }

    /// A band between `lower` and `upper` over the same x values.
    mutating func band(_ xs: [Double], lower: [Double], upper: [Double], fill: String, opacity: Double) {
        guard xs.count > 1 else { return }
        let top = zip(xs, upper).map { "\(Self.f(px($0))),\(Self.f(py($1)))" }
        let bottom = zip(xs, lower).reversed().map { "\(Self.f(px($0))),\(Self.f(py($1)))" }
        add("<polygon fill=\"\(fill)\" fill-opacity=\"\(opacity)\" stroke=\"none\" points=\"\((top + bottom).joined(separator: " "))\"/>")
    }

    mutating func circle(_ x: Double, _ y: Double, fill: String, r: Double = 3.5) {
        add("<circle cx=\"\(Self.f(px(x)))\" cy=\"\(Self.f(py(y)))\" r=\"\(r)\" fill=\"\(fill)\"/>")
    }

    mutating func text(_ s: String, x: Double, y: Double, anchor: String = "start", size: Int = 12, weight: String = "normal") {
        add("<text x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" text-anchor=\"\(anchor)\" font-size=\"\(size)\" font-weight=\"\(weight)\">\(Self.escape(s))</text>")
    }

    /// Axes, grid, tick labels (`xLabel` formats an x value) and titles.
    mutating func axes(title: String, xTitle: String, yTitle: String, xTicks: [Double], xLabel: (Double) -> String, yTicks: Bool = true) {
        for y in yTicks ? Self.ticks(yRange) : [] {
            add("<line x1=\"\(Self.f(left))\" x2=\"\(Self.f(width - right))\" y1=\"\(Self.f(py(y)))\" y2=\"\(Self.f(py(y)))\" stroke=\"#e5e5e5\"/>")
            text(String(format: "%g", y), x: left - 8, y: py(y) + 4, anchor: "end", size: 11)
        }
        for x in xTicks where xRange.contains(x) {
            add("<line x1=\"\(Self.f(px(x)))\" x2=\"\(Self.f(px(x)))\" y1=\"\(Self.f(height - bottom))\" y2=\"\(Self.f(height - bottom + 5))\" stroke=\"#555\"/>")
            text(xLabel(x), x: px(x), y: height - bottom + 19, anchor: "middle", size: 11)
        }
        add("<line x1=\"\(Self.f(left))\" x2=\"\(Self.f(width - right))\" y1=\"\(Self.f(height - bottom))\" y2=\"\(Self.f(height - bottom))\" stroke=\"#555\"/>")
        add("<line x1=\"\(Self.f(left))\" x2=\"\(Self.f(left))\" y1=\"\(Self.f(top))\" y2=\"\(Self.f(height - bottom))\" stroke=\"#555\"/>")
        text(title, x: left, y: 24, size: 15, weight: "bold")
        text(xTitle, x: (left + width - right) / 2, y: height - 12, anchor: "middle")
        add("<text x=\"16\" y=\"\(Self.f((top + height - bottom) / 2))\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 16 \(Self.f((top + height - bottom) / 2)))\">\(Self.escape(yTitle))</text>")
    }

    /// A legend entry at row `row` in the top-right corner.
    mutating func legend(_ label: String, color: String, row: Int, swatch: String = "line") {
        let x = width - right - 190, y = top + 8 + Double(row) * 16
        if swatch == "line" {
            add("<line x1=\"\(Self.f(x))\" x2=\"\(Self.f(x + 18))\" y1=\"\(Self.f(y))\" y2=\"\(Self.f(y))\" stroke=\"\(color)\" stroke-width=\"2\"/>")
        } else {
            add("<rect x=\"\(Self.f(x))\" y=\"\(Self.f(y - 5))\" width=\"18\" height=\"10\" fill=\"\(color)\"/>")
        }
        text(label, x: x + 24, y: y + 4, size: 11)
    }

    func document() -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif">
        <rect width="100%" height="100%" fill="white"/>
        \(body)</svg>

        """
    }

    /// Date ticks (first of a month or of a year) between two day numbers.
    static func dateTicks(_ from: Int, _ to: Int) -> [Double] {
        let (y0, _, _) = CivilDate.civil(days: from), (y1, _, _) = CivilDate.civil(days: to)
        let years = y1 - y0
        let monthStep = years >= 6 ? 24 : years >= 3 ? 12 : years >= 1 ? 6 : 2
        var result: [Double] = []
        var (y, m) = (y0, 1)
        while true {
            let d = CivilDate.days(year: y, month: m, day: 1)
            if d > to { break }
            if d >= from { result.append(Double(d)) }
            m += monthStep
            while m > 12 { m -= 12; y += 1 }
        }
        return result
    }

    static func dateLabel(_ day: Double) -> String {
        let (y, m, _) = CivilDate.civil(days: Int(day.rounded()))
        return String(format: "%04d-%02d", y, m)
    }
}
