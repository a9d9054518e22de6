/// A small, declarative JSON Schema: the subset of keywords Auth0's Management API uses
/// for connection bodies (type, nullability, enum, lengths, pattern, bounds, item and
/// property constraints). Schemas are values built once as constants and walked by
/// `SchemaValidator`; each carries the OAS `description` that Auth0 prints in its
/// `Payload validation error` messages.
///
/// A final class, so that walking the tree passes one reference per node rather than
/// copying nested constraint values (validation runs on every request).
final class Schema: Sendable {
    let kind: SchemaKind
    /// OAS 3.1 `type: [T, "null"]`.
    let nullable: Bool
    let description: String

    init(_ kind: SchemaKind, nullable: Bool = false, description: String) {
        self.kind = kind
        self.nullable = nullable
        self.description = description
    }

    /// The z-schema spelling of the expected type in `Expected type X but found type Y`
    /// (a type array prints as `string,null`).
    var expectedTypeName: String {
        nullable ? kind.typeName + ",null" : kind.typeName
    }
}

extension Schema {
    static func any(_ description: String) -> Schema {
        Schema(.any, description: description)
    }

    static func boolean(_ description: String, nullable: Bool = false) -> Schema {
        Schema(.boolean, nullable: nullable, description: description)
    }

    static func string(
        _ description: String, minLength: Int? = nil, maxLength: Int? = nil,
        pattern: StringPattern? = nil, oneOf allowed: [String]? = nil, nullable: Bool = false
    ) -> Schema {
        Schema(
            .string(StringConstraints(minLength: minLength, maxLength: maxLength, pattern: pattern, allowed: allowed)),
            nullable: nullable, description: description)
    }

    static func integer(_ description: String, minimum: Int? = nil, maximum: Int? = nil) -> Schema {
        Schema(.integer(NumberBounds(minimum: minimum, maximum: maximum)), description: description)
    }

    static func number(_ description: String, minimum: Int? = nil, maximum: Int? = nil) -> Schema {
        Schema(.number(NumberBounds(minimum: minimum, maximum: maximum)), description: description)
    }

    static func array(
        _ description: String, of items: Schema, minItems: Int? = nil, maxItems: Int? = nil,
        uniqueItems: Bool = false, nullable: Bool = false
    ) -> Schema {
        Schema(
            .array(ArrayConstraints(items: items, minItems: minItems, maxItems: maxItems, uniqueItems: uniqueItems)),
            nullable: nullable, description: description)
    }

    static func object(
        _ description: String, _ properties: [SchemaProperty] = [], additional: AdditionalProperties = .forbidden,
        required: [String] = [], minProperties: Int? = nil, maxProperties: Int? = nil, nullable: Bool = false
    ) -> Schema {
        Schema(
            .object(
                ObjectConstraints(
                    properties: properties, additional: additional, required: required,
                    minProperties: minProperties, maxProperties: maxProperties)),
            nullable: nullable, description: description)
    }
}
