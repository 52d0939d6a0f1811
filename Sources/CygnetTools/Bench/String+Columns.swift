/// Column padding for the benchmark tables.
extension String {
    /// Left-aligned in `width` columns, with at least one space after.
    func padded(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    /// Right-aligned in `width` columns, with at least one space before.
    func leftPadded(to width: Int) -> String {
        count >= width ? " " + self : String(repeating: " ", count: width - count) + self
    }
}
