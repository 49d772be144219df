import SpomStore

extension StoreReader {
    /// Runs SQLite's `integrity_check` (or `quick_check`) through SpomStore; empty when sound.
    public func integrityCheck(quick: Bool = false) throws -> [String] {
        do {
            return try SQLiteStore.integrityCheck(database, path: path, quick: quick)
        } catch {
            throw StoreError.sqlite(operation: quick ? "quick_check" : "integrity_check", path: path, message: "\(error)")
        }
    }
}
