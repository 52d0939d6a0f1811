import IKEConfig
import IKECrypto
import IKEWire

/// Lifetimes (swanctl.conf `rekey_time`, `reauth_time`, `over_time`, `rand_time`, and the
/// Child SA's `life_time`, `rekey_bytes`, `life_bytes`, `rekey_packets`,
/// `life_packets`): when an IKE SA is rekeyed, reauthenticated or expires, and when a
/// Child SA is rekeyed or deleted. ``IKELifetime`` and ``ChildLifetime`` hold the
/// settings and strongSwan's defaults; this file turns them into engine timers.
///
/// - Timers are armed at the end of the input that established the IKE SA or installed
///   the Child SA, with jitter drawn from the injected random source. A rekeyed IKE SA
///   and a rekeyed Child SA are new SAs with fresh timers; Child SAs moved to a rekeyed
///   IKE SA keep theirs.
/// - Either side rekeys when its own timer fires first (collisions are settled by the
///   rules of RFC 7296 §2.8.1 in `CreateChildSAExchange`). With a request of ours
///   outstanding (window size 1) the rekey waits ``lifetimeBusyRetry``; after a rekey has
///   started, it is tried again ``lifetimeRekeyRetry`` later if the SA is still there
///   (refused, or lost) — until the hard limit.
/// - Hard limits: an IKE SA still alive `over_time` after its rekey/reauth point closes
///   as ``IKECloseReason/Code/expired`` (a Delete goes to the peer when the window is
///   free, without waiting for the answer); a Child SA still alive at `life_time` (or
///   past `life_bytes`/`life_packets`) is removed from the data plane at once and a
///   Delete is sent when the window is free.
/// - Reauthentication is done by the original initiator only, break-before-make as
///   strongSwan's default (`make_before_break = no`): it deletes the IKE SA (closed as
///   ``IKECloseReason/Code/reauthenticated``) and initiates the connection again to the
///   same addresses, with the children the old SA carried. A
///   responder with `reauth_time` waits for the initiator and lets the SA expire at the
///   hard limit otherwise (strongSwan would reauthenticate actively unless the peer has
///   a virtual IP or used EAP; AUTH_LIFETIME of RFC 4478 is not sent yet).
extension IKEEngine {
    /// How long a rekey or reauthentication waits while a request of ours is outstanding.
    static var lifetimeBusyRetry: Duration { .seconds(1) }
    /// How long after starting a rekey it is started again if the SA was not replaced.
    static var lifetimeRekeyRetry: Duration { .seconds(15) }

    /// Arms the lifetime timers of SAs established, and Child SAs installed, during the
    /// input that just ran (``store(_:)`` lists them), in SPI order so the jitter drawn
    /// is reproducible.
    mutating func armLifetimes(now: IKEInstant) {
        guard !needsLifetimeTimers.isEmpty else { return }
        let spis = needsLifetimeTimers.sorted()
        needsLifetimeTimers.removeAll()
        var generator = RandomSourceGenerator(source: random)
        for spi in spis {
            guard var sa = sas[spi], case .established(var state) = sa.state else { continue }
            if sa.lifetime == nil {
                sa.establishedAt = now
                let lifetime = sa.peer.lifetime
                let rekey = lifetime.rekeyAfter(random: &generator)
                let reauth = lifetime.reauthAfter(random: &generator)
                sa.lifetime = IKESALifetimeState(
                    rekeyAt: rekey.map { now + $0 }, reauthAt: reauth.map { now + $0 },
                    expiresAt: lifetime.hardExpiry(rekeyAfter: rekey, reauthAfter: reauth).map { now + $0 })
            }
            for index in state.children.indices where state.children[index].lifetime == nil {
                let lifetime = sa.peer.children.first { $0.name == state.children[index].name }?.lifetime
                    ?? ChildLifetime(rekeyTime: .zero)
                state.children[index].lifetime = ChildSALifetimeState(
                    rekeyAt: lifetime.rekeyAfter(random: &generator).map { now + $0 },
                    expiresAt: lifetime.hardExpiry.map { now + $0 },
                    rekeyBytes: lifetime.rekeyBytesThreshold(random: &generator),
                    rekeyPackets: lifetime.rekeyPacketsThreshold(random: &generator),
                    lifeBytes: lifetime.lifeBytes > 0 ? lifetime.lifeBytes : nil,
                    lifePackets: lifetime.lifePackets > 0 ? lifetime.lifePackets : nil)
            }
            sa.state = .established(state)
            sas[spi] = sa
            deadlines.schedule(spi, at: sa.nextDeadline)
        }
        random = generator.source
    }

