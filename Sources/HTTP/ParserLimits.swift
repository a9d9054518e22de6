/// Size limits the parser enforces before buffering anything larger (API.md "Limits and HTTP details").
/// Each limit is inclusive: a value exactly at the limit passes, one byte more fails.
public struct ParserLimits: Sendable, Equatable {
    /// The request line without its CRLF (else 414).
    public var maxRequestLineBytes: Int = 8192
    /// The header section: every field line with its CRLF, not counting the final empty line (else 431).
    /// Chunked trailers get the same budget of their own.
    public var maxHeaderBytes: Int = 16384
    /// Field lines in the header section (else 431).
    public var maxHeaderCount: Int = 100
    /// The decoded body, for Content-Length and chunked alike (else 413).
    public var maxBodyBytes: Int = 1_048_576
    /// A chunk-size line with its extensions, without CRLF (else 400).
    public var maxChunkLineBytes: Int = 1024

    public init() {}

    public init(
        maxRequestLineBytes: Int = 8192, maxHeaderBytes: Int = 16384, maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 1_048_576, maxChunkLineBytes: Int = 1024
    ) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkLineBytes = maxChunkLineBytes
    }

    /// The chunked body as sent, framing included. Without it a client could make the server buffer
    /// six bytes of framing per body byte with one-byte chunks; twice the body plus 64 KiB leaves any
    /// sane chunking alone (else 413).
    public var maxChunkedWireBytes: Int { maxBodyBytes * 2 + 65_536 }

    /// The most unconsumed input one request can need; the transport stops reading past this.
    public var maxMessageBytes: Int {
        // Head, chunked body, the last-chunk line (`0` and its extensions), trailers.
        maxRequestLineBytes + 2 + maxHeaderBytes + 2 + maxChunkedWireBytes + maxChunkLineBytes + 4 + maxHeaderBytes + 2
    }
}
