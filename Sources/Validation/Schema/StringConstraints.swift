/// `minLength`, `maxLength`, `pattern` and `enum` of a string schema.
final class StringConstraints: Sendable {
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
