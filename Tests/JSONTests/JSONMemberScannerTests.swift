import JSON
import Testing

@Suite struct JSONMemberScannerTests {
    private func scan(_ text: String) -> [JSONMemberScanner.Member]? {
        JSONMemberScanner.members(of: Array(text.utf8))
    }

    private func text(_ source: String, _ range: Range<Int>) -> String {
        String(decoding: Array(source.utf8)[range], as: UTF8.self)
    }

    @Test func findsEachMemberAndItsRanges() throws {
        let source = #"{"id":"con_1", "options":{"a":[1,{"b":"]}"}],"c":"\"{["},"n":-2.5e3,"t":true,"z":null}"#
        let members = try #require(scan(source))
        #expect(members.map(\.key) == ["id", "options", "n", "t", "z"])
        #expect(text(source, members[0].value) == #""con_1""#)
        #expect(text(source, members[1].range) == #", "options":{"a":[1,{"b":"]}"}],"c":"\"{["}"#)
        #expect(text(source, members[1].value) == #"{"a":[1,{"b":"]}"}],"c":"\"{["}"#)
        #expect(text(source, members[2].value) == "-2.5e3")
        #expect(text(source, members[3].value) == "true")
        #expect(text(source, members[4].range) == #","z":null"#)
    }

    @Test func decodesEscapedKeys() throws {
        let members = try #require(scan(#"{"a\u0062":1,"\"q\"":[]}"#))
        #expect(members.map(\.key) == ["ab", "\"q\""])
    }

    @Test(arguments: [
        "", "[]", #"{"a":1"#, #"{"a":{"b":[1}}"#, #"{"a":[{]}"#, #"{"a":"open}"#, #"{"a":[[]}"#, #"{"a":}"#,
        #"{"a":1,}"#, #"{"a" 1}"#,
    ])
    func refusesWhatIsNotAnObjectOfWellNestedValues(source: String) {
        #expect(scan(source) == nil)
    }

    @Test func nestingIsBoundedLikeTheParser() {
        func nested(_ depth: Int) -> String {
            // The top-level object is level 1, as in JSONParser.
            #"{"a":"# + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}"
        }
        #expect(scan(nested(JSONParser.defaultMaxDepth)) != nil)
        #expect(scan(nested(JSONParser.defaultMaxDepth + 2)) == nil)
        #expect(scan(nested(200)) == nil)
    }

    @Test func anEmptyObjectHasNoMembers() {
        #expect(scan(" { } ")?.isEmpty == true)
    }
}
