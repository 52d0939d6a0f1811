/// strongSwan's value syntaxes, as swanctl's `vici_config.c` parses them.
public enum SwanctlValue {
    /// A time: a whole number with an optional unit `s`, `m`, `h` or `d` (either case,
    /// spaces allowed before it), plain seconds without one: `4h`, `30m`, `10s`, `1d`,
    /// `3600` (`parse_time`). Nil for anything else or beyond `UInt32` seconds.
    public static func duration(_ text: String) -> Duration? {
        guard case let (number, unit)? = numberAndUnit(text) else { return nil }
        let multiplier: UInt64
        switch unit {
        case "": multiplier = 1
        case "s", "S": multiplier = 1
        case "m", "M": multiplier = 60
        case "h", "H": multiplier = 3600
        case "d", "D": multiplier = 86400
        default: return nil
        }
        let (seconds, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow, seconds <= UInt64(UInt32.max) else { return nil }
        return .seconds(Int64(seconds))
    }

    /// A byte count: a whole number with an optional `k`, `m` or `g` (either case) for
    /// 1024, 1024² and 1024³: `500M`, `1g`, `65536` (`parse_bytes`).
    public static func bytes(_ text: String) -> UInt64? {
        guard case let (number, unit)? = numberAndUnit(text) else { return nil }
        let multiplier: UInt64
        switch unit {
        case "": multiplier = 1
        case "k", "K": multiplier = 1 << 10
        case "m", "M": multiplier = 1 << 20
        case "g", "G": multiplier = 1 << 30
        default: return nil
        }
        let (value, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : value
    }

    /// A whole decimal number no larger than `maximum`.
    public static func unsigned(_ text: String, maximum: UInt64 = .max) -> UInt64? {
        guard !text.isEmpty, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
            let value = UInt64(text), value <= maximum
        else { return nil }
        return value
    }

    /// A Boolean as strongSwan spells it: `yes`, `true`, `enabled`, `1` or `no`, `false`,
    /// `disabled`, `0`, in any case (`parse_bool`).
    public static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "true", "enabled", "1": true
        case "no", "false", "disabled", "0": false
        default: nil
        }
    }

    /// The accepted spellings of a Boolean, for messages.
    public static let boolSpellings = "yes, no, true, false, enabled, disabled, 1 or 0"

    /// The items of a comma-separated list with blanks around them trimmed, each with its
    /// offset in `text` (in Unicode scalars). Empty items are kept (as empty strings) so the
    /// caller can report them.
    public static func list(_ text: String) -> [(item: String, offset: Int)] {
        var items: [(String, Int)] = []
        var current = String.UnicodeScalarView()
        var start = 0
        var offset = 0
        func flush() {
            var scalars = Array(current)
            var leading = 0
            while let first = scalars.first, first == " " || first == "\t" {
                scalars.removeFirst()
                leading += 1
            }
            while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            items.append((String(view), start + leading))
        }
        for scalar in text.unicodeScalars {
            if scalar == "," {
                flush()
                current = String.UnicodeScalarView()
                start = offset + 1
            } else {
                current.append(scalar)
            }
            offset += 1
        }
        flush()
        return items
    }

    /// Splits `12h` into 12 and `h`, allowing spaces between (strongSwan skips them).
    private static func numberAndUnit(_ text: String) -> (number: UInt64, unit: String)? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
        guard index > 0, index <= 19 else { return nil }
        var digits = String.UnicodeScalarView()
        digits.append(contentsOf: scalars[..<index])
        guard let number = UInt64(String(digits)) else { return nil }
        while index < scalars.count, scalars[index] == " " { index += 1 }
        var unit = String.UnicodeScalarView()
        unit.append(contentsOf: scalars[index...])
        return (number, String(unit))
    }
}
