import Testing

@testable import JSON

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2.5e3, true, false, null, "x"], "b": {}} "#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == .array([.int(1), .number(JSONNumber(literal: "-2.5e3")), .bool(true), .bool(false), .null, .string("x")]))
        #expect(object["b"] == .object(JSONObject()))
    }

    private func stream(_ text: String) throws -> (JSONValue, [(String, JSONValue, String)]) {
        var visited: [(String, JSONValue, String)] = []
        let bytes = Array(text.utf8)
        let rest = try JSONParser.parse(bytes, streamingElementsOf: "connections") { path, element, range in
            visited.append((path.jsonPointer, element, String(decoding: bytes[range], as: UTF8.self)))
        }
        return (rest, visited)
    }

    @Test func streamsTheElementsOfATopLevelArray() throws {
        let (rest, visited) = try stream(#" [ {"a": [1]} ,"x" ,[] ] "#)
        #expect(rest == .array([]))
        #expect(visited.map(\.0) == ["/0", "/1", "/2"])
        #expect(visited.map(\.1) == [.object(["a": .array([.int(1)])]), .string("x"), .array([])])
        #expect(visited.map(\.2) == [#"{"a": [1]}"#, #""x""#, "[]"])
    }

    @Test func streamsTheNamedMemberOfATopLevelObject() throws {
        let (rest, visited) = try stream(#"{"total":2,"connections":[{"n":1},{"n":2}],"next":"[x"}"#)
        #expect(rest == .object(["total": .int(2), "connections": .array([]), "next": .string("[x")]))
        #expect(visited.map(\.0) == ["/connections/0", "/connections/1"])
        #expect(visited.map(\.2) == [#"{"n":1}"#, #"{"n":2}"#])
    }

    @Test(arguments: [
        #"{"a":{"connections":[1]},"connections":{"b":[2]}}"#,  // nested, or not an array
        #""connections""#, "7",
    ])
    func streamsNothingElse(text: String) throws {
        let (rest, visited) = try stream(text)
        #expect(visited.isEmpty)
        #expect(rest == (try JSONParser.parse(text)))
    }

    @Test(arguments: [
        "[1,2", "[1,2]x", "[1 2]", "[1,]", "[[1,2]", #"{"connections":[1,],"a":1}"#, #"{"connections":[1],"connections":[2]}"#,
    ])
    func streamingChecksTheWholeDocument(text: String) {
        #expect(throws: JSONSyntaxError.self) {
            _ = try stream(text)
        }
    }

    @Test func keepsNumbersExactlyAsWritten() throws {
        let text = #"[12345678901234567890123, 0.1000, -0, 1E+2, 9007199254740993]"#
        let value = try JSONParser.parse(text)
        #expect(JSONWriter.string(value) == text.replacingSpaces())
        #expect(value.arrayValue?[0].numberValue?.isInteger == true)
        #expect(value.arrayValue?[4].numberValue?.intValue == 9_007_199_254_740_993)
        #expect(value.arrayValue?[1].numberValue?.isInteger == false)
    }

    @Test func keepsKeyOrder() throws {
        let text = #"{"z":1,"a":2,"m":{"y":1,"b":2}}"#
        #expect(JSONWriter.string(try JSONParser.parse(text)) == text)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#""a\"b\\c\/d\b\f\n\r\t\u0000\u00e9\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t\u{0}é😀"))
    }

    @Test func stringsRoundTripIncludingNUL() throws {
        let original = JSONValue.string("nul\u{0}quote\"back\\slash\u{1F}é😀")
        let encoded = JSONWriter.encode(original)
        #expect(try JSONParser.parse(encoded) == original)
        #expect(String(decoding: encoded, as: UTF8.self) == #""nul\u0000quote\"back\\slash\u001fé😀""#)
    }

    @Test func largeDocumentsRoundTripThroughTheGrowingBuffer() throws {
        // Far past the writer's initial capacity, with escapes on both sides of multi-byte
        // text, so runs, escapes and growth meet at every offset.
        let items: [JSONValue] = (0..<500).map { index in
            .object([
                "k\(index)": .string(String(repeating: "é\n\"x😀\\", count: index % 7) + "\u{1}\(index)"),
                "n": .number(JSONNumber(literal: "-\(index).5e\(index % 3)")),
                "a": .array([.null, .bool(index % 2 == 0), .object(JSONObject())]),
            ])
        }
        let original = JSONValue.array(items)
        let encoded = JSONWriter.encode(original)
        #expect(try JSONParser.parse(encoded) == original)
        #expect(JSONWriter.encode(try JSONParser.parse(encoded)) == encoded)
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "{a:1}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "\"abc",
        "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\ud800\\u0041\"", "\"\\udc00\"", "[1] [2]", "{\"a\":1}x", "\"tab\there\"",
        "NaN", "Infinity", "'single'",
    ])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test(
        arguments: [
            [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
            [0x22, 0xE2, 0x82, 0x22], [0xEF, 0xBB, 0xBF, 0x31],
        ] as [[UInt8]])
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(bytes) }
    }

    @Test func rejectsDuplicateKeysIncludingEscapedSpellings() {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#) }
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(#"{"a":1,"\u0061":2}"#) }
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(#"{"\u0061":1,"a":2}"#) }
        #expect((try? JSONParser.parse(#"{"a":{"a":1},"b":{"a":2}}"#)) != nil)
        // RFC 8259 §8.3: names are compared code unit by code unit, not by canonical equivalence.
        let distinct = try? JSONParser.parse("{\"\u{E9}\":1,\"e\u{301}\":2,\"K\":3,\"\u{212A}\":4,\"\\u00e9x\":5,\"e\\u0301x\":6}")
        #expect(distinct?.objectValue?.count == 6)
        #expect(distinct?.objectValue?["K"] == .int(3))
        #expect(distinct?.objectValue?["\u{212A}"] == .int(4))
    }

    /// Past `JSONObject.indexThreshold` members, duplicates are found by hash (issue 10): the
    /// same verdicts, by bytes, wherever the duplicate sits.
    @Test(arguments: [0, 31, 32, 33, 999])
    func rejectsDuplicateKeysInLargeObjects(earlier: Int) throws {
        let keys = (0..<1_000).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let large = try #require(try? JSONParser.parse("{\(keys)}").objectValue)
        #expect(large.count == 1_000 && large["k999"] == .int(999) && large["k0"] == .int(0) && large["k1000"] == nil)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse("{\(keys),\"k\(earlier)\":0}") }
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse("{\(keys),\"\\u006b\(earlier)\":0}") }
        let spellings = "{\(keys),\"\u{E9}\":1,\"e\u{301}\":2}"
        #expect((try? JSONParser.parse(spellings))?.objectValue?.count == 1_002)
    }

    @Test func largeObjectsLookUpSetAndRemoveLikeSmallOnes() {
        var object = JSONObject(members: (0..<100).map { JSONObject.Member(key: "k\($0)", value: .int($0)) })
        object["k50"] = nil
        #expect(object.count == 99 && object["k50"] == nil && object["k51"] == .int(51) && object["k99"] == .int(99))
        object["k50"] = .int(-1)
        object.setDefault("k50", .int(-2))
        object["k0"] = .int(7)
        #expect(object.keys.last == "k50" && object["k50"] == .int(-1) && object["k0"] == .int(7))
        // Shrinking below the threshold and growing past it again keep lookups right.
        for index in 0..<90 { object["k\(index)"] = nil }
        #expect(object.count == 10 && object["k95"] == .int(95))
        for index in 0..<40 { object["n\(index)"] = .int(index) }
        #expect(object.count == 50 && object["n39"] == .int(39) && object["k95"] == .int(95) && object["k50"] == nil)
        // Equality and hashing follow the members only.
        let rebuilt = JSONObject(members: object.members)
        #expect(rebuilt == object && rebuilt.hashValue == object.hashValue)
    }

    @Test func nestingLimitCountsTheTopLevelAsOne() {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect((try? JSONParser.parse(deepest)) != nil)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(tooDeep) }
        let objects = String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(objects) }
    }

    @Test func containerLimitCountsEveryArrayAndObjectEmptyOnesIncluded() throws {
        // The top-level object, "a" and "b" are three; each "[]" or "{}" in "b" is one more.
        func document(_ empties: Int) -> [UInt8] {
            Array(#"{"a":{},"b":["#.utf8) + Array((0..<empties).map { $0.isMultiple(of: 2) ? "[]" : "{}" }.joined(separator: ",").utf8)
                + Array("]}".utf8)
        }
        #expect(try JSONParser.parse(document(7), maxContainers: 10)["b"]?.arrayValue?.count == 7)
        do {
            _ = try JSONParser.parse(document(8), maxContainers: 10)
            Issue.record("expected an error")
        } catch {
            #expect(error.reason == "More than 10 arrays and objects")
            // At the eleventh container: the eighth element of "b", after 13 bytes and 7 "[]," or "{},".
            #expect(error.position.column == 13 + 7 * 3 + 1)
        }
        // Without the argument there is no limit (stored bodies, `lint`).
        #expect(try JSONParser.parse(document(20_000))["b"]?.arrayValue?.count == 20_000)
    }

    @Test func reportsWhereTheFaultIs() {
        do {
            _ = try JSONParser.parse("{\n  \"a\": 1,\n  \"b\": tru\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.position.line == 3)
            #expect(error.position.column == 8)
        }
    }

    @Test func recordsPositionsOfValues() throws {
        let text = "{\n  \"options\": {\n    \"mfa\": [true, \"é\", 3]\n  }\n}"
        let (_, positions) = try JSONParser.parseWithPositions(Array(text.utf8))
        #expect(positions.position(of: [.key("options")])?.line == 2)
        #expect(positions.position(of: [.key("options")])?.column == 14)
        let third = try #require(positions.position(of: [.key("options"), .key("mfa"), .index(2)]))
        #expect(third.line == 3 && third.column == 24)
        // An absent value falls back to its nearest present ancestor.
        #expect(positions.position(of: [.key("options"), .key("absent"), .key("x")]) == positions.position(of: [.key("options")]))
    }

    @Test func pointersAndDottedPathsEscapeAsSpecified() {
        let path: [PathSegment] = [.key("options"), .key("a/b~c"), .index(3)]
        #expect(path.jsonPointer == "/options/a~1b~0c/3")
        #expect(([.key("realms"), .index(3)] as [PathSegment]).dottedPath == "realms[3]")
        #expect(([.key("options"), .key("attributes"), .key("email")] as [PathSegment]).dottedPath == "options.attributes.email")
    }

    @Test func objectSubscriptSetsReplacesAndRemovesInPlace() {
        var object: JSONObject = ["a": .int(1), "b": .int(2)]
        object["a"] = .int(3)
        object["c"] = .int(4)
        object["b"] = nil
        object.setDefault("a", .int(9))
        object.setDefault("d", .int(5))
        #expect(object.keys == ["a", "c", "d"])
        #expect(object["a"] == .int(3))
    }
}

extension String {
    fileprivate func replacingSpaces() -> String {
        String(filter { $0 != " " })
    }
}
