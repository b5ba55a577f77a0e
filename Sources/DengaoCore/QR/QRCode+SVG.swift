extension QRCode {
    /// A standalone SVG image of the symbol: `moduleSize` pixels per module in the width and height attributes, a
    /// viewBox in module units so it scales cleanly, a light background rectangle, and every dark module in one
    /// path with each horizontal run of dark modules as one rectangle. `quietZone` is the light border in modules;
    /// the standard asks for at least 4. Sizes below their minimum (1 and 0) are raised to it.
    public func svg(moduleSize: Int = 8, quietZone: Int = 4, darkColor: String = "#000", lightColor: String = "#fff")
        -> String
    {
        let border = max(0, quietZone)
        let side = size + 2 * border
        let pixels = side * max(1, moduleSize)
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                let start = x
                while x < size && isDark(x: x, y: y) { x += 1 }
                path += "M\(start + border) \(y + border)h\(x - start)v1h-\(x - start)z"
            }
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">
            <rect x="0" y="0" width="\(side)" height="\(side)" fill="\(Self.escapedAttribute(lightColor))"/>
            <path fill="\(Self.escapedAttribute(darkColor))" d="\(path)"/>
            </svg>

            """
    }

    /// Colours come from callers; escaping keeps a stray quote or ampersand from breaking the document.
    private static func escapedAttribute(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
