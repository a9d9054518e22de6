import JSON
import Testing
import Validation

@testable import Lint

/// Files in memory, for the directory format.
private struct MemoryFileSystem: LintFileSystem {
    var files: [String: String]

    func read(_ path: String) throws(LintInputError) -> [UInt8] {
        guard let text = files[path] else { throw LintInputError("cannot read \(path)") }
        return Array(text.utf8)
    }

    func isDirectory(_ path: String) -> Bool {
        files.keys.contains { $0.hasPrefix(path + "/") }
    }

    func entries(of directory: String) throws(LintInputError) -> [String] {
        let prefix = directory + "/"
        let names = files.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count).split(separator: "/")[0]) }
        return Array(Set(names)).sorted()
    }
}

@Suite struct KeywordReplacementTests {
    private let mappings: JSONObject = ["LIST": .array([.string("a"), .string("b")]), "NAME": .string("prod"), "ON": .bool(true)]

    @Test func bothKindsAsTheDeployCLIReplacesThem() {
        let text = #"x: "@@LIST@@" y: '@@LIST@@' z: @@LIST@@ n: ##NAME##-db f: ##ON## l: ##LIST##"#
        let replaced = KeywordReplacement(Array(text.utf8), mappings: mappings)
        #expect(
            String(decoding: replaced.text.parsed, as: UTF8.self) == #"x: ["a","b"] y: ["a","b"] z: ["a","b"] n: prod-db f: true l: a,b"#)
        #expect(replaced.unresolved.isEmpty)
    }

    @Test func positionsMapBackToTheTextAsWritten() {
        let text = "a: @@LIST@@\nb: ##NAME## c: x\n"
        let replaced = KeywordReplacement(Array(text.utf8), mappings: mappings)
        let parsed = replaced.text.parsed
        // `x` after the replaced name: column 16 as written, whatever the replacement's length.
        let xOffset = parsed.lastIndex(of: UInt8(ascii: "x"))!
        #expect(replaced.text.position(ofParsed: xOffset).line == 2)
        #expect(replaced.text.position(ofParsed: xOffset).column == 16)
        // Inside a replacement: the keyword's first character.
        let inside = parsed.firstIndex(of: UInt8(ascii: "b"))!
        #expect(replaced.text.position(ofParsed: inside).column == 4)
    }

    @Test func unresolvedKeywordsAreKeptAndReported() {
        let text = "a: @@MISSING@@ b: ##ALSO_MISSING## c: @@not a keyword@@ d: a@@b"
        let replaced = KeywordReplacement(Array(text.utf8), mappings: mappings)
        #expect(replaced.unresolved.map(\.keyword) == ["MISSING", "ALSO_MISSING"])
        #expect(replaced.unresolved.map(\.offset) == [3, 18])
        #expect(replaced.text.parsed == Array(text.utf8))
    }
}

@Suite struct DeployCLIReaderTests {
    @Test func yamlDatabasesAndConnectionsWithPlaces() throws {
        let yaml = """
            prompts:
              identifier_first: false
            databases:
              - name: users
                options: {requires_username: true}
            connections:
              - name: google
                strategy: google-oauth2
            """
        let input = DeployCLIReader.readYAML(file: "t.yaml", bytes: Array(yaml.utf8), keywords: JSONObject())
        #expect(input.findings.isEmpty)
        #expect(input.tenant == TenantSettings(identifierFirst: false))
        #expect(input.subjects.count == 2)
        #expect(input.subjects[0].body["strategy"] == .string("auth0"))
        #expect(input.subjects[1].body["strategy"] == .string("google-oauth2"))
        let place = input.subjects[0].place([.key("options"), .key("requires_username")])
        #expect(place.documentPath.jsonPointer == "/databases/0/options/requires_username")
        #expect(place.position.line == 5)
        #expect(place.position.column == 34)
    }

    @Test func notAListIsAFormatFinding() {
        let input = DeployCLIReader.readYAML(file: "t.yaml", bytes: Array("databases: {a: 1}".utf8), keywords: JSONObject())
        #expect(input.findings.map(\.violation.rule) == ["deploy-cli-format"])
        #expect(input.subjects.isEmpty)
    }

    @Test func directoryFormat() throws {
        let fileSystem = MemoryFileSystem(files: [
            "d/prompts/prompts.json": #"{"identifier_first": true}"#,
            "d/database-connections/Users/database.json": #"{"name": "Users", "customScripts": {"login": "./login.js"}}"#,
            "d/database-connections/Users/login.js": "function login() {}",
            "d/database-connections/Empty/readme.txt": "no database.json: skipped, as the deploy CLI skips it",
            "d/connections/google.json": #"{"name": "google", "strategy": "google-oauth2"}"#,
            "d/connections/notes.txt": "not JSON, not read",
        ])
        let input = try DeployCLIReader.readDirectory("d", fileSystem: fileSystem, keywords: JSONObject())
        #expect(input.files == 3)
        #expect(input.tenant == TenantSettings(identifierFirst: true))
        #expect(input.subjects.map(\.file) == ["d/database-connections/Users/database.json", "d/connections/google.json"])
        #expect(
            input.subjects[0].body
                == (try JSONParser.parse(#"{"name": "Users", "strategy": "auth0", "options": {"customScripts": {"login": "./login.js"}}}"#))
        )
    }

    @Test func aDirectoryWithNothingToReadIsAnInputError() {
        #expect(throws: LintInputError.self) {
            try DeployCLIReader.readDirectory("d", fileSystem: MemoryFileSystem(files: ["d/x.txt": ""]), keywords: JSONObject())
        }
    }
}
