/// `minimum` and `maximum` (inclusive) of a numeric schema.
struct NumberBounds: Sendable {
    let minimum: Int?
    let maximum: Int?
}
