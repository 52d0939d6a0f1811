/// The closest known name to a misspelt one, by Levenshtein distance, for "did you
/// mean" hints.
public enum EditDistance {
    /// The edit distance between two strings (insertions, deletions, substitutions), on
    /// at most 64 scalars of each so hostile input stays cheap.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars.prefix(64))
        let y = Array(b.unicodeScalars.prefix(64))
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// The candidate closest to `name`, if one is close enough to be a likely typo
    /// (distance at most a third of the name's length, and at least 2 allowed).
    public static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        let limit = max(2, name.unicodeScalars.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(name.lowercased(), candidate.lowercased())
            if d <= limit, d < (best?.1 ?? .max) { best = (candidate, d) }
        }
        return best?.0
    }
}