    /// The data plane's counters for one Child SA (``IKECommand/childSAUsage(localSPI:inboundSPI:bytes:packets:)``).
    mutating func handleChildSAUsage(
        _ sa: inout IKESA, inboundSPI: UInt32, bytes: UInt64, packets: UInt64, now: IKEInstant
    ) throws(IKECoreError) {
        guard case .established(var state) = sa.state,
            let index = state.children.firstIndex(where: { $0.inboundSPI == inboundSPI })
        else { throw IKECoreError(.unknownName, "no Child SA with inbound SPI \(HexText.string(inboundSPI))") }
        guard var lifetime = state.children[index].lifetime else { return }
        if let limit = lifetime.lifeBytes, bytes >= limit {
            expireChild(&sa, inboundSPI: inboundSPI, why: "\(bytes) bytes reached life_bytes \(limit)", now: now)
            return
        }
        if let limit = lifetime.lifePackets, packets >= limit {
            expireChild(&sa, inboundSPI: inboundSPI, why: "\(packets) packets reached life_packets \(limit)", now: now)
            return
        }
        let overBytes = lifetime.rekeyBytes.map { bytes >= $0 } ?? false
        let overPackets = lifetime.rekeyPackets.map { packets >= $0 } ?? false
        guard overBytes || overPackets, !lifetime.hasVolumeRekeyStarted else { return }
        lifetime.hasVolumeRekeyStarted = true
        lifetime.rekeyAt = now
        state.children[index].lifetime = lifetime
        sa.state = .established(state)
        handleLifetimes(&sa, now: now)
    }

    /// Acts on the lifetime timers of `sa` that are due at `now`; every timer that fired
    /// is cleared or moved to the future, so ``nextDeadline()`` never stays in the past.
    mutating func handleLifetimes(_ sa: inout IKESA, now: IKEInstant) {
        guard case .established(let state) = sa.state, var timers = sa.lifetime else { return }
        let name = sa.peer.name
        if let expiry = timers.expiresAt, expiry <= now {
            expire(&sa, now: now)
            return
        }
        // Child SAs past their hard limit go first: they must not carry traffic any longer.
        for child in state.children {
            guard let expiry = child.lifetime?.expiresAt, expiry <= now else { continue }
            expireChild(&sa, inboundSPI: child.inboundSPI, why: "life_time reached", now: now)
        }
        if sa.replacedBy != nil || sa.isReauthenticating {
            // Being replaced: only the hard limit still counts.
            timers.rekeyAt = nil
            timers.reauthAt = nil
            sa.lifetime = timers
            clearChildRekeys(&sa)
            return
        }
        if let reauth = timers.reauthAt, reauth <= now {
            timers.reauthAt = nil
            sa.lifetime = timers
            if sa.role == .initiator {
                if sa.outstanding == nil {
                    reauthenticate(&sa, now: now)
                    return
                }
                timers.reauthAt = now + Self.lifetimeBusyRetry
                sa.lifetime = timers
            }
            // A responder waits for the initiator; the hard limit closes the SA otherwise.
        }
        if let rekey = timers.rekeyAt, rekey <= now {
            if sa.outstanding == nil {
                timers.rekeyAt = now + Self.lifetimeRekeyRetry
                sa.lifetime = timers
                do {
                    try startIKERekey(&sa, now: now)
                } catch {
                    drop(.localFailure, "IKE SA \(HexText.string(sa.localSPI)) of '\(name)': rekey not started: \(error)")
                }
            } else {
                timers.rekeyAt = now + Self.lifetimeBusyRetry
                sa.lifetime = timers
            }
        }
        rekeyDueChildren(&sa, now: now)
    }

    /// Starts the rekey of the first Child SA that is due (the window holds one request);
    /// the others wait ``lifetimeBusyRetry``.
    private mutating func rekeyDueChildren(_ sa: inout IKESA, now: IKEInstant) {
        guard case .established(let state) = sa.state else { return }
        for child in state.children {
            guard let rekey = child.lifetime?.rekeyAt, rekey <= now else { continue }
            guard case .established(let current) = sa.state else { return }
            // Already replaced: the peer rekeyed it, or we are deleting it after our rekey.
            let isBeingReplaced = current.peerRekeys[child.inboundSPI] != nil
                || { if case .deleteChildSA(child.inboundSPI)? = current.pending { true } else { false } }()
            if isBeingReplaced {
                setChildRekey(&sa, inboundSPI: child.inboundSPI, to: nil)
                continue
            }
            guard sa.outstanding == nil,
                let config = sa.peer.children.first(where: { $0.name == child.name })
            else {
                setChildRekey(&sa, inboundSPI: child.inboundSPI, to: now + Self.lifetimeBusyRetry)
                continue
            }
            setChildRekey(&sa, inboundSPI: child.inboundSPI, to: now + Self.lifetimeRekeyRetry)
            guard case .established(let fresh) = sa.state,
                let latest = fresh.children.first(where: { $0.inboundSPI == child.inboundSPI })
            else { continue }
            do {
                try startCreateChildSA(&sa, config: config, rekeying: latest, now: now)
            } catch {
                drop(.localFailure, "Child SA '\(child.name)': rekey not started: \(error)")
            }
        }
    }

