import Foundation
import Logging
import MidnightChain
import MidnightRPC
import MidnightStore

/// Records the operator's validators' registration status over time: at start and whenever the
/// mainchain (Cardano) epoch changes, the status each one has in that epoch's Ariadne parameters
/// (`permissioned`, `registered`, `invalid` with the reasons, `not_registered`). The store keeps
/// changes only, so a status that holds for months is one row. Committee membership (seats per
/// sidechain epoch) comes with each epoch's committee (``EpochCommittees``).
struct RegistrationRecorder {
    let validators: [OurValidator]
    let retryInterval: Duration
    private(set) var recordedEpoch: UInt64?
    private var lastFailure: ContinuousClock.Instant?
    private var marked = false

    init(validators: [OurValidator], retryInterval: Duration) {
        self.validators = validators
        self.retryInterval = retryInterval
    }

    /// Marks our validators once, then records their status if the mainchain epoch changed since
    /// the last successful check. Failures are logged and retried after `retryInterval`; they
    /// never stop the sync.
    mutating func update(mainchainEpoch: UInt64, node: NodeClient, store: StoreWriter, logger: Logger) async {
        guard !validators.isEmpty else { return }
        if !marked {
            do {
                for v in validators {
                    try store.markOurs(sidechainKey: v.keys.sidechain, auraKey: v.keys.aura, grandpaKey: v.keys.grandpa, label: v.label)
                }
                marked = true
            } catch {
                logger.error("could not mark our validator(s) in the database: \(error)")
                return
            }
        }
        guard recordedEpoch != mainchainEpoch else { return }
        if let lastFailure, ContinuousClock.now - lastFailure < retryInterval { return }
        let params: AriadneParameters
        do {
            params = try await node.ariadneParameters(mainchainEpoch: mainchainEpoch)
        } catch {
            lastFailure = .now
            logger.warning("could not read the registrations of Cardano epoch \(mainchainEpoch) (\(error)); will retry")
            return
        }
        do {
            for v in validators {
                let status = RegistrationStatus.evaluate(sidechainKey: v.keys.sidechain, in: params)
                let changed = try store.recordRegistrationStatus(
                    sidechainKey: v.keys.sidechain, status: status.code, reason: Self.reason(status), mainchainEpoch: mainchainEpoch)
                if changed {
                    logger.info("validator \(v.keys.sidechain.prefix(12))…: registration \(status.label) (Cardano epoch \(mainchainEpoch))")
                }
            }
            recordedEpoch = mainchainEpoch
            lastFailure = nil
        } catch {
            lastFailure = .now
            logger.error("could not record the registration status: \(error)")
        }
    }

    static func reason(_ status: RegistrationStatus) -> String? {
        switch status {
        case .registeredInvalid(let reasons): return reasons
        case .unknown(let reason): return reason
        case .permissioned, .registeredValid, .notRegistered: return nil
        }
    }
}
