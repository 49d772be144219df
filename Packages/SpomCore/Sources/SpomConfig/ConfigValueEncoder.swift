/// Encodes an `Encodable` value into a ``ConfigValue`` tree.
///
/// Used instead of TOMLKit's encoder, which drops a `UInt32` written first in a table and traps
/// on `UInt64` values above `Int.max`. `nil` optionals are omitted, as in TOML.
struct ConfigValueEncoder {
    func encode<T: Encodable>(_ value: T) throws -> ConfigValue {
        let root = Node()
        try value.encode(to: TreeEncoder(node: root, codingPath: []))
        return root.value ?? .emptyTable
    }
}

/// A mutable slot in the tree being built. Encoding is single-threaded and local.
private final class Node {
    enum Content {
        case empty
        case scalar(ConfigValue)
        case table([(String, Node)])
        case array([Node])
    }
    var content = Content.empty

    var value: ConfigValue? {
        switch content {
        case .empty: return nil
        case .scalar(let value): return value
        case .table(let entries):
            var result: [String: ConfigValue] = [:]
            for (key, node) in entries { if let value = node.value { result[key] = value } }
            return .table(result)
        case .array(let nodes): return .array(nodes.compactMap(\.value))
        }
    }

    func child(_ key: String) -> Node {
        var entries: [(String, Node)] = []
        if case .table(let existing) = content { entries = existing }
        if let found = entries.first(where: { $0.0 == key }) { return found.1 }
        let node = Node()
        entries.append((key, node))
        content = .table(entries)
        return node
    }

    func append() -> Node {
        var nodes: [Node] = []
        if case .array(let existing) = content { nodes = existing }
        let node = Node()
        nodes.append(node)
        content = .array(nodes)
        return node
    }

    func makeTable() { if case .table = content {} else { content = .table([]) } }
    func makeArray() { if case .array = content {} else { content = .array([]) } }
}

private struct EncodingIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ index: Int) {
        stringValue = "\(index)"
        intValue = index
    }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.init(intValue) }
}

private enum Scalars {
    static func value<T: Encodable>(_ value: T, _ path: [any CodingKey]) throws -> ConfigValue? {
        switch value {
        case let flag as Bool: return .bool(flag)
        case let text as String: return .string(text)
        case let number as Double: return .float(number)
        case let number as Float: return .float(Double(number))
        case let number as Int: return .integer(Int64(number))
        case let number as Int8: return .integer(Int64(number))
        case let number as Int16: return .integer(Int64(number))
        case let number as Int32: return .integer(Int64(number))
        case let number as Int64: return .integer(number)
        case let number as UInt: return try unsigned(UInt64(number), path)
        case let number as UInt8: return .integer(Int64(number))
        case let number as UInt16: return .integer(Int64(number))
        case let number as UInt32: return .integer(Int64(number))
        case let number as UInt64: return try unsigned(number, path)
        default: return nil
        }
    }

    static func unsigned(_ number: UInt64, _ path: [any CodingKey]) throws -> ConfigValue {
        guard let signed = Int64(exactly: number) else {
            throw EncodingError.invalidValue(
                number, .init(codingPath: path, debugDescription: "\(number) does not fit a TOML integer"))
        }
        return .integer(signed)
    }

    static func encode<T: Encodable>(_ value: T, into node: Node, _ path: [any CodingKey]) throws {
        if let scalar = try Scalars.value(value, path) {
            node.content = .scalar(scalar)
        } else {
            try value.encode(to: TreeEncoder(node: node, codingPath: path))
        }
    }
}

private struct TreeEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeTable()
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(node: node, codingPath: codingPath)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {}

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try Scalars.encode(value, into: node.child(key.stringValue), codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        TreeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        TreeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { TreeEncoder(node: node.child("super"), codingPath: codingPath) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array(let nodes) = node.content { return nodes.count }
        return 0
    }

    mutating func encodeNil() throws {}

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = codingPath + [EncodingIndexKey(count)]
        try Scalars.encode(value, into: node.append(), path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath + [EncodingIndexKey(count)]
        return TreeEncoder(node: node.append(), codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath + [EncodingIndexKey(count)]
        return TreeEncoder(node: node.append(), codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let path = codingPath + [EncodingIndexKey(count)]
        return TreeEncoder(node: node.append(), codingPath: path)
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws {}

    mutating func encode<T: Encodable>(_ value: T) throws {
        try Scalars.encode(value, into: node, codingPath)
    }
}
