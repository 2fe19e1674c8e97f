import Foundation

/// Minimal self-contained SVG (no script, no external fonts or styles) for the clustering charts.
enum SVGChart {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    static func tick(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1e5 || (a < 1e-2 && a > 0) { return String(format: "%.2e", v) }
        return String(format: a >= 100 ? "%.0f" : "%.3g", v)
    }

    /// Line charts stacked vertically, sharing the k axis; a dashed line at the recommended k.
    static func linePanels(title: String, panels: [(String, [(Int, Double)], Bool)], recommended: Int) -> String {
        let width = 640.0, panelHeight = 190.0, left = 90.0, right = 20.0, top = 50.0, gap = 40.0
        let height = top + Double(panels.count) * (panelHeight + gap) + 10
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(fmt(width / 2))" y="24" text-anchor="middle" font-size="15" font-weight="bold">\(escape(title))</text>

        """
        let ks = panels.flatMap { $0.1.map(\.0) }
        let kMin = Double(ks.min() ?? 1), kMax = Double(max((ks.max() ?? 2), (ks.min() ?? 1) + 1))
        for (p, panel) in panels.enumerated() {
            let y0 = top + Double(p) * (panelHeight + gap) + 20, plotH = panelHeight - 40
            let values = panel.1.map(\.1)
            var lo = values.min() ?? 0, hi = values.max() ?? 1
            if hi - lo < 1e-12 { lo -= 1; hi += 1 }
            let pad = (hi - lo) * 0.08; lo -= pad; hi += pad
            func px(_ k: Double) -> Double { left + (k - kMin) / (kMax - kMin) * (width - left - right) }
            func py(_ v: Double) -> Double { y0 + plotH - (v - lo) / (hi - lo) * plotH }
            out += "<text x=\"\(fmt(left))\" y=\"\(fmt(y0 - 6))\" font-weight=\"bold\">\(escape(panel.0))</text>\n"
            out += "<rect x=\"\(fmt(left))\" y=\"\(fmt(y0))\" width=\"\(fmt(width - left - right))\" height=\"\(fmt(plotH))\" fill=\"none\" stroke=\"#999\"/>\n"
            for t in 0...3 {
                let v = lo + (hi - lo) * Double(t) / 3
                out += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(py(v) + 4))\" text-anchor=\"end\" fill=\"#444\">\(tick(v))</text>\n"
                out += "<line x1=\"\(fmt(left))\" x2=\"\(fmt(width - right))\" y1=\"\(fmt(py(v)))\" y2=\"\(fmt(py(v)))\" stroke=\"#eee\"/>\n"
            }
            for k in Int(kMin)...Int(kMax) {
                out += "<text x=\"\(fmt(px(Double(k))))\" y=\"\(fmt(y0 + plotH + 16))\" text-anchor=\"middle\" fill=\"#444\">\(k)</text>\n"
            }
            out += "<text x=\"\(fmt(width - right))\" y=\"\(fmt(y0 + plotH + 30))\" text-anchor=\"end\" fill=\"#444\">k (number of clusters)</text>\n"
            out += "<line x1=\"\(fmt(px(Double(recommended))))\" x2=\"\(fmt(px(Double(recommended))))\" y1=\"\(fmt(y0))\" y2=\"\(fmt(y0 + plotH))\" stroke=\"#c0392b\" stroke-dasharray=\"4 3\"/>\n"
            let points = panel.1.map { "\(fmt(px(Double($0.0)))),\(fmt(py($0.1)))" }.joined(separator: " ")
            out += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"#2c6fbb\" stroke-width=\"2\"/>\n"
            for (k, v) in panel.1 {
                let mark = k == recommended && panel.2
                out += "<circle cx=\"\(fmt(px(Double(k))))\" cy=\"\(fmt(py(v)))\" r=\"\(mark ? 6 : 3.5)\" fill=\"\(mark ? "#c0392b" : "#2c6fbb")\"><title>k=\(k): \(tick(v))</title></circle>\n"
            }
        }
        return out + "</svg>\n"
    }

    /// Diverging colour for a z value clipped at ±2: blue (low), white (0), red (high).
    static func colour(_ z: Double) -> String {
        let t = max(-1, min(1, z / 2))
        let (r, g, b): (Double, Double, Double) = t >= 0
            ? (255, 255 - t * (255 - 60), 255 - t * (255 - 50))
            : (255 + t * (255 - 40), 255 + t * (255 - 110), 255 + t * (255 - 190))
        return String(format: "#%02x%02x%02x", Int(r.rounded()), Int(g.rounded()), Int(b.rounded()))
    }

    static func heatmap(title: String, subtitle: String, rowLabels: [String], columnLabels: [String], values: [[Double]], cellText: [[String]]) -> String {
        let cellW = 78.0, cellH = 34.0
        let labelW = Double(max(140, (rowLabels.map(\.count).max() ?? 10) * 7 + 16))
        let headerH = Double(max(60, min(160, (columnLabels.map(\.count).max() ?? 8) * 6 + 20)))
        let top = 56.0
        // Rotated column labels run up and to the right of their column: leave room after the last.
        let longest = Double(columnLabels.map(\.count).max() ?? 0)
        let width = max(labelW + cellW * Double(columnLabels.count) + max(20, longest * 5.5 - cellW / 2), 520)
        let height = top + headerH + cellH * Double(rowLabels.count) + 70
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="10" y="22" font-size="15" font-weight="bold">\(escape(title))</text>
        <text x="10" y="42" fill="#444">\(escape(subtitle))</text>

        """
        let gridTop = top + headerH
        for (j, name) in columnLabels.enumerated() {
            let x = labelW + cellW * (Double(j) + 0.5)
            out += "<text transform=\"translate(\(fmt(x)),\(fmt(gridTop - 8))) rotate(-40)\" font-weight=\"bold\">\(escape(name))</text>\n"
        }
        for (i, label) in rowLabels.enumerated() {
            let y = gridTop + cellH * Double(i)
            out += "<text x=\"\(fmt(labelW - 8))\" y=\"\(fmt(y + cellH / 2 + 4))\" text-anchor=\"end\" font-weight=\"bold\">\(escape(label))</text>\n"
            for j in columnLabels.indices {
                let z = values[i][j]
                let x = labelW + cellW * Double(j)
                out += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(cellW - 2))\" height=\"\(fmt(cellH - 2))\" fill=\"\(colour(z))\"><title>\(escape(label)) · \(escape(columnLabels[j])): mean \(escape(cellText[i][j])), \(String(format: "%+.2f", z)) SD</title></rect>\n"
                out += "<text x=\"\(fmt(x + cellW / 2 - 1))\" y=\"\(fmt(y + cellH / 2 - 1))\" text-anchor=\"middle\" font-size=\"11\">\(escape(cellText[i][j]))</text>\n"
                out += "<text x=\"\(fmt(x + cellW / 2 - 1))\" y=\"\(fmt(y + cellH / 2 + 11))\" text-anchor=\"middle\" font-size=\"9\" fill=\"#333\">\(String(format: "%+.1f", z)) SD</text>\n"
            }
        }
        // Legend.
        let ly = gridTop + cellH * Double(rowLabels.count) + 24
        out += "<text x=\"10\" y=\"\(fmt(ly + 12))\">below overall mean</text>\n"
        for s in 0..<9 {
            let z = -2 + Double(s) * 0.5
            out += "<rect x=\"\(fmt(140 + Double(s) * 28))\" y=\"\(fmt(ly))\" width=\"28\" height=\"16\" fill=\"\(colour(z))\" stroke=\"#ccc\"/>\n"
            if s % 2 == 0 { out += "<text x=\"\(fmt(154 + Double(s) * 28))\" y=\"\(fmt(ly + 30))\" text-anchor=\"middle\" font-size=\"10\">\(String(format: "%+.0f", z))</text>\n" }
        }
        out += "<text x=\"\(fmt(140 + 9 * 28 + 8))\" y=\"\(fmt(ly + 12))\">above (SD)</text>\n"
        return out + "</svg>\n"
    }
}
