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
            }
            throw Self.apiError(for: error)
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
