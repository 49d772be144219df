import Synchronization

/// Turns request bodies into response bodies: parsing, batches and their limits, and the
/// WebSocket-only subscription methods.
struct RPCProcessor: Sendable {
    let dispatcher: RPCDispatcher
    let hub: HeadHub
    let faults: FaultInjector

    /// A WebSocket connection's identity and outbound queue, for subscriptions.
    struct Connection: Sendable {
        let id: Int
        let sink: AsyncStream<OutboundMessage>.Continuation
    }

    /// The response body for `body`, or `nil` when nothing is to be sent.
    func process(_ body: [UInt8], connection: Connection?) -> [UInt8]? {
        let value: JSONValue
        do {
            value = try JSONParser.parse(body)
        } catch {
            return RPCRequest.response(id: .null, outcome: .failure(.parseError))
        }
        if case .array(let items) = value {
            let limit = faults.current.maxBatchSize
            if let limit {
                if limit == 0 { return RPCRequest.response(id: .null, outcome: .failure(.batchesDisabled)) }
                if items.count > limit { return RPCRequest.response(id: .null, outcome: .failure(.batchTooLarge(limit: limit))) }
            }
            if items.isEmpty { return RPCRequest.response(id: .null, outcome: .failure(.invalidRequest)) }
            var out = Array("[".utf8)
            out.reserveCapacity(items.count * 900)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                answer(item, connection: connection, into: &out)
            }
            out.append(UInt8(ascii: "]"))
            return out
        }
        var out = [UInt8]()
        answer(value, connection: connection, into: &out)
        return out
    }

    private func answer(_ item: JSONValue, connection: Connection?, into out: inout [UInt8]) {
        guard let request = RPCRequest(item) else {
            var id = JSONValue.null
            if case .object(let o) = item, let i = o["id"] { id = i }
            RPCRequest.append(id: id, outcome: .failure(.invalidRequest), to: &out)
            return
        }
        if let (kind, subscribe) = Self.subscriptionMethod(request.method) {
            guard let connection else {
                RPCRequest.append(id: request.id, outcome: .failure(.methodNotFound), to: &out)
                return
            }
            if subscribe {
                let id = hub.subscribe(kind: kind, connection: connection.id, sink: connection.sink)
                RPCRequest.append(id: request.id, outcome: .success(Array(JSONText.quoted(id).utf8)), to: &out)
                // Like Substrate, start the stream with the current head.
                let head = kind == .finalizedHeads ? dispatcher.chain.finalized : dispatcher.chain.best
                connection.sink.yield(.answer(out))
                out.removeAll()
                connection.sink.yield(.notification(HeadHub.notification(kind: kind, id: id, header: head.headerJSON)))
            } else {
                guard let id = request.param(0, "subscription")?.stringValue else {
                    RPCRequest.append(id: request.id, outcome: .failure(.invalidParams("missing subscription id")), to: &out)
                    return
                }
                let removed = hub.unsubscribe(id: id, connection: connection.id)
                RPCRequest.append(id: request.id, outcome: .success(Array((removed ? "true" : "false").utf8)), to: &out)
            }
            return
        }
        RPCRequest.append(id: request.id, outcome: dispatcher.call(request), to: &out)
    }

    /// `(kind, isSubscribe)` for a subscription method name.
    static func subscriptionMethod(_ name: String) -> (HeadKind, Bool)? {
        switch name {
        case "chain_subscribeNewHeads", "chain_subscribeNewHead", "subscribe_newHead": return (.newHeads, true)
        case "chain_unsubscribeNewHeads", "chain_unsubscribeNewHead", "unsubscribe_newHead": return (.newHeads, false)
        case "chain_subscribeFinalizedHeads", "chain_subscribeFinalisedHeads": return (.finalizedHeads, true)
        case "chain_unsubscribeFinalizedHeads", "chain_unsubscribeFinalisedHeads": return (.finalizedHeads, false)
        case "chain_subscribeAllHeads": return (.allHeads, true)
        case "chain_unsubscribeAllHeads": return (.allHeads, false)
        default: return nil
        }
    }
}
