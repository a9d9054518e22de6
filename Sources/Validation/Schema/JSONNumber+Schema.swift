import JSON

extension JSONNumber {
    /// True when the number's value is a whole number, however it is written (`3`, `3.0`,
    /// `3e2`, `300e-2`). z-schema types a value by its JavaScript number, so `1.0` is an
    /// `integer` there; judging by the literal alone would reject what Auth0 accepts.
    var isIntegral: Bool {
        if isInteger { return true }
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        var exponent = 0
        var exponentSign = 1
        var part = 0  // 0: integer part, 1: fraction, 2: exponent
        for byte in literal.utf8 {
            switch byte {
            case UInt8(ascii: "-") where part != 2, UInt8(ascii: "+"):
                continue
            case UInt8(ascii: "-"):
                exponentSign = -1
            case UInt8(ascii: "."):
                part = 1
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                part = 2
            default:
                switch part {
                case 0: integerDigits.append(byte)
                case 1: fractionDigits.append(byte)
                default:
                    // Exponents past any realistic size saturate; the sign decides.
                    if exponent < 100_000 { exponent = exponent * 10 + Int(byte - UInt8(ascii: "0")) }
                }
            }
        }
        // value = digits × 10^(exponent − fractionCount); strip trailing zeros of the digits.
        let digits = integerDigits + fractionDigits
        var scale = exponentSign * exponent - fractionDigits.count
        var end = digits.count
        while end > 0 && digits[end - 1] == UInt8(ascii: "0") {
            end -= 1
            scale += 1
        }
        return end == 0 || scale >= 0
    }

    /// The z-schema type name of this number: `integer` or `number`.
    var schemaTypeName: String {
        isIntegral ? "integer" : "number"
    }
}

extension JSONValue {
    /// The z-schema type of a value, with numbers typed by value (see `JSONNumber.isIntegral`).
    var schemaType: String {
        if case .number(let number) = self { return number.schemaTypeName }
        return schemaTypeName
    }
}
