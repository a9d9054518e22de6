/// What a schema accepts. The constraint payloads are classes: matching a case then
/// costs one reference, however many fields the constraints have.
public enum SchemaKind: Sendable {
    /// Anything (OAS `additionalProperties: true`, a free-form value).
    case any
    case boolean
    case string(StringConstraints)
    /// An integer-valued number (z-schema counts `1.0` as an integer, as JavaScript does).
    case integer(NumberBounds)
    case number(NumberBounds)
    case array(ArrayConstraints)
    case object(ObjectConstraints)

    /// The z-schema type name.
    var typeName: String {
        switch self {
        case .any: return "any"
        case .boolean: return "boolean"
        case .string: return "string"
        case .integer: return "integer"
        case .number: return "number"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// `minLength`, `maxLength`, `pattern` and `enum` of a string schema.
public final class StringConstraints: Sendable {
    let minLength: Int?
    let maxLength: Int?
    let pattern: StringPattern?
    let allowed: [String]?

    init(minLength: Int?, maxLength: Int?, pattern: StringPattern?, allowed: [String]?) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.allowed = allowed
    }
}

/// `minimum` and `maximum` (inclusive) of a numeric schema.
public struct NumberBounds: Sendable {
    let minimum: Int?
    let maximum: Int?
}

/// `items`, `minItems`, `maxItems` and `uniqueItems` of an array schema.
public final class ArrayConstraints: Sendable {
    let items: Schema
    let minItems: Int?
    let maxItems: Int?
    let uniqueItems: Bool

    init(items: Schema, minItems: Int?, maxItems: Int?, uniqueItems: Bool) {
        self.items = items
        self.minItems = minItems
        self.maxItems = maxItems
        self.uniqueItems = uniqueItems
    }
}

/// `properties`, `additionalProperties`, `required`, `minProperties`, `maxProperties`.
public final class ObjectConstraints: Sendable {
    let properties: [SchemaProperty]
    let additional: AdditionalProperties
    let required: [String]
    let minProperties: Int?
    let maxProperties: Int?
    /// Property positions by name: walking an object looks up every member key.
    private let positions: KeyTable

    init(
        properties: [SchemaProperty], additional: AdditionalProperties, required: [String], minProperties: Int?,
        maxProperties: Int?
    ) {
        self.properties = properties
        self.additional = additional
        self.required = required
        self.minProperties = minProperties
        self.maxProperties = maxProperties
        positions = KeyTable(properties.map(\.name))
    }

    /// The schema of a declared property.
    func property(_ name: String) -> Schema? {
        positions.position(of: name).map { properties[$0].schema }
    }
}

/// One entry of `properties`.
public struct SchemaProperty: Sendable {
    let name: String
    let schema: Schema

    init(_ name: String, _ schema: Schema) {
        self.name = name
        self.schema = schema
    }
}

/// `additionalProperties`: `false`, `true`, or a schema for every other member.
public enum AdditionalProperties: Sendable {
    case forbidden
    case allowed
    case matching(Schema)
}
