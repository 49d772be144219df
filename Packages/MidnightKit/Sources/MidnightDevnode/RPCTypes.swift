/// A JSON-RPC error as Substrate (jsonrpsee) sends it.
struct RPCError: Error, Sendable, Equatable {
    let code: Int
    let message: String
    /// Raw JSON for the optional `data` member.
    let data: String?

    init(code: Int, message: String, data: String? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    static let parseError = RPCError(code: -32700, message: "Parse error")
    static let invalidRequest = RPCError(code: -32600, message: "Invalid request")
    static let methodNotFound = RPCError(code: -32601, message: "Method not found")
    static func invalidParams(_ why: String) -> RPCError {
        RPCError(code: -32602, message: "Invalid params", data: JSONText.quoted(why))
    }
    static let unsafe = RPCError(code: -32601, message: "RPC call is unsafe to be called externally")
    static let batchesDisabled = RPCError(code: -32005, message: "Batched requests are not supported by this server")
    static func batchTooLarge(limit: Int) -> RPCError {
        RPCError(code: -32010, message: "The batch request was too large", data: JSONText.quoted("Exceeded max limit of \(limit)"))
    }
    /// `state_call` at a block whose state was pruned (sc-rpc state error `BASE_ERROR + 3`).
    static func stateDiscarded(_ hashHex: String) -> RPCError {
        RPCError(code: 4003, message: "Client error: UnknownBlock: State already discarded for \(hashHex)")
    }
    static func unknownBlock(_ hashHex: String) -> RPCError {
        RPCError(code: 4003, message: "Client error: UnknownBlock: Header was not found in the database: \(hashHex)")
    }

    func append(to out: inout [UInt8]) {
        out += Array(#"{"code":"#.utf8)
        JSONText.appendInt(code, to: &out)
        out += Array(#","message":"#.utf8)
        JSONText.appendString(message, to: &out)
        if let data {
            out += Array(#","data":"#.utf8)
            out += Array(data.utf8)
        }
        out.append(UInt8(ascii: "}"))
    }
}

/// The outcome of one call: raw result JSON or an error.
typealias RPCOutcome = Result<[UInt8], RPCError>

/// One decoded request of a (possibly batched) body.
struct RPCRequest: Sendable {
    let id: JSONValue
    let method: String
    let params: [JSONValue]
    let namedParams: [String: JSONValue]?

    /// Decodes a request object; `nil` when the value is not a request.
    init?(_ value: JSONValue) {
        guard case .object(let o) = value, case .string(let m)? = o["method"] else { return nil }
        id = o["id"] ?? .null
        method = m
        switch o["params"] {
        case .array(let a)?: params = a; namedParams = nil
        case .object(let named)?: params = []; namedParams = named
        default: params = []; namedParams = nil
        }
    }

    init(id: JSONValue, method: String, params: [JSONValue]) {
        self.id = id
        self.method = method
        self.params = params
        self.namedParams = nil
    }

    /// The parameter at `index`, or the named parameter `name` when params were an object.
    func param(_ index: Int, _ name: String) -> JSONValue? {
        if let namedParams { return namedParams[name].flatMap { $0.isNull ? nil : $0 } }
        guard index < params.count, !params[index].isNull else { return nil }
        return params[index]
    }

    /// The full response for `outcome`.
    static func response(id: JSONValue, outcome: RPCOutcome) -> [UInt8] {
        var out = [UInt8]()
        append(id: id, outcome: outcome, to: &out)
        return out
    }

    static func append(id: JSONValue, outcome: RPCOutcome, to out: inout [UInt8]) {
        out += Array(#"{"jsonrpc":"2.0","#.utf8)
        switch outcome {
        case .success(let result):
            out += Array(#""result":"#.utf8)
            out += result
        case .failure(let error):
            out += Array(#""error":"#.utf8)
            error.append(to: &out)
        }
        out += Array(#","id":"#.utf8)
        out += Array(id.jsonText.utf8)
        out.append(UInt8(ascii: "}"))
    }
}
