import Foundation
import MidnightStore
import SpomHTTP
import Synchronization

/// The API's read-only view of the database: opened on first use, reopened after a failure, so
/// that the server starts (and answers 503) before the sync daemon has created the file.
final class DatabaseHandle: Sendable {
    let path: String
    let chain: String
    private let reader = Mutex<StoreReader?>(nil)
    /// The change probe of the current connection and how many times the connection was opened.
    private let probe = Mutex<(probe: StoreChangeProbe?, generation: Int64)>((nil, 0))

    init(path: String, chain: String) {
        self.path = path
        self.chain = chain
    }

    /// Runs `body` on the reader; store failures become ``APIError``s (503 when the database
    /// cannot be read, 400 for a rejected argument), never a 500 for bad input.
    func read<T>(_ body: (StoreReader) throws -> T) throws -> T {
        let current: StoreReader
        do {
            current = try reader.withLock { cached in
                if let cached { return cached }
                let opened = try MidnightDatabase.openReader(path: path, chain: chain)
                cached = opened
                return opened
            }
        } catch {
            throw Self.apiError(for: error)
        }
        do {
            return try body(current)
        } catch let error as APIError {
            throw error
        } catch {
            if case .sqlite = error as? StoreError {
                // Drop the connection so that the next request reopens the file.
                reader.withLock { $0 = nil }
                dropProbe()
            }
            throw Self.apiError(for: error)
        }
    }

    /// A number that changes whenever the database may have changed (another connection committed,
    /// or the connection was reopened) and only grows; nil when it cannot be read (then callers
    /// must not reuse anything derived from the database).
    func dataVersion() -> Int64? {
        probe.withLock { state -> Int64? in
            if state.probe == nil {
                guard let opened = try? MidnightDatabase.openChangeProbe(path: path) else { return nil }
                state = (opened, state.generation + 1)
            }
            guard let current = state.probe else { return nil }
            do {
                return state.generation << 40 | (try current.version() & 0xff_ffff_ffff)
            } catch {
                try? current.close()
                state.probe = nil
                return nil
            }
        }
    }

    /// Closes the change probe so that the next ``dataVersion()`` reopens it (a new generation).
    private func dropProbe() {
        probe.withLock { state in
            try? state.probe?.close()
            state.probe = nil
        }
    }

    /// Maps store errors to API errors; anything unexpected is rethrown as it is (logged, 500).
    static func apiError(for error: any Error) -> any Error {
        guard let store = error as? StoreError else { return error }
        switch store {
        case .databaseNotFound(let path):
            return APIError.unavailable("database \(path) not found or empty; is the sync daemon (mvm sync) running?", retryAfterSeconds: 10)
        case .invalidArgument(let name, _, let reason):
            return APIError.badParameter(name, reason)
        case .sqlite(let operation, let path, let message):
            return APIError.unavailable("database \(path) unreadable while \(operation): \(message)", retryAfterSeconds: 5)
        default:
            return APIError.unavailable(store.description)
        }
    }
}
