import JSON
import Testing
import Validation

@testable import Lint

private func parse(_ text: String, limits: YAMLLimits = YAMLLimits()) throws -> (JSONValue, JSONPositions) {
    try YAMLParser.parse(Array(text.utf8), limits: limits)
}

private func value(_ text: String) throws -> JSONValue {
    try parse(text).0
}

private func json(_ text: String) throws -> JSONValue {
    try JSONParser.parse(text)
}

private func refusal(_ text: String, limits: YAMLLimits = YAMLLimits()) -> YAMLSyntaxError? {
    do {
        _ = try parse(text, limits: limits)
        return nil
    } catch let error as YAMLSyntaxError {
        return error
    } catch {
        return nil
    }
}

@Suite struct YAMLParserTests {
    @Test func blockCollectionsBecomeJSON() throws {
        let text = """
            databases:
              - name: Users
                options:
                  attributes: {email: {identifier: {active: true}}}
                  count: 3
            indentless:
            - a
            - 'b'
            """
        #expect(
            try value(text)
                == json(
                    #"{"databases": [{"name": "Users", "options": {"attributes": {"email": {"identifier": {"active": true}}}, "count": 3}}], "indentless": ["a", "b"]}"#
                ))
    }

    @Test(arguments: [
        ("a: ~", #"{"a": null}"#), ("a:", #"{"a": null}"#), ("a: True", #"{"a": true}"#), ("a: FALSE", #"{"a": false}"#),
        ("a: +12", #"{"a": 12}"#), ("a: -007", #"{"a": -7}"#), ("a: 0x1F", #"{"a": 31}"#), ("a: 0o17", #"{"a": 15}"#),
        ("a: .5", #"{"a": 0.5}"#), ("a: 1.", #"{"a": 1.0}"#), ("a: 2E-2", #"{"a": 2e-2}"#), ("a: yes", #"{"a": "yes"}"#),
        ("a: '12'", #"{"a": "12"}"#), ("a: 1_000", #"{"a": "1_000"}"#),
        ("a: 0xFFFFFFFFFFFFFFFFFFFF", #"{"a": 1208925819614629174706175}"#),
    ])
    func coreSchemaResolvesPlainScalars(yaml: String, expected: String) throws {
        #expect(try value(yaml) == json(expected))
    }

    @Test func scalarsOfEveryStyle() throws {
        let text = """
            literal: |
              one
                two
            folded: >-
              a
              b

              c
            keep: |+
              k

            single: 'it''s'
            double: "t\\tu\\u00e9\\ud83d\\ude00"
            plain: first
              second
            """
        #expect(
            try value(text)
                == .object([
                    "literal": .string("one\n  two\n"), "folded": .string("a b\nc"), "keep": .string("k\n\n"),
                    "single": .string("it's"), "double": .string("t\tué😀"), "plain": .string("first second"),
                ]))
    }

    @Test func everyValueHasItsLineAndColumn() throws {
        let text = """
            # comment
            a:
              - x: 1
                y: [true, "é", 3]
            b: |
              text
            c:
            """
        let positions = try parse(text).1
        func at(_ path: [PathSegment]) -> [Int]? {
            positions.recorded[path].map { [$0.line, $0.column] }
        }
        #expect(at([]) == [2, 1])
        #expect(at([.key("a")]) == [3, 3])
        #expect(at([.key("a"), .index(0), .key("x")]) == [3, 8])
        #expect(at([.key("a"), .index(0), .key("y"), .index(2)]) == [4, 20])
        #expect(at([.key("b")]) == [5, 4])
        // An empty value is placed at its key.
        #expect(at([.key("c")]) == [7, 1])
    }

    @Test func columnsCountUnicodeScalars() throws {
        let positions = try parse("é☕: [x, y]").1
        #expect(positions.recorded[[.key("é☕"), .index(1)]]?.column == 9)
    }

    @Test(arguments: [
        ("a: &x 1", "Anchors", 1, 4), ("a: *x", "Aliases", 1, 4), ("a: !!str 1", "Tags", 1, 4),
        ("a: 1\n---\nb: 2", "Several documents", 2, 1), ("a: 1\na: 2", "Duplicate key 'a'", 2, 1),
        ("? a\n: b", "Complex mapping keys", 1, 1), ("a: -.inf", "no JSON equivalent", 1, 4),
        ("a:\n\tb: 1", "Tabs", 2, 1), ("%YAML 1.2\n---\na: 1", "directives", 1, 1),
    ])
    func refusedAtTheirPosition(text: String, reason: String, line: Int, column: Int) throws {
        let error = try #require(refusal(text))
        #expect(error.reason.contains(reason))
        #expect(error.position.line == line)
        #expect(error.position.column == column)
    }

    @Test func namedLimits() throws {
        let deep = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(refusal(deep, limits: YAMLLimits(maxDepth: 9))?.reason == "Nesting deeper than 9 levels")
        #expect(refusal(deep, limits: YAMLLimits(maxDepth: 10)) == nil)
        let nested = (0..<5).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1"
        #expect(refusal(nested, limits: YAMLLimits(maxDepth: 4))?.reason == "Nesting deeper than 4 levels")
        #expect(refusal("a: 1", limits: YAMLLimits(maxBytes: 3))?.reason == "The file is larger than 3 bytes")
    }

    /// Inputs the fuzzer (fuzz/yaml) found or that sit on edges: each is read or refused.
    @Test(arguments: ["a: [1,\r2]", "'a\rb'", "\"a\r\"", "\"a\\\rb\" x", "a: |\n", "- - - -", "{a: [}", "a: \"\\ud800\"", ":", "- ? x"])
    func hostileInputsAreReadOrRefused(text: String) {
        do {
            _ = try parse(text)
        } catch let error as YAMLSyntaxError {
            #expect(error.position.line >= 1 && error.position.column >= 1)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// fuzz/repro/yaml/escaped-lone-carriage-return.yaml: lines are counted by line feeds.
    @Test func anEscapedLoneCarriageReturnStartsNoLine() throws {
        let error = try #require(refusal("\"a\\\rb\" x"))
        #expect(error.position.line == 1)
        #expect(try value("\"a\\\r  b\"") == .string("ab"))
    }

    @Test func theEmptyValueOfAFlowPairHasAPosition() throws {
        let positions = try parse("a: [\n x: ]").1
        #expect(positions.recorded[[.key("a"), .index(0), .key("x")]]?.line == 2)
    }

    @Test(arguments: [("a: \u{0}", 1, 4), ("a: b\nc: \u{7F}", 2, 4)])
    func controlCharactersAreRefused(text: String, line: Int, column: Int) throws {
        let error = try #require(refusal(text))
        #expect(error.reason == "Control characters are not allowed in YAML")
        #expect([error.position.line, error.position.column] == [line, column])
    }

    @Test func invalidUTF8IsRefusedAtItsByte() {
        var reason: String?
        var column: Int?
        do {
            _ = try YAMLParser.parse([0x61, 0x3A, 0x20, 0xC3, 0x28])
        } catch {
            reason = error.reason
            column = error.position.column
        }
        #expect(reason == "Invalid UTF-8")
        #expect(column == 4)
    }

    @Test func documentMarkersAndEmptyDocuments() throws {
        #expect(try value("--- \n# only a comment\n") == .null)
        #expect(try value("---\na: 1\n...\n") == json(#"{"a": 1}"#))
        #expect(try value("") == .null)
    }
}
