/// An ordered set of themes with a current one; ``next()`` cycles (the dashboard's `t` key).
public struct ThemeCycle: Sendable, Equatable {
    /// The themes, in cycling order (never empty).
    public let themes: [Theme]
    /// The position of the current theme.
    public private(set) var index: Int

    /// Creates a cycle starting at the theme named `initial` (case-insensitive) or the first.
    ///
    /// - Returns: `nil` when `themes` is empty.
    public init?(_ themes: [Theme], initial: String? = nil) {
        guard !themes.isEmpty else { return nil }
        self.themes = themes
        self.index = initial.flatMap { name in themes.firstIndex { $0.name.lowercased() == name.lowercased() } } ?? 0
    }

    /// The current theme.
    public var current: Theme { themes[index] }

    /// Moves to the next theme (wrapping) and returns it.
    @discardableResult
    public mutating func next() -> Theme {
        index = (index + 1) % themes.count
        return current
    }

    /// Selects the theme named `name` (case-insensitive).
    ///
    /// - Returns: whether such a theme exists.
    @discardableResult
    public mutating func select(_ name: String) -> Bool {
        guard let found = themes.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else { return false }
        index = found
        return true
    }
}
