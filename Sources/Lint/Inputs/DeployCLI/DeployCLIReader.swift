import JSON
import Validation

/// Reads auth0-deploy-cli configuration as the deploy CLI reads it (v8.43.0,
/// `src/context/yaml` and `src/context/directory`; tests/cli/fixtures/README.md), into the
/// API JSON the CLI would send:
///
/// - YAML (`tenant.yaml`): `databases` (database connections), `connections` (the others),
///   `prompts` (tenant prompt settings, `identifier_first` among them).
/// - A directory: `database-connections/<name>/database.json` (a top-level `customScripts`
///   goes into `options`, as the CLI merges it), `connections/*.json`, `prompts/prompts.json`.
///
/// A database without `strategy` is `auth0` (the CLI's schema default). Keywords are
/// replaced in each file's text before it is parsed (`KeywordReplacement`); positions are
/// those of the file as written.
public enum DeployCLIReader {
    public static let yamlSyntaxRule = Rule(
        id: "yaml-syntax", severity: .error,
        summary: "The file must be YAML that lint reads (no anchors, aliases, tags or several documents).")
    /// A file that parses but is not what the deploy CLI reads (a list that is not a list...).
    public static let formatRule = Rule(
        id: "deploy-cli-format", severity: .error, summary: "The deploy CLI configuration must have the shape the deploy CLI reads.")

    static let databasesDirectory = "database-connections"
    static let connectionsDirectory = "connections"
    static let promptsFile = "prompts/prompts.json"

    /// Reads a `tenant.yaml`.
    public static func readYAML(file: String, bytes: [UInt8], keywords: JSONObject) -> LintInput {
        var input = LintInput()
        let replaced = KeywordReplacement(LintEngine.withoutByteOrderMark(bytes), mappings: keywords)
        input.findings += unresolvedFindings(replaced, file: file)
        let value: JSONValue
        let positions: JSONPositions
        do {
            (value, positions) = try YAMLParser.parse(replaced.text.parsed)
        } catch {
            let position = replaced.text.position(ofParsed: error.position.offset)
            if !replaced.unresolved.contains(where: { $0.offset == position.offset }) {
                input.findings.append(
                    LintFinding(yamlSyntaxRule.violation(path: [], message: "Invalid YAML: \(error.reason)"), file: file, at: position))
            }
            return input
        }
        let document = Document(file: file, text: replaced.text, positions: positions)
        guard let root = value.objectValue else {
            if !value.isNull {
                input.findings.append(document.finding(at: [], "tenant.yaml must be a mapping (databases, connections, prompts, ...)"))
            }
            return input
        }
        if let prompts = root["prompts"] {
            input.tenant = tenant(from: prompts, at: [.key("prompts")], in: document, findings: &input.findings)
        }
        for section in ["databases", "connections"] {
            guard let entries = root[section], !entries.isNull else { continue }
            guard let list = entries.arrayValue else {
                input.findings.append(document.finding(at: [.key(section)], "\(section) must be a list"))
                continue
            }
            for (index, entry) in list.enumerated() {
                let at: [PathSegment] = [.key(section), .index(index)]
                input.subjects.append(document.subject(at: at, body: section == "databases" ? database(entry) : entry))
            }
        }
        return input
    }

    /// Reads a deploy CLI directory.
    public static func readDirectory(
        _ path: String, fileSystem: any LintFileSystem, keywords: JSONObject
    ) throws(LintInputError) -> LintInput {
        var input = LintInput()
        input.files = 0
        let root = path.hasSuffix("/") ? String(path.dropLast()) : path
        let prompts = root + "/" + promptsFile
        if !fileSystem.isDirectory(prompts), let bytes = try? fileSystem.read(prompts) {
            input.files += 1
            if let document = readJSON(file: prompts, bytes: bytes, keywords: keywords, into: &input) {
                input.tenant = tenant(from: document.value, at: [], in: document, findings: &input.findings)
            }
        }
        let databases = root + "/" + databasesDirectory
        if fileSystem.isDirectory(databases) {
            for name in try fileSystem.entries(of: databases) where fileSystem.isDirectory(databases + "/" + name) {
                let file = databases + "/" + name + "/database.json"
                // The deploy CLI skips a folder without a readable database.json, with a warning.
                guard let bytes = try? fileSystem.read(file) else { continue }
                input.files += 1
                if let document = readJSON(file: file, bytes: bytes, keywords: keywords, into: &input) {
                    input.subjects.append(document.subject(at: [], body: database(document.value, mergingScripts: true)))
                }
            }
        }
        let connections = root + "/" + connectionsDirectory
        if fileSystem.isDirectory(connections) {
            for name in try fileSystem.entries(of: connections) where name.hasSuffix(".json") {
                let file = connections + "/" + name
                guard !fileSystem.isDirectory(file) else { continue }
                let bytes = try fileSystem.read(file)
                input.files += 1
                if let document = readJSON(file: file, bytes: bytes, keywords: keywords, into: &input) {
                    input.subjects.append(document.subject(at: [], body: document.value))
                }
            }
        }
        if input.files == 0 {
            throw LintInputError(
                "\(path): not a deploy CLI directory (no \(databasesDirectory)/, \(connectionsDirectory)/ or \(promptsFile))")
        }
        return input
    }

