import EAPCore
import IKEConfig
import IKECore
import IKECrypto

/// What answers an engine's effects in `cygnet bench handshake`, at once and on the
/// benchmark's thread, so its CPU time counts with the engine's.
protocol HandshakeBenchmarkHost {
    /// The answer to `effect`, or `nil` when it needs none.
    mutating func complete(_ effect: IKEEffect) -> IKECompletion?
}

/// The PSK case: no effect needs an answer.
struct PSKBenchmarkHost: HandshakeBenchmarkHost {
    func complete(_ effect: IKEEffect) -> IKECompletion? { nil }
}

/// The gateway's host in the EAP case, as cygnetd's EAP backend and pools answer: one
/// EAPCore ``EAPAuthenticator`` (EAP-MSCHAPv2, RFC 2759) per IKE SA against the users'
/// passwords, dropped when its conversation ends, and virtual IPs leased from
/// ``BenchAddressPool``.
struct EAPGatewayBenchmarkHost: HandshakeBenchmarkHost {
    let passwords: [String: SecretBytes]
    /// The conversations under way, by the IKE SA's local SPI.
    private(set) var conversations: [UInt64: EAPAuthenticator] = [:]
    private(set) var pool = BenchAddressPool()
    private(set) var failures = 0

    init(passwords: [String: SecretBytes]) { self.passwords = passwords }

    mutating func complete(_ effect: IKEEffect) -> IKECompletion? {
        switch effect {
        case .eap(let request):
            return .eap(request.id, .success(authenticate(request)))
        case .assignAddresses(let request):
            return .addressesAssigned(request.id, pool.assign(request))
        case .releaseAddresses(let addresses):
            pool.release(addresses)
            return nil
        case .installChildSA, .removeChildSA, .updateChildSA, .sign, .validateCertificates, .addVirtualIPs, .removeVirtualIPs:
            return nil
        }
    }

    private mutating func authenticate(_ request: EAPExchangeRequest) -> EAPExchangeAnswer {
        let spi = request.id.localSPI
        var authenticator: EAPAuthenticator
        let step: EAPStep
        if let message = request.message {
            guard let current = conversations.removeValue(forKey: spi) else {
                failures += 1
                return .failed(message: nil)
            }
            authenticator = current
            step = authenticator.receive(encoded: message)
        } else {
            let passwords = passwords
            authenticator = EAPAuthenticator(
                methods: [.mschapv2], identity: request.eapIdentity.map { EAPIdentity($0) },
                credentials: { identity in identity.text.flatMap { passwords[$0] }.map { .password($0) } })
            step = .send(authenticator.start())
        }
        switch step {
        case .send(let packet):
            conversations[spi] = authenticator
            return .send(packet.encoded())
        case .success(let packet, let msk):
            return .succeeded(message: packet?.encoded(), msk: msk)
        case .failure(let packet, _):
            failures += 1
            return .failed(message: packet?.encoded())
        }
    }
}

/// A client's host in the EAP case: EAPCore's ``EAPPeer`` with its password.
struct EAPClientBenchmarkHost: HandshakeBenchmarkHost {
    private var peer: EAPPeer

    init(user: String, password: SecretBytes) {
        peer = EAPPeer(identity: EAPIdentity(user), credential: .password(password), methods: [.mschapv2])
    }

    mutating func complete(_ effect: IKEEffect) -> IKECompletion? {
        guard case .eap(let request) = effect else { return nil }
        guard let message = request.message else { return .eap(request.id, .success(.failed(message: nil))) }
        switch peer.receive(encoded: message) {
        case .send(let packet): return .eap(request.id, .success(.send(packet.encoded())))
        case .success(_, let msk): return .eap(request.id, .success(.succeeded(message: nil, msk: msk)))
        case .failure(let packet, _): return .eap(request.id, .success(.failed(message: packet?.encoded())))
        }
    }
}

/// The virtual IPs of the EAP case, in the manner of cygnetd's in-memory pools (which
/// live in the daemon): one address of 10.64.0.0/10 per EAP identity, online while an IKE
/// SA holds it, kept for the identity after.
struct BenchAddressPool {
    static let name = "bench"
    /// By identity: the address's offset in the pool and whether an SA holds it.
    private(set) var leases: [String: (offset: UInt32, online: Bool)] = [:]
    private var identityByOffset: [UInt32: String] = [:]
    private var nextUnused: UInt32 = 1

    var onlineCount: Int { leases.values.filter(\.online).count }

    mutating func assign(_ request: AddressAssignmentRequest) -> Result<AddressAssignment, IKECompletionFailure> {
        let identity = request.leaseIdentity
        let offset: UInt32
        if let lease = leases[identity] {
            offset = lease.offset
        } else {
            guard nextUnused < 1 << 22 else {
                return .failure(IKECompletionFailure(.addressPoolExhausted, "pool '\(Self.name)' exhausted"))
            }
            offset = nextUnused
            nextUnused += 1
            identityByOffset[offset] = identity
        }
        leases[identity] = (offset, true)
        return .success(AddressAssignment(addresses: [.init(address: Self.address(offset), pool: Self.name)]))
    }

    mutating func release(_ addresses: [AddressAssignment.Address]) {
        for address in addresses where address.address.count == 4 && address.address[0] == 10 {
            let offset = UInt32(address.address[1] & 0x3F) << 16 | UInt32(address.address[2]) << 8 | UInt32(address.address[3])
            if let identity = identityByOffset[offset] { leases[identity]?.online = false }
        }
    }

    static func address(_ offset: UInt32) -> [UInt8] {
        [10, 64 | UInt8(truncatingIfNeeded: offset >> 16), UInt8(truncatingIfNeeded: offset >> 8), UInt8(truncatingIfNeeded: offset)]
    }
}
