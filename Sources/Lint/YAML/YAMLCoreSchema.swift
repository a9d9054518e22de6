import JSON
import Validation

/// Resolves a plain (unquoted) YAML scalar to a JSON value by YAML 1.2's core schema
/// (§10.3.2): `null`, `~` and the empty scalar are null; `true`/`false` in three casings
/// are booleans; decimal, `0o` octal and `0x` hexadecimal integers and decimal floats are
/// numbers; everything else is a string. Numbers are written as JSON literals, exactly
/// (no conversion through `Double`). `.inf` and `.nan` have no JSON equivalent: `nil`.
enum YAMLCoreSchema {
    static func resolve(_ text: String) -> JSONValue? {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        let bytes = Array(text.utf8)
        if let literal = decimalInteger(bytes) ?? radixInteger(bytes) ?? float(bytes) {
            return .number(JSONNumber(literal: literal))
        }
        if isInfinityOrNaN(text) { return nil }
        return .string(text)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// `[-+]?[0-9]+`, without `+` and leading zeros.
    private static func decimalInteger(_ bytes: [UInt8]) -> String? {
        var digits = bytes[...]
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy(isDigit) else { return nil }
        let trimmed = digits.drop { $0 == UInt8(ascii: "0") }
        let magnitude = trimmed.isEmpty ? "0" : String(decoding: trimmed, as: UTF8.self)
        return (negative && magnitude != "0" ? "-" : "") + magnitude
    }

    /// `0o[0-7]+` and `0x[0-9a-fA-F]+`, in decimal (any size).
    private static func radixInteger(_ bytes: [UInt8]) -> String? {
        guard bytes.count > 2, bytes[0] == UInt8(ascii: "0") else { return nil }
        let radix: UInt32
        switch bytes[1] {
        case UInt8(ascii: "o"): radix = 8
        case UInt8(ascii: "x"): radix = 16
        default: return nil
        }
        // Decimal digits, least significant first; each digit of the source multiplies and adds.
        var decimal: [UInt32] = [0]
        for byte in bytes.dropFirst(2) {
            guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue, UInt32(digit) < radix else { return nil }
            var carry = UInt32(digit)
            for index in decimal.indices {
                let value = decimal[index] * radix + carry
                decimal[index] = value % 10
                carry = value / 10
            }
            while carry > 0 {
                decimal.append(carry % 10)
                carry /= 10
            }
        }
        while decimal.count > 1 && decimal.last == 0 { decimal.removeLast() }
        return String(decimal.reversed().map { Character(Unicode.Scalar(UInt8(0x30 + $0))) })
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, as a JSON literal: no `+`,
    /// no leading zeros, a digit on both sides of the point.
    private static func float(_ bytes: [UInt8]) -> String? {
        var index = 0
        var literal = ""
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            if bytes[index] == UInt8(ascii: "-") { literal = "-" }
            index += 1
        }
        let integerStart = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        var integer = String(decoding: bytes[integerStart..<index], as: UTF8.self)
        var fraction: String?
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            fraction = String(decoding: bytes[fractionStart..<index], as: UTF8.self)
        }
        // A number needs digits before the point, or after it.
        guard !integer.isEmpty || !(fraction ?? "").isEmpty else { return nil }
        var exponent: String?
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var sign = ""
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                sign = bytes[index] == UInt8(ascii: "-") ? "-" : ""
                index += 1
            }
            let digitsStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > digitsStart else { return nil }
            exponent = sign + String(decoding: bytes[digitsStart..<index], as: UTF8.self)
        }
        guard index == bytes.count, fraction != nil || exponent != nil else { return nil }
        integer = String(integer.drop { $0 == "0" })
        literal += integer.isEmpty ? "0" : integer
        if let fraction { literal += "." + (fraction.isEmpty ? "0" : fraction) }
        if let exponent { literal += "e" + exponent }
        return literal
    }

    private static func isInfinityOrNaN(_ text: String) -> Bool {
        let unsigned = text.hasPrefix("-") || text.hasPrefix("+") ? String(text.dropFirst()) : text
        return [".inf", ".Inf", ".INF"].contains(unsigned) || [".nan", ".NaN", ".NAN"].contains(text)
    }
}