    /// A parsed file, and how to place its paths.
    struct Document {
        let file: String
        let text: SourceText
        let positions: JSONPositions
        var value: JSONValue = .null

        func position(of path: [PathSegment]) -> SourcePosition {
            guard let parsed = positions.position(of: path) else { return text.position(ofOriginal: 0) }
            return text.position(ofParsed: parsed.offset)
        }

        func finding(at path: [PathSegment], _ message: String) -> LintFinding {
            let position = position(of: path)
            return LintFinding(DeployCLIReader.formatRule.violation(path: path, message: message), file: file, at: position)
        }

        func subject(at entryPath: [PathSegment], body: JSONValue) -> LintSubject {
            LintSubject(file: file, body: body) { path in
                LintSubject.Place(position: position(of: entryPath + path), documentPath: entryPath + path)
            }
        }
    }

    /// Reads a JSON file of the directory format, with keywords replaced; `nil` (and a
    /// finding) when it is not JSON.
    private static func readJSON(file: String, bytes: [UInt8], keywords: JSONObject, into input: inout LintInput) -> Document? {
        let replaced = KeywordReplacement(LintEngine.withoutByteOrderMark(bytes), mappings: keywords)
        input.findings += unresolvedFindings(replaced, file: file)
        do {
            let (value, positions) = try JSONParser.parseWithPositions(replaced.text.parsed)
            var document = Document(file: file, text: replaced.text, positions: positions)
            document.value = value
            return document
        } catch {
            let position = replaced.text.position(ofParsed: error.position.offset)
            if !replaced.unresolved.contains(where: { $0.offset == position.offset }) {
                input.findings.append(
                    LintFinding(Rule.jsonSyntax.violation(path: [], message: "Invalid JSON: \(error.reason)"), file: file, at: position))
            }
            return nil
        }
    }

    /// A database as the deploy CLI sends it: `strategy` defaults to `auth0`; in the directory
    /// format a top-level `customScripts` is merged into `options`.
    static func database(_ entry: JSONValue, mergingScripts: Bool = false) -> JSONValue {
        guard var object = entry.objectValue else { return entry }
        object.setDefault("strategy", .string("auth0"))
        if mergingScripts, let scripts = object["customScripts"] {
            var options = object["options"]?.objectValue ?? JSONObject()
            options["customScripts"] = scripts
            object["options"] = .object(options)
            object["customScripts"] = nil
        }
        return .object(object)
    }

    /// `identifier_first` of prompt settings.
    private static func tenant(
        from prompts: JSONValue, at path: [PathSegment], in document: Document, findings: inout [LintFinding]
    ) -> TenantSettings? {
        switch prompts["identifier_first"] {
        case .bool(let flag)?: return TenantSettings(identifierFirst: flag)
        case nil: return nil
        case .some:
            findings.append(document.finding(at: path + [.key("identifier_first")], "identifier_first must be true or false"))
            return nil
        }
    }

    private static func unresolvedFindings(_ replacement: KeywordReplacement, file: String) -> [LintFinding] {
        replacement.unresolved.map { keyword in
            let position = replacement.text.position(ofOriginal: keyword.offset)
            let message = "Keyword \(keyword.keyword) has no mapping (--keywords, or AUTH0_KEYWORD_REPLACE_MAPPINGS)"
            return LintFinding(KeywordReplacement.unresolvedRule.violation(path: [], message: message), file: file, at: position)
        }
    }
}
