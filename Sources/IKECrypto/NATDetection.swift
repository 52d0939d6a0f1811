import Crypto
import IKEWire

/// The NAT_DETECTION_SOURCE_IP / NAT_DETECTION_DESTINATION_IP hashes (RFC 7296 §2.23):
/// `SHA-1(SPIi | SPIr | IP | Port)`, with the responder SPI zero in the first message.
public enum NATDetection {
    /// - Parameters:
    ///   - address: 4 or 16 address bytes, network order.
    public static func hash(initiatorSPI: UInt64, responderSPI: UInt64, address: [UInt8], port: UInt16) -> [UInt8] {
        var hasher = Insecure.SHA1()
        hasher.update(data: initiatorSPI.bigEndianBytes + responderSPI.bigEndianBytes + address + [UInt8(port >> 8), UInt8(port & 0xFF)])
        return Array(hasher.finalize())
    }
}
