import Foundation
import StratumStore

/// One patient's medication timeline as SVG: each fill as dispensed (a bar from the fill date for
/// its days supplied, one lane per drug), the days PQA counts as covered (refills shifted, drugs
/// unioned, cut at the period's end) with the gaps between them, inpatient stays, the measurement
/// period and the index date, and the PDC in the title.
public enum AdherenceTimeline {
    public static func svg(title: String, fills: [PDCFill], result: PDCResult, period: ClosedRange<Int>,
                           inpatientStays: [ClosedRange<Int>] = [], threshold: Double = 0.8) -> String {
        let drugs = Array(Set(fills.map(\.drug))).sorted()
        let lanes = Double(drugs.count + 2)   // drugs, covered, stays
        let firstDay = min(period.lowerBound, fills.map(\.day).min() ?? period.lowerBound) - 10
        let lastDay = max(period.upperBound, fills.map { $0.day + $0.daysSupply }.max() ?? period.upperBound) + 10
        // The lanes, top to bottom, with room above them for the legend.
        var plot = SVGPlot(x: Double(firstDay)...Double(lastDay), y: 0...(lanes + 1.4))
        // The measurement period, shaded.
        plot.add("<rect x=\"\(SVGPlot.f(plot.px(Double(period.lowerBound))))\" y=\"\(SVGPlot.f(plot.top))\" width=\"\(SVGPlot.f(plot.px(Double(period.upperBound + 1)) - plot.px(Double(period.lowerBound))))\" height=\"\(SVGPlot.f(plot.height - plot.top - plot.bottom))\" fill=\"#f3f6fa\"/>")
        var heading = title
        if let pdc = result.pdc {
            heading += String(format: " — PDC %.0f%% (%d of %d days)%@", 100 * pdc, result.coveredDays, result.treatmentDays,
                              pdc >= threshold ? "" : ", below \(Int((threshold * 100).rounded()))%")
        } else if let why = result.ineligibility {
            heading += " — not in the denominator: \(why.rawValue)"
        }
        plot.axes(title: heading, xTitle: "date", yTitle: "", xTicks: SVGPlot.dateTicks(firstDay, lastDay), xLabel: SVGPlot.dateLabel, yTicks: false)
        func lane(_ index: Int) -> (y: Double, h: Double) {
            let y0 = plot.py(lanes - Double(index)), y1 = plot.py(lanes - Double(index) - 1)
            return (y0 + 6, y1 - y0 - 12)
        }
        func bar(_ from: Int, _ to: Int, lane index: Int, fill: String, opacity: Double = 1, stroke: String = "none") {
            let (y, h) = lane(index)
            let x0 = plot.px(Double(from)), x1 = plot.px(Double(to + 1))
            plot.add("<rect x=\"\(SVGPlot.f(x0))\" y=\"\(SVGPlot.f(y))\" width=\"\(SVGPlot.f(max(1, x1 - x0)))\" height=\"\(SVGPlot.f(h))\" fill=\"\(fill)\" fill-opacity=\"\(opacity)\" stroke=\"\(stroke)\"/>")
        }
        func label(_ text: String, lane index: Int) {
            let (y, h) = lane(index)
            plot.text(text, x: plot.left + 4, y: y + h / 2 + 4, size: 11)
        }
        for (i, drug) in drugs.enumerated() {
            for fill in fills where fill.drug == drug {
                bar(fill.day, fill.day + fill.daysSupply - 1, lane: i, fill: "#6b9bd1", opacity: 0.55, stroke: "#2f5f98")
            }
            label("fills: \(drug)", lane: i)
        }
        let coveredLane = drugs.count
        if let index = result.indexDay {
            bar(index, period.upperBound, lane: coveredLane, fill: "#f2c7c2")   // the treatment period: gaps show through
            plot.add("<line x1=\"\(SVGPlot.f(plot.px(Double(index))))\" x2=\"\(SVGPlot.f(plot.px(Double(index))))\" y1=\"\(SVGPlot.f(plot.top))\" y2=\"\(SVGPlot.f(plot.height - plot.bottom))\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>")
        }
        for run in result.coveredRuns { bar(run.lowerBound, run.upperBound, lane: coveredLane, fill: "#3c8d5a") }
        label("covered (PQA)", lane: coveredLane)
        for stay in inpatientStays { bar(max(stay.lowerBound, firstDay), min(stay.upperBound, lastDay), lane: coveredLane + 1, fill: "#8c6bb1") }
        label("inpatient", lane: coveredLane + 1)
        plot.legend("fill as dispensed", color: "#6b9bd1", row: 0, swatch: "box")
        plot.legend("covered day", color: "#3c8d5a", row: 1, swatch: "box")
        plot.legend("uncovered treatment day", color: "#f2c7c2", row: 2, swatch: "box")
        plot.legend("index date", color: "#333", row: 3)
        return plot.document()
    }
}
