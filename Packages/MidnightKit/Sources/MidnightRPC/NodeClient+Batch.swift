import Foundation

/// What the client has learnt about the node's batch support.
struct BatchState: Sendable {
    /// Largest batch sent next (starts at ``NodeClientConfiguration/maxBatchSize``).
    var limit: Int
    /// Batches are off on this node: everything goes as single calls.
    var disabled = false
}

extension NodeClient {
    /// The batch size the client currently uses (`nil` once it found batches disabled).
    public var currentBatchLimit: Int? {
        batchState.withLock { $0.disabled ? nil : $0.limit }
    }

    /// Sends `calls` in as few POSTs as the node allows and returns one result per call, in the
    /// order of `calls` (responses are matched by id, whatever order the node answers in).
    ///
    /// Per-call JSON-RPC errors are returned per item. When the node limits batch size (HTTP 413,
    /// jsonrpsee -32010) or disables batches (-32005, or any non-array answer to a batch), the
    /// client splits the work into smaller batches or single calls and remembers the size that
    /// works. Whole-POST transient failures are retried per ``RetryPolicy``.
    ///
    /// - Throws: ``NodeRPCError`` when a POST fails for good, or `CancellationError`.
    public func batch(_ calls: [RPCCall]) async throws -> [Result<JSONValue, NodeRPCError>] {
        var results = [Result<JSONValue, NodeRPCError>?](repeating: nil, count: calls.count)
        var pending = Array(calls.indices)
        while !pending.isEmpty {
            let state = batchState.withLock { $0 }
            if state.disabled || state.limit <= 1 || pending.count == 1 {
                for index in pending {
                    results[index] = try await singleResult(calls[index])
                }
                pending = []
                break
            }
            let chunk = Array(pending.prefix(state.limit))
            let started = ContinuousClock.now
            let outcome = try await sendChunk(chunk.map { calls[$0] })
            // Each item gets an equal share of the POST's wall time.
            let share = (ContinuousClock.now - started).milliseconds / 1000 / Double(chunk.count)
            switch outcome {
            case .rejected(let hint, let reason):
                lowerBatchLimit(from: chunk.count, hint: hint, reason: reason)
            case .answered(let outcomes):
                var rejectedItems: [Int] = []
                var missing: [Int] = []
                for (position, index) in chunk.enumerated() {
                    guard let outcome = outcomes[position] else {
                        missing.append(index)
                        continue
                    }
                    if case .error(let code, _, _) = outcome,
                        code == JSONRPCErrorCode.batchTooLarge || code == JSONRPCErrorCode.batchesNotSupported
                    {
                        rejectedItems.append(index)
                        continue
                    }
                    let method = calls[index].method
                    do {
                        results[index] = .success(try outcomeValue(outcome, method: method))
                        statistics.record(method: method, failed: false, seconds: share)
                    } catch let error as NodeRPCError {
                        results[index] = .failure(error)
                        statistics.record(method: method, failed: true, seconds: share)
                    }
                }
                if !rejectedItems.isEmpty {
                    lowerBatchLimit(from: chunk.count, hint: nil, reason: "items rejected as batch too large / batches disabled")
                }
                for index in missing {
                    logger.debug("batch response left out \(calls[index].method); asking again on its own")
                    results[index] = try await singleResult(calls[index])
                }
                let done = Set(chunk).subtracting(rejectedItems)
                pending.removeAll { done.contains($0) }
            }
        }
        return results.enumerated().map { index, result in
            result ?? .failure(NodeRPCError(.missingFromBatch, url: url, method: calls[index].method))
        }
    }

    /// Batched calls that all must succeed; results in the order of `calls`.
    ///
    /// - Throws: the first per-item ``NodeRPCError``, or any error of ``batch(_:)``.
    public func batchValues(_ calls: [RPCCall]) async throws -> [JSONValue] {
        try await batch(calls).map { try $0.get() }
    }

