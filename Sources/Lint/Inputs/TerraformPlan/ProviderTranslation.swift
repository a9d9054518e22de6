import JSON
import Validation

/// A resource's Terraform values turned into the API's JSON as the provider builds its
/// request, remembering for each API path the Terraform path it came from.
struct ProviderTranslation {
    var body: JSONObject
    /// API path → path in the resource's values (`options/0/attributes/0/email/0/unique`).
    var origins: [[PathSegment]: [PathSegment]] = [:]

    init(_ values: JSONObject, schema: ProviderSchema) {
        var origins: [[PathSegment]: [PathSegment]] = [:]
        body = Self.object(values, schema, values: [], api: [], origins: &origins)
        self.origins = origins
    }

    /// What the provider does not send: null (not in the configuration), and the empty
    /// strings, zeros and empty collections that state puts in a plan's values for
    /// attributes the configuration never set. Booleans are always sent.
    static func isSent(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return false
        case .string(let text): return !text.isEmpty
        case .number(let number): return number.doubleValue != 0
        case .array(let items): return !items.isEmpty
        case .object(let object): return !object.isEmpty
        case .bool: return true
        }
    }

    private static func object(
        _ source: JSONObject, _ schema: ProviderSchema, values: [PathSegment], api: [PathSegment],
        origins: inout [[PathSegment]: [PathSegment]]
    ) -> JSONObject {
        var result = JSONObject()
        for field in schema.fields {
            guard let value = source[field.name], isSent(value) else { continue }
            let valuePath = values + [.key(field.name)]
            let apiPath = api + [.key(field.apiName)]
            switch field.kind {
            case .value:
                result[field.apiName] = value
                origins[apiPath] = valuePath
            case .jsonString:
                guard let text = value.stringValue, let parsed = try? JSONParser.parse(text) else { continue }
                result[field.apiName] = parsed
                origins[apiPath] = valuePath
            case .block(let inner, let dropIfEmpty):
                guard let first = value.arrayValue?.first?.objectValue else { continue }
                let elementPath = valuePath + [.index(0)]
                let nested = object(first, inner, values: elementPath, api: apiPath, origins: &origins)
                if nested.isEmpty && dropIfEmpty { continue }
                result[field.apiName] = .object(nested)
                origins[apiPath] = elementPath
            }
        }
        return result
    }

    /// The Terraform path of the nearest ancestor of `path` (or itself) that was sent.
    func origin(of path: [PathSegment]) -> [PathSegment] {
        var path = path
        while !path.isEmpty {
            if let found = origins[path] { return found }
            path.removeLast()
        }
        return []
    }

    /// The provider-schema path of an API path, present or not: `options[0].attributes[0].email[0].unique`.
    static func schemaPath(of path: [PathSegment], in schema: ProviderSchema) -> [PathSegment] {
        var result: [PathSegment] = []
        var schema: ProviderSchema? = schema
        for (offset, segment) in path.enumerated() {
            guard case .key(let key) = segment, let field = schema?.fields.first(where: { $0.apiName == key }) else {
                return result + path[offset...]
            }
            result.append(.key(field.name))
            if case .block(let inner, _) = field.kind {
                result.append(.index(0))
                schema = inner
            } else {
                schema = nil
            }
        }
        return result
    }
}
