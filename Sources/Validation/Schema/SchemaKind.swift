/// What a schema accepts. The constraint payloads are classes: matching a case then
/// costs one reference, however many fields the constraints have.
enum SchemaKind: Sendable {
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