    /// One call on its own; per-call errors become the item's result, cancellation propagates.
    private func singleResult(_ call: RPCCall) async throws -> Result<JSONValue, NodeRPCError> {
        do {
            return .success(try await self.call(call.method, call.params))
        } catch let error as NodeRPCError {
            return .failure(error)
        }
    }

    private func lowerBatchLimit(from size: Int, hint: Int?, reason: String) {
        let newLimit = batchState.withLock { state -> Int in
            var proposed = size / 2
            if let hint, hint >= 1, hint < size { proposed = hint }
            state.limit = min(state.limit, max(1, proposed))
            if state.limit <= 1 { state.disabled = true }
            return state.disabled ? 0 : state.limit
        }
        if newLimit == 0 {
            logger.notice("node at \(url) does not accept batches (\(reason)); using single calls from now on")
        } else {
            logger.notice("node at \(url) rejected a batch of \(size) (\(reason)); using batches of \(newLimit)")
        }
    }

    enum ChunkOutcome: Sendable {
        /// The node refused the batch as a whole.
        case rejected(limitHint: Int?, reason: String)
        /// Outcomes by position in the chunk; `nil` where the node left an item out.
        case answered([WireResponse.Outcome?])
    }

    private func sendChunk(_ calls: [RPCCall]) async throws -> ChunkOutcome {
        let label = "batch of \(calls.count) (\(calls.first?.method ?? "")…)"
        do {
            return try await withRetries(method: label, countRetriesAs: calls.map(\.method)) {
                try await attemptChunk(calls, label: label)
            }
        } catch let error as NodeRPCError where error.httpStatus == 413 {
            return .rejected(limitHint: nil, reason: "HTTP 413")
        }
    }

    private func attemptChunk(_ calls: [RPCCall], label: String) async throws -> ChunkOutcome {
        let ids = calls.map { _ in makeID() }
        let requests = zip(ids, calls).map { WireRequest(id: $0, method: $1.method, params: $1.params) }
        let body = try JSONEncoder().encode(requests)
        let data: Data
        do {
            data = try await post(body, method: label)
        } catch let error as NodeRPCError where error.httpStatus == 413 {
            return .rejected(limitHint: nil, reason: "HTTP 413")
        }
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(data)
        } catch {
            throw NodeRPCError(.malformedResponse(detail: "not JSON", bodyExcerpt: bodyExcerpt(data)), url: url, method: label, cause: error)
        }
        switch parsed {
        case .array(let items):
            var byID: [UInt64: WireResponse.Outcome] = [:]
            for item in items {
                if let response = WireResponse(item), let id = response.id { byID[id] = response.outcome }
            }
            return .answered(ids.map { byID[$0] })
        case .object:
            // A single object answering a batch is the node refusing batches (jsonrpsee replies
            // -32005 when disabled and -32010 when over the limit, with id null).
            if let response = WireResponse(parsed), case .error(let code, let message, let data) = response.outcome {
                let hint = Self.limitHint(message: message, data: data)
                let reason = "JSON-RPC error \(code): \(message)"
                if code == JSONRPCErrorCode.batchesNotSupported {
                    return .rejected(limitHint: 1, reason: reason)
                }
                return .rejected(limitHint: hint, reason: reason)
            }
            throw NodeRPCError(
                .malformedResponse(detail: "a single object answered a batch", bodyExcerpt: bodyExcerpt(data)), url: url, method: label)
        default:
            throw NodeRPCError(
                .malformedResponse(detail: "batch answer is not an array", bodyExcerpt: bodyExcerpt(data)), url: url, method: label)
        }
    }

    /// The limit a "batch too large" error states ("Exceeded max limit of 10"), if any.
    static func limitHint(message: String, data: JSONValue?) -> Int? {
        if let number = data?.int64Value { return Int(number) }
        let text = (data?.stringValue ?? "") + " " + message
        let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return numbers.last
    }
}
