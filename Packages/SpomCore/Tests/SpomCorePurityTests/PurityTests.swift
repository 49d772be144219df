import Foundation
import Testing

/// SpomCore must stay chain-agnostic: no Midnight concepts in its sources or example, and no
/// dependency on MidnightKit.
enum Purity {
    /// Words that are distinctive enough to match anywhere, case-insensitively.
    static let substrings = ["midnight", "sidechain", "mainchain", "grandpa", "validator", "committee"]
    /// Short words matched as whole identifier words (camelCase and snake_case split).
    static let words: Set<String> = ["aura", "mvm"]

    /// The offending words in `text` (lower-cased, de-duplicated, sorted).
    static func violations(in text: String) -> [String] {
        let lower = text.lowercased()
        var found = Set(substrings.filter { lower.contains($0) })
        for token in identifierWords(text) where words.contains(token) { found.insert(token) }
        return found.sorted()
    }

    /// Splits text into lower-cased words: on non-letters, and at camelCase boundaries.
    static func identifierWords(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var previousWasLower = false
        for character in text {
            if character.isLetter {
                if character.isUppercase && previousWasLower && !current.isEmpty {
                    result.append(current.lowercased())
                    current = ""
                }
                current.append(character)
                previousWasLower = character.isLowercase
            } else {
                if !current.isEmpty { result.append(current.lowercased()) }
                current = ""
                previousWasLower = false
            }
        }
        if !current.isEmpty { result.append(current.lowercased()) }
        return result
    }

    /// The repository root: the nearest ancestor of this file holding Packages/SpomCore/Package.swift.
    static func repositoryRoot(from file: String = #filePath) -> URL? {
        var directory = URL(fileURLWithPath: file).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Packages/SpomCore/Package.swift").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    /// Every regular file under `directory`.
    static func files(under directory: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter {
            (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
        }
    }
}

@Suite("SpomCore purity")
struct PurityTests {
    @Test("the scanner catches each forbidden concept and spares ordinary words")
    func scanner() {
        #expect(Purity.violations(in: "import MidnightKit") == ["midnight"])
        #expect(Purity.violations(in: "let auraKey = x") == ["aura"])
        #expect(Purity.violations(in: "MVM_RPC_URL") == ["mvm"])
        #expect(Purity.violations(in: "// the Sidechain epoch") == ["sidechain"])
        #expect(Purity.violations(in: "struct ValidatorSet {}") == ["validator"])
        #expect(Purity.violations(in: "committee grandpa mainchain") == ["committee", "grandpa", "mainchain"])
        #expect(Purity.violations(in: "restaurant laura validate validation mvmt").isEmpty)
    }

    @Test("no file under Packages/SpomCore/Sources or Examples mentions a Midnight concept")
    func sourcesArePure() throws {
        let root = try #require(Purity.repositoryRoot(), "cannot find the repository root from \(#filePath)")
        var checked = 0
        for folder in ["Packages/SpomCore/Sources", "Packages/SpomCore/Examples"] {
            let directory = root.appendingPathComponent(folder)
            for file in Purity.files(under: directory) {
                guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
                checked += 1
                let found = Purity.violations(in: text)
                let relative = file.path.replacingOccurrences(of: root.path + "/", with: "")
                #expect(found.isEmpty, "\(relative) mentions \(found.joined(separator: ", "))")
            }
        }
        #expect(checked > 10, "only \(checked) files scanned: wrong root?")
    }

    @Test("Packages/SpomCore/Package.swift does not depend on MidnightKit")
    func manifestIsPure() throws {
        let root = try #require(Purity.repositoryRoot())
        let manifest = try String(
            contentsOf: root.appendingPathComponent("Packages/SpomCore/Package.swift"), encoding: .utf8)
        let code = manifest.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            .joined(separator: "\n")
        #expect(code.contains(".package("))
        #expect(!code.lowercased().contains("midnightkit"))
        #expect(!code.contains("../MidnightKit"))
        #expect(Purity.violations(in: code).isEmpty, "\(Purity.violations(in: code))")
    }
}
