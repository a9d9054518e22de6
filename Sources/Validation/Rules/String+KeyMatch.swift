extension String {
    /// `self == key`, checking the UTF-8 length first. Two `String`s that differ are compared
    /// by the standard library's general routine (about a hundred instructions, measured with
    /// callgrind); the length check, O(1) for native strings, skips almost every mismatch when
    /// a member's key is matched against a list of known keys.
    @inline(__always)
    func isKey(_ key: String) -> Bool {
        utf8.count == key.utf8.count && self == key
    }
}
