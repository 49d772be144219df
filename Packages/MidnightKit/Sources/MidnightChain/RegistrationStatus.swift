/// Whether a validator may be selected into the committee, from the Ariadne parameters.
public enum RegistrationStatus: Equatable, Sendable {
    case permissioned
    case registeredValid
    case registeredInvalid(reasons: String)
    case notRegistered
    case unknown(reason: String)

    /// Evaluates the status of `sidechainKey`.
    ///
    /// A permissioned entry decides first (invalid if the entry is marked invalid). Among several
    /// registrations of one key, any valid one makes it valid; otherwise the last entry's reasons
    /// are shown. The order is deterministic (v1 depended on hash-map order).
    public static func evaluate(sidechainKey: String, in ariadne: AriadneParameters) -> RegistrationStatus {
        let key = KeyFormat.normalize(sidechainKey)
        if let p = ariadne.permissionedCandidates?.first(where: { $0.sidechainPublicKey == key }) {
            return p.isValid ? .permissioned : .registeredInvalid(reasons: p.invalidReasons ?? "permissioned entry invalid")
        }
        let mine = ariadne.allRegistrations.filter { $0.sidechainPubKey == key }
        if mine.contains(where: \.isValid) { return .registeredValid }
        if let last = mine.last { return .registeredInvalid(reasons: last.invalidReasons ?? "Unknown") }
        return .notRegistered
    }

    /// A stable machine-readable code: `permissioned`, `registered`, `invalid`, `not_registered`, `unknown`.
    public var code: String {
        switch self {
        case .permissioned: return "permissioned"
        case .registeredValid: return "registered"
        case .registeredInvalid: return "invalid"
        case .notRegistered: return "not_registered"
        case .unknown: return "unknown"
        }
    }

    /// The text operators see (v1's wording).
    public var label: String {
        switch self {
        case .permissioned: return "Permissioned candidate"
        case .registeredValid: return "Registered (valid)"
        case .registeredInvalid(let r): return "Registered but INVALID: \(r)"
        case .notRegistered: return "Not registered"
        case .unknown(let r): return "Unknown (\(r))"
        }
    }

    /// Whether the validator can be selected into the committee.
    public var isEligible: Bool { self == .permissioned || self == .registeredValid }
}
