/// One step into a JSON document: an object key or an array index.
public enum PathSegment: Sendable, Hashable {
    case key(String)
    case index(Int)
}

extension Array where Element == PathSegment {
    /// The RFC 6901 JSON pointer: `/options/attributes/email`, `~` and `/` escaped.
    public var jsonPointer: String {
        var pointer = ""
        for segment in self {
            pointer += "/"
            switch segment {
            case .key(let key):
                for character in key {
                    switch character {
                    case "~": pointer += "~0"
                    case "/": pointer += "~1"
                    default: pointer.append(character)
                    }
                }
            case .index(let index):
                pointer += String(index)
            }
        }
        return pointer
    }

    /// The dotted form Auth0 uses in schema messages: `options.attributes.email`, `realms[3]`.
    public var dottedPath: String {
        var text = ""
        for segment in self {
            switch segment {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}
