/// Short human durations for status lines: `42s`, `12m5s`, `3h58m`, `2d4h`: the two
/// largest units, so a line stays short and still says roughly when.
enum DurationText {
    static func format(seconds: Int) -> String {
        let seconds = max(0, seconds)
        let units: [(Int, String)] = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")]
        guard let first = units.firstIndex(where: { seconds >= $0.0 }) else { return "0s" }
        let (size, name) = units[first]
        var text = "\(seconds / size)\(name)"
        if first + 1 < units.count {
            let (nextSize, nextName) = units[first + 1]
            let rest = (seconds % size) / nextSize
            if rest > 0 { text += "\(rest)\(nextName)" }
        }
        return text
    }
}
