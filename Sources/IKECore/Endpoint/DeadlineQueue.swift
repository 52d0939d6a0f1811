/// The earliest deadline of every IKE SA, in a binary min-heap, so that
/// ``IKEEngine/nextDeadline()`` and ``IKEEngine/handleTimeout(now:)`` cost O(log n) per
/// change instead of a scan of every SA.
///
/// Rescheduling pushes a new entry and leaves the old one behind; an entry is stale when
/// it no longer matches ``scheduled``. Stale entries are dropped when they reach the top
/// (after every change, so the top is always current) and all at once when they
/// outnumber the live ones.
struct DeadlineQueue: Sendable {
    struct Entry: Sendable {
        var deadline: IKEInstant
        var spi: UInt64
    }

    private var heap: [Entry] = []
    /// Each SA's current deadline.
    private(set) var scheduled: [UInt64: IKEInstant] = [:]

    /// The earliest current deadline.
    var earliest: IKEInstant? { heap.first?.deadline }

    /// Sets the deadline of `spi`; `nil` removes it.
    mutating func schedule(_ spi: UInt64, at deadline: IKEInstant?) {
        guard scheduled[spi] != deadline else { return }
        scheduled[spi] = deadline
        if let deadline { push(Entry(deadline: deadline, spi: spi)) }
        if heap.count > 2 * scheduled.count + 64 {
            heap = scheduled.map { Entry(deadline: $1, spi: $0) }
            for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
        }
        dropStaleTop()
    }

    /// The SAs whose deadline is at or before `now`, in SPI order (reproducible).
    func due(at now: IKEInstant) -> [UInt64] {
        // Every current entry at or before `now` is reachable from the top through
        // entries that are also at or before `now` (the heap order).
        var found: Set<UInt64> = []
        var stack = heap.isEmpty ? [] : [0]
        while let index = stack.popLast() {
            let entry = heap[index]
            guard entry.deadline <= now else { continue }
            if scheduled[entry.spi] == entry.deadline { found.insert(entry.spi) }
            for child in [2 * index + 1, 2 * index + 2] where child < heap.count { stack.append(child) }
        }
        return found.sorted()
    }

    private mutating func dropStaleTop() {
        while let top = heap.first, scheduled[top.spi] != top.deadline {
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                siftDown(0)
            }
        }
    }

    private mutating func push(_ entry: Entry) {
        heap.append(entry)
        var index = heap.count - 1
        while index > 0 {
            let parent = (index - 1) / 2
            guard heap[index].deadline < heap[parent].deadline else { break }
            heap.swapAt(index, parent)
            index = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var index = start
        while true {
            let left = 2 * index + 1
            let right = left + 1
            var smallest = index
            if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
            guard smallest != index else { return }
            heap.swapAt(index, smallest)
            index = smallest
        }
    }
}
