/// Counts lines and columns (Unicode scalars: UTF-8 continuation bytes do not start a
/// column) while moving forward through a document.
struct LineCounter {
    private(set) var offset = 0
    private(set) var line = 1
    private(set) var column = 1

    mutating func advance(to target: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        while offset < target && offset < bytes.count {
            let byte = bytes[offset]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            offset += 1
        }
    }
}
