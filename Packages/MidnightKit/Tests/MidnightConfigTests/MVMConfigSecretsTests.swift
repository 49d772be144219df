import Foundation
import MidnightConfig
import SpomTesting
import Testing

@Suite("MVM secrets")
struct MVMConfigSecretsTests {
    @Test("the API key comes from api_key, else from api_key_file")
    func apiKey() throws {
        let dir = try TemporaryDirectory(prefix: "secret")
        defer { dir.remove() }
        var api = MVMConfig.API()
        #expect(try api.resolvedKey() == nil)
        api.apiKeyFile = try write("  from-file  \nignored\n", "key", in: dir)
        #expect(try api.resolvedKey() == "from-file")
        api.apiKey = "inline"
        #expect(try api.resolvedKey() == "inline")
        api.apiKey = nil
        api.apiKeyFile = dir.path("missing")
        let error = try #require(throws: SecretResolutionError.self) { try api.resolvedKey() }
        #expect(error.keyPath == "api.api_key_file")
        api.apiKeyFile = try write("\n", "empty", in: dir)
        #expect(throws: SecretResolutionError.self) { try api.resolvedKey() }
    }

    @Test("the remote password comes from password_env, then password_file, then the URL")
    func remotePassword() throws {
        let dir = try TemporaryDirectory(prefix: "secret")
        defer { dir.remove() }
        var remote = MVMConfig.Remote()
        remote.url = "postgresql://mvm:in-url@db:5432/mvm"
        #expect(try remote.resolvedPassword(environment: [:]) == "in-url")
        remote.passwordFile = try write("from-file\n", "pw", in: dir)
        #expect(try remote.resolvedPassword(environment: [:]) == "from-file")
        remote.passwordEnv = "PG_PW"
        #expect(try remote.resolvedPassword(environment: ["PG_PW": "from-env"]) == "from-env")
        let error = try #require(throws: SecretResolutionError.self) { try remote.resolvedPassword(environment: [:]) }
        #expect(error.description.contains("PG_PW"))
        remote = MVMConfig.Remote()
        remote.url = "postgresql://mvm@db/mvm"
        #expect(try remote.resolvedPassword(environment: [:]) == nil)
    }
}
