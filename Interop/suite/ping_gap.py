#!/usr/bin/env python3
"""How long pings stopped across an event (an address move, a NAT rebinding).

    ping_gap.py PING_LOG COUNT EVENT_TIME [--within SECONDS]

PING_LOG is the output of `ping -D -n -c COUNT ...` (every reply line starts with its
arrival time, `[1700000000.123456] 64 bytes from ...: icmp_seq=N ... time=0.4 ms`);
EVENT_TIME is the moment of the event (seconds since the epoch). Prints one line: the
pings lost, the longest silence between two replies (and the icmp_seq range it spans),
and how long after the event the first reply to a request sent after it arrived.
Exit 1 when no request sent after the event was answered, or (with --within) when that
first reply came later than SECONDS after the event.
"""
import re
import sys

REPLY = re.compile(r"^\[(\d+\.\d+)\] .*icmp_seq=(\d+) .*time=([\d.]+) ms")


def main():
    log, count, event = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    within = float(sys.argv[sys.argv.index("--within") + 1]) if "--within" in sys.argv else None
    replies = {}
    with open(log) as lines:
        for line in lines:
            match = REPLY.match(line)
            if match:
                arrival, seq, rtt = float(match[1]), int(match[2]), float(match[3]) / 1000
                replies.setdefault(seq, (arrival, arrival - rtt))
    ordered = sorted(replies.items(), key=lambda item: item[1][0])
    gap, gap_seqs = 0.0, "-"
    for (seq_a, (t_a, _)), (seq_b, (t_b, _)) in zip(ordered, ordered[1:]):
        if t_b - t_a > gap:
            gap, gap_seqs = t_b - t_a, f"{seq_a}..{seq_b}"
    after = [arrival for arrival, sent in replies.values() if sent >= event]
    resume = min(after) - event if after else None
    print(f"{count - len(replies)} of {count} pings lost; longest silence {gap:.2f} s (icmp_seq {gap_seqs}); "
          + (f"first reply to a request sent after the event {resume:.2f} s after it" if after
             else "no request sent after the event was answered"))
    if resume is None or (within is not None and resume > within):
        sys.exit(1)


if __name__ == "__main__":
    main()
