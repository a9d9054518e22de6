/// What a schema accepts. `indirect` because arrays and objects hold schemas.
public indirect enum SchemaKind: Sendable {
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
public struct StringConstraints: Sendable {
    let minLength: Int?
    let maxLength: Int?
    let pattern: StringPattern?
    let allowed: [String]?
}

/// `minimum` and `maximum` (inclusive) of a numeric schema.
public struct NumberBounds: Sendable {
    let minimum: Int?
    let maximum: Int?
}

/// `items`, `minItems`, `maxItems` and `uniqueItems` of an array schema.
public struct ArrayConstraints: Sendable {
    let items: Schema
    let minItems: Int?
    let maxItems: Int?
    let uniqueItems: Bool
}

/// `properties`, `additionalProperties`, `required`, `minProperties`, `maxProperties`.
public struct ObjectConstraints: Sendable {
    let properties: [SchemaProperty]
    let additional: AdditionalProperties
    let required: [String]
    let minProperties: Int?
    let maxProperties: Int?

    /// The schema of a named property; a linear scan, as objects here have few properties.
    func property(_ name: String) -> Schema? {
        for property in properties where property.name == name { return property.schema }
        return nil
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
