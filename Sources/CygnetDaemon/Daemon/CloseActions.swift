import IKECore
import IKEConfig

/// swanctl's `dpd_action` and `close_action` (`restart`/`start`): what the daemon starts
/// again after an event of the engine, as strongSwan does.
///
/// - An established IKE SA that closes because the peer stopped answering (a liveness
///   check or any other request unanswered after every retransmission, RFC 7296 §2.4):
///   the connection is initiated again when one of its children has `dpd_action = start`.
/// - An established IKE SA the peer deleted: again when a child has `close_action = start`.
/// - A Child SA the peer deleted while the IKE SA stays (and that no rekey replaced):
///   that child is created again on the same IKE SA when it has `close_action = start`.
///
/// A handshake that fails is never retried (one attempt, `keyingtries = 1`), so a peer
/// that stays away costs one attempt per loss, not a loop.
enum CloseActions {
    enum Action: Hashable, Sendable {
        /// Initiate the connection (``IKEDaemon/up(_:)``).
        case initiate(connection: String)
        /// Create the child on the IKE SA of engine `shard` with this local SPI.
        case createChildSA(shard: Int, localSPI: UInt64, child: String)
    }

    /// What `event` on engine `shard` calls for, with the connections `connection(name)`
    /// looks up (only for the events that may call for something: every other event,
    /// drops included, costs nothing).
    static func actions(after event: IKEEvent, shard: Int, connection: (String) -> ConnectionConfiguration?) -> [Action] {
        switch event {
        case .ikeSAClosed(let name, _, let reason, wasEstablished: true):
            guard let connection = connection(name) else { return [] }
            let restarts = switch reason.code {
            case .peerUnreachable: connection.children.contains { $0.dpdAction == .start }
            case .deletedByPeer: connection.children.contains { $0.closeAction == .start }
            default: false
            }
            return restarts ? [.initiate(connection: name)] : []
        case .childSADeletedByPeer(let name, let localSPI, let child, _, _):
            guard connection(name)?.children.first(where: { $0.name == child })?.closeAction == .start
            else { return [] }
            return [.createChildSA(shard: shard, localSPI: localSPI, child: child)]
        case .ikeSAClosed, .ikeSAStarted, .ikeSAEstablished, .childSAInstalled, .childSAExpired, .childSAFailed, .ikeSARekeyed,
            .datagramDropped, .errorNotifyReceived, .negotiationRefused, .retransmitted, .cookieRequested,
            .halfOpenLimitReached, .addressesAssigned, .addressAssignmentFailed, .virtualIPsReceived, .ikeSAAddressesUpdated:
            return []
        }
    }
}
