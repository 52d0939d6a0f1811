import Foundation
import IKECertificates
import IKECore
import IKECrypto
import NIOPosix

/// Carries out the engine's sign, validate, address and EAP effects off the packet path:
/// signing on a thread pool, certificate validation and EAP (``EAPBackend``) as tasks,
/// each answer handed back to the engine's loop by the caller's closure; addresses from
/// the daemon's pools on the thread pool too.
struct EffectCompleter: Sendable {
    let signer: LocalSigner
    let validator: CertificateValidator?
    let threadPool: NIOThreadPool
    let pools: AddressPools
    let eap: EAPBackend

    func complete(_ effect: IKEEffect, answer: @escaping @Sendable (IKECompletion) -> Void) {
        switch effect {
        case .sign(let request):
            let signer = signer
            threadPool.submit { state in
                guard state == .active else {
                    return answer(.signed(request.id, .failure(IKECompletionFailure("the daemon is shutting down"))))
                }
                var random = SystemRandomSource()
                answer(signer.sign(request, random: &random))
            }
        case .validateCertificates(let request):
            guard let validator else {
                return answer(.certificatesValidated(request.id, .failure(IKECompletionFailure(
                    "no trusted CA configured; add the CA certificate to cacerts (swanctl x509ca/)"))))
            }
            Task {
                answer(await validator.complete(request, at: Date()))
            }
        case .assignAddresses(let request):
            // On the thread pool: a lease database writes to disk.
            let pools = pools
            let framed = eap.takeFramedAddress(localSPI: request.id.localSPI)
            threadPool.submit { _ in answer(.addressesAssigned(request.id, pools.assign(request, framedAddress: framed))) }
        case .releaseAddresses(let addresses):
            pools.release(addresses)
        case .eap(let request):
            let eap = eap
            Task {
                answer(await eap.answer(request))
            }
        case .installChildSA, .removeChildSA, .updateChildSA, .addVirtualIPs, .removeVirtualIPs:
            break
        }
    }
}
