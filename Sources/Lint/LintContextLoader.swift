import JSON
import Validation

/// Reads the context files of `lint` from bytes the command has read.
public enum LintContextLoader {
    /// `--tenant prompts.json`: a `GET /prompts` response. `identifier_first` absent means
    /// unknown, so the tenant-dependent rules stay warnings rather than guessing.
    public static func tenant(from bytes: [UInt8]) throws(LintInputError) -> TenantSettings {
        let prompts = try object(from: bytes, expected: "a GET /prompts response (a JSON object)")
        switch prompts["identifier_first"] {
        case nil:
            return .unknown
        case .bool(let flag)?:
            return TenantSettings(identifierFirst: flag)
        case let other?:
            throw LintInputError("identifier_first must be true or false, not \(other.schemaTypeName)")
        }
    }

    /// `--current stored.json`: the stored connection as `GET /connections/{id}` returns it.
    public static func storedConnection(from bytes: [UInt8]) throws(LintInputError) -> JSONObject {
        try object(from: bytes, expected: "a GET /connections/{id} response (a JSON object)")
    }

    /// The deploy CLI's keyword mappings: a JSON object of keyword to value, or a deploy CLI
    /// `config.json` that holds one under `AUTH0_KEYWORD_REPLACE_MAPPINGS` (`--keywords`, or
    /// the environment variable of that name).
    public static func keywords(from bytes: [UInt8]) throws(LintInputError) -> JSONObject {
        let object = try object(from: bytes, expected: "keyword mappings (a JSON object)")
        guard let nested = object[keywordsVariable] else { return object }
        guard let mappings = nested.objectValue else {
            throw LintInputError("\(keywordsVariable) must be a JSON object, not \(nested.schemaTypeName)")
        }
        return mappings
    }

    /// The deploy CLI's name for the mappings, in its config.json and in the environment.
    public static let keywordsVariable = "AUTH0_KEYWORD_REPLACE_MAPPINGS"

    private static func object(from bytes: [UInt8], expected: String) throws(LintInputError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw LintInputError("invalid JSON: \(error)")
        }
        guard let object = value.objectValue else {
            throw LintInputError("expected \(expected), found \(value.schemaTypeName)")
        }
        return object
    }
}
