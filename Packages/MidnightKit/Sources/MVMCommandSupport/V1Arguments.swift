/// Rewrites v1 command lines that ArgumentParser cannot express directly, before parsing.
///
/// v1 declared `sync --finalized-only` as an optional boolean that needs a value
/// (`--finalized-only true`), while its README showed the bare flag. v2 accepts all forms:
/// `--finalized-only`, `--finalized-only true|false`, `--finalized-only=true|false`, and
/// `--no-finalized-only`.
public enum V1Arguments {
    /// The arguments with every v1-only spelling replaced by its v2 form.
    public static func normalize(_ arguments: [String]) -> [String] {
        var result: [String] = []
        result.reserveCapacity(arguments.count)
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                result.append(contentsOf: arguments[index...])
                break
            }
            if argument == "--finalized-only", index + 1 < arguments.count,
                let value = boolean(arguments[index + 1])
            {
                result.append(value ? "--finalized-only" : "--no-finalized-only")
                index += 2
                continue
            }
            if argument.hasPrefix("--finalized-only=") {
                let raw = String(argument.dropFirst("--finalized-only=".count))
                if let value = boolean(raw) {
                    result.append(value ? "--finalized-only" : "--no-finalized-only")
                    index += 1
                    continue
                }
            }
            result.append(argument)
            index += 1
        }
        return result
    }

    /// `true`/`false` as clap accepted them (case-insensitive), else nil.
    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true": true
        case "false": false
        default: nil
        }
    }
}
