import Foundation
import GRDB
import Synchronization

/// What one ``StoreWriter`` write changed, as its observers see it (inside the write's transaction).
public enum StoreWriteChange: Sendable, Hashable {
    /// `insertBlocks` stored these blocks (only the rows actually inserted; blocks already stored
    /// with the same hash are left out), in the order given.
    case blocksInserted([NewBlock])
    /// `replaceBlocks` removed these orphaned blocks (lowest first) and stored `inserted` (the new
    /// canonical branch, only the rows actually inserted).
    case blocksReplaced(removed: [RemovedBlock], inserted: [NewBlock])
    /// `attributeBlocks` gave these stored blocks an author (only blocks that gained one).
    case blocksAttributed([BlockAttribution])
    /// `markFinalized` finalized blocks (only sent when at least one block became final).
    case finalized(FinalizationChange)
    /// `storeCommittee` stored an epoch's committee (only sent when it was new).
    case committeeStored(NewCommittee)
    /// `recordRegistrationStatus` recorded a change of a validator's registration status.
    case registrationChanged(RegistrationStatusChange)
    /// The sync status row was updated (`updateSyncStatus`, or `insertBlocks` with a status).
    case syncStatusUpdated(SyncStatusUpdate)
}

/// A recorded change of one validator's registration status.
public struct RegistrationStatusChange: Sendable, Hashable {
    /// The validator's sidechain key, as the caller gave it.
    public var sidechainKey: String
    /// The status recorded before (`nil` when this is the first one).
    public var oldStatus: String?
    /// The reason recorded with the old status.
    public var oldReason: String?
    /// The new status.
    public var newStatus: String
    /// The reason recorded with the new status.
    public var newReason: String?
    /// The mainchain epoch it was observed in, when known.
    public var mainchainEpoch: UInt64?
    /// When it was observed (Unix ms).
    public var observedAtMs: UInt64

    /// Creates a value.
    public init(
        sidechainKey: String, oldStatus: String?, oldReason: String?, newStatus: String, newReason: String?,
        mainchainEpoch: UInt64?, observedAtMs: UInt64
    ) {
        self.sidechainKey = sidechainKey
        self.oldStatus = oldStatus
        self.oldReason = oldReason
        self.newStatus = newStatus
        self.newReason = newReason
        self.mainchainEpoch = mainchainEpoch
        self.observedAtMs = observedAtMs
    }
}

/// Something that derives data from ``StoreWriter`` writes in the same transaction (for example
/// webhook events written to an outbox), so that it commits or rolls back with the write.
public protocol StoreWriteObserver: Sendable {
    /// Called inside the write transaction, after the write's own statements, with the
    /// transaction's connection. Throwing rolls the whole write back (the writer's caller gets
    /// the error). Must not start or end transactions.
    func storeDidWrite(_ change: StoreWriteChange, in db: Database) throws
}

/// The observers registered on one writer.
final class StoreWriteObservers: Sendable {
    private let list = Mutex<[any StoreWriteObserver]>([])

    func add(_ observer: any StoreWriteObserver) {
        list.withLock { $0.append(observer) }
    }

    /// Whether anybody listens (writes skip building change values when nobody does).
    var isEmpty: Bool { list.withLock { $0.isEmpty } }

    func notify(_ change: @autoclosure () -> StoreWriteChange, in db: Database) throws {
        let observers = list.withLock { $0 }
        guard !observers.isEmpty else { return }
        let value = change()
        for observer in observers { try observer.storeDidWrite(value, in: db) }
    }
}

extension StoreWriter {
    /// Registers an observer called inside every later write transaction (see
    /// ``StoreWriteObserver``). Observers are called in registration order.
    public func addObserver(_ observer: any StoreWriteObserver) {
        observers.add(observer)
    }

    /// The writer's connection, for components that keep their own tables in the MVM database
    /// and must share its single writer (the webhook outbox and its dispatcher). Writes through
    /// it do not reach the observers.
    public var databaseWriter: any DatabaseWriter { queue }

    /// Runs `body` in one IMMEDIATE write transaction on the writer's connection (any error rolls
    /// it back and is rethrown as a ``StoreError`` naming `operation` and the file). Observers are
    /// not called: this is for components writing their own tables.
    public func write<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        try transaction(operation, body)
    }
}