    private func setChildRekey(_ sa: inout IKESA, inboundSPI: UInt32, to deadline: IKEInstant?) {
        guard case .established(var state) = sa.state,
            let index = state.children.firstIndex(where: { $0.inboundSPI == inboundSPI })
        else { return }
        state.children[index].lifetime?.rekeyAt = deadline
        sa.state = .established(state)
    }

    private func clearChildRekeys(_ sa: inout IKESA) {
        guard case .established(var state) = sa.state else { return }
        for index in state.children.indices { state.children[index].lifetime?.rekeyAt = nil }
        sa.state = .established(state)
    }

    /// The hard limit of a Child SA: out of the data plane now, and a Delete to the peer
    /// (queued while the window is busy).
    mutating func expireChild(_ sa: inout IKESA, inboundSPI: UInt32, why: String, now: IKEInstant) {
        guard case .established(var state) = sa.state,
            let index = state.children.firstIndex(where: { $0.inboundSPI == inboundSPI })
        else { return }
        let child = state.children.remove(at: index)
        state.peerRekeys[inboundSPI] = nil
        sa.state = .established(state)
        effects.append(.removeChildSA(inboundSPI: child.inboundSPI, outboundSPI: child.outboundSPI))
        events.append(.childSAExpired(
            name: child.name, inboundSPI: child.inboundSPI, outboundSPI: child.outboundSPI,
            reason: "\(why) before a rekey replaced it; check that \(sa.remote) answers CREATE_CHILD_SA"))
        guard sa.outstanding == nil else {
            return enqueue(.deleteChildSA(inboundSPI: inboundSPI, isRemoved: true), on: &sa)
        }
        // The answer finds nothing left to remove.
        sendChildSADelete(&sa, inboundSPI: inboundSPI, now: now)
    }

    /// The hard limit of an IKE SA: a Delete to the peer when the window is free (not
    /// waited for), then closed as expired.
    private mutating func expire(_ sa: inout IKESA, now: IKEInstant) {
        sendFinalRequest(&sa, payloads: [.delete(DeletePayload(protocolID: .ike))])
        let why = sa.isReauthenticating || sa.replacedBy != nil ? "the replacement did not complete"
            : sa.role == .responder && sa.peer.lifetime.reauthTime > .zero && sa.peer.lifetime.rekeyTime == .zero
                ? "the initiator did not reauthenticate (reauth_time)" : "its rekey did not complete"
        close(
            &sa,
            IKECloseReason(
                .expired,
                "hard lifetime reached (over_time \(sa.peer.lifetime.overTime) after the rekey/reauth point): \(why); "
                    + "check that \(sa.remote) is reachable and accepts our proposals"))
    }

    /// Reauthentication by the original initiator: delete this SA, initiate afresh with
    /// the children the old SA carried (the connection's first when it carried none): the
    /// first in IKE_AUTH, the others with CREATE_CHILD_SA once the new SA stands.
    private mutating func reauthenticate(_ sa: inout IKESA, now: IKEInstant) {
        let carried = sa.state.children.compactMap { child in sa.peer.children.first { $0.name == child.name } }
        let children = carried.isEmpty ? Array(sa.peer.children.prefix(1)) : carried
        sa.isReauthenticating = true
        do {
            try startDelete(&sa, now: now)
        } catch {
            close(&sa, IKECloseReason(.reauthenticated, "reauthenticating; the Delete could not be sent: \(error)"))
        }
        do {
            try initiate(peer: sa.peer, local: sa.local, remote: sa.remote, children: children, now: now)
        } catch {
            drop(.localFailure, "reauthentication of '\(sa.peer.name)' not started: \(error)")
        }
    }
}

/// A `RandomNumberGenerator` over the engine's injected ``RandomSource``, for the
/// jitter ``IKELifetime`` and ``ChildLifetime`` draw.
struct RandomSourceGenerator<Source: RandomSource>: RandomNumberGenerator {
    var source: Source

    mutating func next() -> UInt64 {
        source.bytes(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}
