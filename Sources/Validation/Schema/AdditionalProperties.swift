/// `additionalProperties`: `false`, `true`, or a schema for every other member.
enum AdditionalProperties: Sendable {
    case forbidden
    case allowed
    case matching(Schema)
}
