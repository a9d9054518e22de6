import JSON
import Lint
import Validation

// libFuzzer target for the JSON layer: JSONParser, JSONWriter, ConnectionJudge (create and update)
// and LintEngine. Built by fuzz/run.sh against an instrumented Validation module; not part of the
// package. A broken property calls `fatalError`, which libFuzzer reports as a crash with the input.

/// Tenants the rules branch on: Identifier First on, off and unknown.
private let tenants: [TenantSettings] = [.fresh, .unknown, TenantSettings(identifierFirst: true)]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    // Exactly `size` elements: under ASan an array's capacity is its requested size, so a read past
    // the end hits a redzone instead of spare capacity.
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
    checkParsing(bytes)
    checkLint(bytes)
    return 0
}

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("property broken: \(message())") }
}

private func checkParsing(_ bytes: [UInt8]) {
    let value: JSONValue
    do {
        value = try JSONParser.parse(bytes)
    } catch {
        checkErrorPosition(error, bytes)
        do {
            _ = try JSONParser.parse(bytes, streamingElementsOf: "connections") { _, _, _ in }
            check(false, "parse failed (\(error)) but the streaming parse succeeded")
        } catch let streamed {
            check(streamed == error, "parse and the streaming parse fail differently: \(error) vs \(streamed)")
        }
        // The positions parser must agree that the document is invalid, at the same place.
        do {
            _ = try JSONParser.parseWithPositions(bytes)
            check(false, "parse failed (\(error)) but parseWithPositions succeeded")
        } catch let second {
            check(second == error, "parse and parseWithPositions fail differently: \(error) vs \(second)")
        }
        return
    }
    do {
        let (positioned, positions) = try JSONParser.parseWithPositions(bytes)
        check(positioned == value, "parseWithPositions gives a different value")
        check(positions.position(of: []) != nil, "no position recorded for the root value")
    } catch {
        check(false, "parse succeeded but parseWithPositions failed: \(error)")
    }

    // parse -> encode -> parse is the identity, and the encoding is a fixed point byte for byte
    // (String equality is canonical equivalence, so the bytes are the stricter check).
    let encoded = JSONWriter.encode(value)
    let reparsed: JSONValue
    do {
        reparsed = try JSONParser.parse(encoded)
    } catch {
        fatalError("property broken: the writer's output does not parse: \(error)")
    }
    check(reparsed == value, "parse(encode(v)) != v")
    check(JSONWriter.encode(reparsed) == encoded, "encode(parse(encode(v))) != encode(v)")

    checkStreaming(bytes, value)
    checkMemberScan(bytes, value)
    checkJudging(value)
}

/// The streaming parse hands over exactly the elements of the top-level array (or of the
/// top-level object's `connections` array), each with a byte range that parses to it, and
/// returns the rest of the document with that array emptied.
private func checkStreaming(_ bytes: [UInt8], _ value: JSONValue) {
    var visited: [JSONValue] = []
    let rest: JSONValue
    do {
        rest = try JSONParser.parse(bytes, streamingElementsOf: "connections") { path, element, range in
            check(path.last == .index(visited.count), "streamed element \(visited.count) has path \(path)")
            check((try? JSONParser.parse(Array(bytes[range]))) == element, "a streamed element's range does not parse to it")
            visited.append(element)
        }
    } catch {
        fatalError("property broken: parse succeeded but the streaming parse failed: \(error)")
    }
    var expected: [JSONValue] = []
    var emptied = value
    if case .array(let elements) = value {
        expected = elements
        emptied = .array([])
    } else if case .object(var object) = value, let elements = object["connections"]?.arrayValue {
        expected = elements
        object["connections"] = .array([])
        emptied = .object(object)
    }
    check(visited == expected, "the streamed elements differ from the parsed ones")
    check(rest == emptied, "the streaming parse returns a different rest of the document")
}

