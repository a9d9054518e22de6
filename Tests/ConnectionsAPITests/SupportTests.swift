import ConnectionsService
import Testing

@testable import ConnectionsAPI

@Suite struct SupportTests {
    @Test(arguments: [[UInt8](), [0], [1, 2], [1, 2, 3], [255, 254, 253, 252], Array(0...255)])
    func base64URLRoundTrips(bytes: [UInt8]) {
        let text = Base64URL.encode(bytes)
        #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
        #expect(Base64URL.decode(text) == bytes)
    }

    @Test func base64URLRejectsForeignCharacters() {
        #expect(Base64URL.decode("ab=c") == nil)
        #expect(Base64URL.decode("a") == nil)
    }

    /// RFC 4648 §10's test vectors, in the padded standard alphabet HTTP Basic uses.
    @Test func paddedBase64DecodesTheRFCVectors() {
        for (text, plain) in [("", ""), ("Zg==", "f"), ("Zm8=", "fo"), ("Zm9v", "foo"), ("Zm9vYg==", "foob"), ("Zm9vYmE=", "fooba")] {
            #expect(Base64URL.decodePadded(text) == Array(plain.utf8), "\(text)")
        }
        #expect(Base64URL.decodePadded("+/+/") == [0xFB, 0xFF, 0xBF])
        for bad in ["Zg", "Zg=", "Z===", "Zm9v-_==", "Zh==", "Zm9v\n"] {
            #expect(Base64URL.decodePadded(bad) == nil, "\(bad)")
        }
    }

    @Test func listCursorRoundTripsAndRejectsGarbage() {
        let key = CatalogSortKey(name: "My-Conn", id: "con_0123456789abcdef")
        #expect(ListCursor.decode(ListCursor.encode(key)) == key)
        #expect(ListCursor.decode("not a cursor") == nil)
        #expect(ListCursor.decode(Base64URL.encode(Array("no-separator".utf8))) == nil)
    }

    @Test func sortKeyOrdersByFoldedNameThenID() {
        let a = CatalogSortKey(name: "alpha", id: "con_2")
        let b = CatalogSortKey(name: "Alpha", id: "con_3")
        let c = CatalogSortKey(name: "beta", id: "con_1")
        #expect(a < b && b < c && a < c)
        #expect(!(b < a))
        // Byte order, not Unicode collation: a shorter prefix sorts first, "_" (0x5F) after "9".
        #expect(CatalogSortKey(name: "ab", id: "con_9") < CatalogSortKey(name: "abc", id: "con_1"))
        #expect(CatalogSortKey(name: "a9", id: "con_1") < CatalogSortKey(name: "a_", id: "con_1"))
        #expect(!(a < a))
    }

    @Test func connectionIDsAreWellFormedAndDistinct() {
        let ids = (0..<200).map { _ in ConnectionID.generate() }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy(ConnectionID.isWellFormed))
        #expect(!ConnectionID.isWellFormed("con_short"))
        #expect(!ConnectionID.isWellFormed("con_0123456789abcde!"))
        #expect(!ConnectionID.isWellFormed("abc_0123456789abcdef"))
    }

    @Test func connectionIDsDrawEveryRandomCharacterAboutEqually() {
        var counts: [Character: Int] = [:]
        for _ in 0..<40_000 {
            for character in ConnectionID.generate().dropFirst(12) { counts[character, default: 0] += 1 }
        }
        // 320,000 draws over 62 characters: ~5,161 each, σ ≈ 71. Modulo bias (byte % 62 over
        // 0...255) would give 8 characters ~6,250 and the rest ~5,000; 4,800...5,520 is ±5σ.
        #expect(counts.count == 62)
        #expect(counts.values.allSatisfy { (4800...5520).contains($0) })
    }

    /// Ids lead with their time, so a later id sorts after an earlier one byte for byte (the
    /// store's indexes keyed by id grow at their end).
    @Test func connectionIDsSortByTheMillisecondTheyWereMadeIn() {
        #expect(ConnectionID.generate(milliseconds: 0).prefix(12) == "con_00000000")
        #expect(ConnectionID.generate(milliseconds: 61).prefix(12) == "con_0000000z")
        #expect(ConnectionID.generate(milliseconds: 62).prefix(12) == "con_00000010")
        // 2026-12-03T00:00:00Z
        #expect(ConnectionID.generate(milliseconds: 1_796_256_000_000).prefix(12) == "con_0Vch17Pk")
        let times: [Int64] = [0, 1, 61, 62, 3_843, 3_844, 1_796_256_000_000, 1_796_256_000_001, 62 * 62 * 62 * 62 * 62 * 62 * 62 * 62 - 1]
        let ids = times.map { ConnectionID.generate(milliseconds: $0) }
        #expect(ids.allSatisfy(ConnectionID.isWellFormed))
        for (earlier, later) in zip(ids, ids.dropFirst()) {
            #expect(Array(earlier.utf8).lexicographicallyPrecedes(Array(later.utf8)), "\(earlier) < \(later)")
        }
        let now = (0..<1_000).map { _ in ConnectionID.generate() }
        #expect(Set(now).count == now.count, "the random part tells apart ids of one millisecond")
    }

    @Test func scopesParseAndRender() throws {
        let scopes = try Scopes.parse("read:connections create:connections,update:prompts").get()
        #expect(scopes == [.readConnections, .createConnections, .updatePrompts])
        #expect(scopes.description == "read:connections create:connections update:prompts")
        if case .success = Scopes.parse("read:users") { Issue.record("unknown scope accepted") }
    }

    @Test func sha256MatchesKnownVectorAndComparesInConstantTime() {
        let digest = TokenHash.sha256("abc")
        let hex = digest.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(TokenHash.equal(digest, TokenHash.sha256("abc")))
        #expect(!TokenHash.equal(digest, TokenHash.sha256("abd")))
        #expect(!TokenHash.equal(digest, Array(digest.dropLast())))
    }
}
