import Foundation
import GRDB

/// Leases in an SQLite file through GRDB (`cygnet { lease_database = PATH }`): one row per
/// leased address, so every identity finds its address again after a restart.
final class SQLiteLeaseStore: LeaseStore {
    private let queue: DatabaseQueue

    init(path: String) throws {
        queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS leases (
                        pool TEXT NOT NULL, address BLOB NOT NULL, identity TEXT NOT NULL, PRIMARY KEY (pool, address))
                    """)
        }
    }

    func load() throws -> [StoredLease] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT pool, address, identity FROM leases").map { row in
                let address: Data = row["address"]
                return StoredLease(pool: row["pool"], address: [UInt8](address), identity: row["identity"])
            }
        }
    }

    func save(_ lease: StoredLease) throws {
        try queue.write { db in
            // One address per identity and pool: a reassigned address leaves its old holder.
            try db.execute(
                sql: "DELETE FROM leases WHERE pool = ? AND identity = ?", arguments: [lease.pool, lease.identity])
            try db.execute(
                sql: "INSERT OR REPLACE INTO leases (pool, address, identity) VALUES (?, ?, ?)",
                arguments: [lease.pool, Data(lease.address), lease.identity])
        }
    }
}