/// For a valid object document, the start-up member scanner finds every member, in order,
/// and each value range parses to that member's value.
private func checkMemberScan(_ bytes: [UInt8], _ value: JSONValue) {
    guard case .object(let object) = value else { return }
    guard let members = JSONMemberScanner.members(of: bytes) else {
        return check(false, "the member scanner refused a valid object")
    }
    check(members.map(\.key) == object.keys, "the member scanner found other keys")
    for (member, parsed) in zip(members, object.members) {
        check((try? JSONParser.parse(Array(bytes[member.value]))) == parsed.value, "a scanned value range is wrong")
    }
}

private func checkErrorPosition(_ error: JSONSyntaxError, _ bytes: [UInt8]) {
    let position = error.position
    check(position.offset >= 0 && position.offset <= bytes.count, "error offset \(position.offset) outside the input")
    check(position.line >= 1 && position.column >= 1, "error position \(position.line):\(position.column) not 1-based")
    let newlines = bytes[..<position.offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    check(position.line == newlines + 1, "error line \(position.line) but \(newlines) newlines precede it")
}

/// Judging must never trap, must be deterministic, and what it would store must serialize to JSON
/// that parses back to the same object.
private func checkJudging(_ value: JSONValue) {
    for tenant in tenants {
        let created = ConnectionJudge.judgeCreate(value, tenant: tenant)
        checkJudgement(created)
        let again = ConnectionJudge.judgeCreate(value, tenant: tenant)
        check(again.violations == created.violations, "judgeCreate is not deterministic")
        check(again.connection == created.connection, "judgeCreate stores different connections")

        // PATCH the same body (minus the keys a PATCH may not send) onto what the create stored.
        guard var stored = created.connection, var body = value.objectValue else { continue }
        stored["id"] = .string("con_fuzz0000000000")
        body["name"] = nil
        body["strategy"] = nil
        let updated = ConnectionJudge.judgeUpdate(.object(body), stored: stored, tenant: tenant)
        checkJudgement(updated)
        // A PATCH of an empty body also has to be judged without trapping.
        checkJudgement(ConnectionJudge.judgeUpdate(.object(JSONObject()), stored: stored, tenant: tenant))
    }
}

private func checkJudgement(_ judgement: Judgement) {
    for violation in judgement.violations {
        check(!violation.rule.isEmpty && !violation.message.isEmpty, "violation without a rule or message")
    }
    guard let connection = judgement.connection else {
        check(!judgement.violations.isEmpty, "no connection and no violation")
        return
    }
    let encoded = JSONWriter.encode(.object(connection))
    do {
        let reparsed = try JSONParser.parse(encoded)
        check(reparsed == .object(connection), "a judged connection does not round-trip")
    } catch {
        fatalError("property broken: a judged connection encodes to invalid JSON: \(error)")
    }
}

/// `lint` locates findings with a fast scanner (EntrySpans) and falls back to positions recorded for
/// the whole document; both must give the place the whole-document positions give.
private func checkLint(_ bytes: [UInt8]) {
    let findings = LintEngine(tenant: .unknown).lint(file: "fuzz.json", bytes: bytes)
    // lint skips a UTF-8 byte-order mark and counts lines and columns from after it.
    guard let (_, positions) = try? JSONParser.parseWithPositions(LintEngine.withoutByteOrderMark(bytes)) else {
        check(findings.count == 1 && findings[0].violation.rule == Rule.jsonSyntax.id, "invalid JSON without one syntax finding")
        return
    }
    for finding in findings {
        check(finding.line >= 1 && finding.column >= 1, "finding at \(finding.line):\(finding.column)")
        guard let expected = positions.position(of: finding.violation.path) else { continue }
        check(
            finding.line == expected.line && finding.column == expected.column,
            "lint put \(finding.violation.rule) at \(finding.violation.path.jsonPointer) on \(finding.line):\(finding.column), "
                + "the document's positions say \(expected.line):\(expected.column)")
    }
}
