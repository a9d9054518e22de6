import CPostgres
import Glibc

/// One libpq connection, used by one thread at a time. Every call's result is checked;
/// `PostgresError` keeps the SQLSTATE and the server's message, never bound values.
///
/// Parameters are sent as text (numbers and strings) or binary (`bytea`); results come back as
/// text, `bytea` in PostgreSQL's hex form (`\x…`).
final class PostgresConnection {
    private var handle: OpaquePointer?
    let conninfo: String
    /// The statements prepared on this session, and those to prepare (`prepareWanted()`).
    private var statements = PreparedStatements()

    /// Connects; throws `PostgresError` when the server cannot be reached or refuses.
    init(conninfo: String) throws {
        self.conninfo = conninfo
        handle = PQconnectdb(conninfo)
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let error = PostgresError(connectionOf: handle)
            PQfinish(handle)
            self.handle = nil
            throw error
        }
    }

    deinit {
        PQfinish(handle)
    }

    /// Drops the connection (a broken session is opened anew by the next user).
    func close() {
        PQfinish(handle)
        handle = nil
        statements.reset()
    }

    /// Whether libpq still holds a working connection (false after the server went away).
    var isOpen: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// The connection's socket, for `poll` while listening.
    var socket: Int32 { handle.map { PQsocket($0) } ?? -1 }

    /// When set, how long a statement may wait for the server to send anything before the
    /// connection is given up (closed) and the statement fails as unreachable (08006): a server
    /// that hangs without closing its sockets (stopped, or a network that drops everything
    /// silently) would otherwise keep the caller waiting until TCP keepalives give up, or
    /// forever when the peer's kernel still acknowledges them. `nil`: wait as long as it takes.
    ///
    /// Setting it also puts the connection in libpq's nonblocking mode, so that sending never
    /// waits on a full socket longer than the limit either (a pipeline sends a whole group).
    var silenceLimitMilliseconds: Int32? {
        didSet {
            if let handle { PQsetnonblocking(handle, silenceLimitMilliseconds == nil ? 0 : 1) }
        }
    }

    /// Runs one statement with `$1, $2, …` bound to `parameters`.
    @discardableResult
    func execute(_ sql: String, _ parameters: [PostgresValue] = []) throws -> PostgresResult {
        let handle = try openHandle()
        if silenceLimitMilliseconds != nil {
            try send(sql, parameters)
            try sendQueued(handle)
            return try checked(try awaitResult(handle), handle)
        }
        let result = Self.withParameters(parameters) { count, types, values, lengths, formats in
            PQexecParams(handle, sql, count, types, values, lengths, formats, 0)
        }
        return try checked(result, handle)
    }

    /// The libpq connection, or the error of a connection already closed.
    private func openHandle() throws -> OpaquePointer {
        guard let handle else { throw PostgresError(sqlState: "08003", message: "connection closed") }
        return handle
    }

    private func checked(_ result: OpaquePointer?, _ handle: OpaquePointer) throws -> PostgresResult {
        guard let result else { throw PostgresError(connectionOf: handle) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            return PostgresResult(result)
        default:
            let error = PostgresError(result: result, connection: handle)
            PQclear(result)
            throw error
        }
    }

    /// The last result of the statement just sent, reading the socket with `poll` so that no
    /// wait for the server lasts more than the silence limit; past that the connection is closed.
    private func awaitResult(_ handle: OpaquePointer) throws -> OpaquePointer? {
        var last: OpaquePointer?
        while true {
            do {
                try awaitInput(handle)
            } catch {
                if let last { PQclear(last) }
                throw error
            }
            guard let result = PQgetResult(handle) else { return last }
            if let last { PQclear(last) }
            last = result
        }
    }

    /// Reads until `PQgetResult` would not block, waiting at most the silence limit (if any)
    /// for each arrival.
    private func awaitInput(_ handle: OpaquePointer) throws {
        guard silenceLimitMilliseconds != nil else { return }
        while PQisBusy(handle) == 1 {
            try awaitSocket(handle, Int16(POLLIN))
            guard PQconsumeInput(handle) == 1 else { throw PostgresError(connectionOf: handle) }
        }
    }

    /// Sends everything libpq holds for the server. In nonblocking mode (a silence limit) it
    /// waits for room in the socket at most the silence limit at a time, reading what the
    /// server sends meanwhile (so neither side can block the other); otherwise `PQflush` blocks.
    private func sendQueued(_ handle: OpaquePointer) throws {
        while true {
            switch PQflush(handle) {
            case 0: return
            case 1:
                try awaitSocket(handle, Int16(POLLIN | POLLOUT))
                guard PQconsumeInput(handle) == 1 else { throw PostgresError(connectionOf: handle) }
            default: throw PostgresError(connectionOf: handle)
            }
        }
    }

    /// Waits until the socket is ready for `events`; past the silence limit, closes the
    /// connection and throws as unreachable.
    private func awaitSocket(_ handle: OpaquePointer, _ events: Int16) throws {
        let limit = silenceLimitMilliseconds ?? -1
        var descriptor = pollfd(fd: PQsocket(handle), events: events, revents: 0)
        var ready: Int32
        repeat {
            ready = poll(&descriptor, 1, limit)
        } while ready < 0 && errno == EINTR
        guard ready > 0 else {
            close()
            throw PostgresError(sqlState: "08006", message: "the server sent nothing for \(limit) ms")
        }
    }

    /// Runs a script of several statements without parameters (a migration), through the
    /// simple query protocol: the extended one takes a single statement.
    func executeScript(_ sql: String) throws {
        let handle = try openHandle()
        guard let result = PQexec(handle, sql) else { throw PostgresError(connectionOf: handle) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK: return
        default: throw PostgresError(result: result, connection: handle)
        }
    }

    /// Consumes input and returns the notifications received since the last call (those read
    /// while a statement ran included): channel and payload of each.
    func notifications() throws -> [(channel: String, payload: String)] {
        guard let handle else { return [] }
        guard PQconsumeInput(handle) == 1 else { throw PostgresError(connectionOf: handle) }
        var received: [(channel: String, payload: String)] = []
        while let notice = PQnotifies(handle) {
            received.append((String(cString: notice.pointee.relname), String(cString: notice.pointee.extra)))
            PQfreemem(notice)
        }
        return received
    }

    /// `parameters` as libpq takes them: text (numbers and strings, NUL-terminated) or binary
    /// (`bytea`, arrays), copied once into buffers that live until `body` returns.
    private static func withParameters<R>(
        _ parameters: [PostgresValue],
        _ body: (Int32, [Oid], [UnsafePointer<CChar>?], [Int32], [Int32]) -> R
    ) -> R {
        var buffers: [UnsafeMutableRawBufferPointer?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        var types: [Oid] = []
        buffers.reserveCapacity(parameters.count)
        defer { for buffer in buffers { buffer?.deallocate() } }
        // One byte more, NUL: text is read up to it, binary by its length.
        func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeMutableRawBufferPointer {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count + 1, alignment: 1)
            buffer.copyMemory(from: bytes)
            buffer[bytes.count] = 0
            return buffer
        }
        for parameter in parameters {
            switch parameter {
            case .null:
                buffers.append(nil)
                lengths.append(0)
                formats.append(0)
                types.append(0)
            case .text(var text):
                buffers.append(text.withUTF8 { copy(UnsafeRawBufferPointer($0)) })
                lengths.append(0)
                formats.append(0)
                types.append(0)
            case .bytes(let bytes):
                buffers.append(bytes.withUnsafeBytes { copy($0) })
                lengths.append(Int32(bytes.count))
                formats.append(1)
                types.append(17)  // bytea
            case .binary(let type, let bytes):
                buffers.append(bytes.withUnsafeBytes { copy($0) })
                lengths.append(Int32(bytes.count))
                formats.append(1)
                types.append(type)
            }
        }
        let values = buffers.map { $0.map { UnsafePointer($0.baseAddress!.assumingMemoryBound(to: CChar.self)) } }
        return body(Int32(parameters.count), types, values, lengths, formats)
    }

    // MARK: Pipeline mode (libpq ≥ 14)

    /// One result read from a pipeline, in the order the statements were sent.
    enum PipelineResult {
        case done(PostgresResult)
        case failed(PostgresError)
        /// Skipped by the server because an earlier statement of the pipeline failed.
        case aborted
        /// The end of what one `pipelineSync()` closed.
        case synchronized
    }

    /// Enters pipeline mode: statements are sent without waiting for their results, which are
    /// read later in order (https://www.postgresql.org/docs/15/libpq-pipeline-mode.html).
    /// `execute` may not be used until `exitPipelineMode()`.
    func enterPipelineMode() throws {
        let handle = try openHandle()
        guard PQenterPipelineMode(handle) == 1 else { throw PostgresError(connectionOf: handle) }
    }

    /// Leaves pipeline mode; fails (and the caller drops the connection) while results are unread.
    func exitPipelineMode() throws {
        let handle = try openHandle()
        guard PQexitPipelineMode(handle) == 1 else { throw PostgresError(connectionOf: handle) }
    }

    /// Queues a statement in the pipeline (sent when libpq's buffer fills or at the next flush).
    /// A text prepared on this connection runs by its name (no parse, no plan); another is
    /// sent whole, and noted for `prepareWanted()` (`PreparedStatements`).
    func send(_ sql: String, _ parameters: [PostgresValue] = []) throws {
        let handle = try openHandle()
        let sent = Self.withParameters(parameters) { count, types, values, lengths, formats -> Int32 in
            if let name = statements.name(for: sql, types: types) {
                return PQsendQueryPrepared(handle, name, count, values, lengths, formats, 0)
            }
            return PQsendQueryParams(handle, sql, count, types, values, lengths, formats, 0)
        }
        guard sent == 1 else { throw PostgresError(connectionOf: handle) }
    }

    /// Prepares the texts pipelines sent whole, so later ones run them by name: the writer's
    /// groups send the same few texts over and over, and the server parsed and planned each
    /// at every group (BENCHMARKS.md, "Fifth pass: prepared statements"). Outside a pipeline and a
    /// transaction only (the writer calls it after a COMMIT returned). A text that fails to
    /// prepare is sent whole from then on; a prepare that could not be sent or answered closes
    /// the connection (the writer opens another for its next group). Waits at most the silence
    /// limit for each answer.
    func prepareWanted() {
        guard let handle, !statements.wanted.isEmpty else { return }
        for (sql, types) in statements.takeWanted() {
            let name = statements.nextName
            guard PQsendPrepare(handle, name, sql, Int32(types.count), types) == 1,
                (try? sendQueued(handle)) != nil, let result = try? awaitResult(handle)
            else {
                // Not a state to send the next group in: the writer opens a new connection.
                close()
                return
            }
            if PQresultStatus(result) == PGRES_COMMAND_OK { statements.prepared(sql, as: name, types: types) }
            PQclear(result)
        }
    }

    /// Sends what is queued and asks the server to send back the results so far, without
    /// ending the pipeline: for a statement whose rows are needed now.
    func flushPipeline() throws {
        let handle = try openHandle()
        guard PQsendFlushRequest(handle) == 1 else { throw PostgresError(connectionOf: handle) }
        try sendQueued(handle)
    }

    /// Sends what is queued, without asking for results: the server starts on it meanwhile.
    func flush() throws {
        try sendQueued(try openHandle())
    }

    /// Closes the pipeline's current segment: after a failure the server skips statements up to
    /// here. Sends everything queued.
    func pipelineSync() throws {
        let handle = try openHandle()
        guard PQpipelineSync(handle) == 1 else { throw PostgresError(connectionOf: handle) }
        try sendQueued(handle)
    }

    /// The next statement's result, waiting for it (at most the silence limit for each arrival);
    /// throws when the connection broke.
    func nextPipelineResult() throws -> PipelineResult {
        let handle = try openHandle()
        try awaitInput(handle)
        guard let result = PQgetResult(handle) else { throw PostgresError(connectionOf: handle) }
        let status = PQresultStatus(result)
        if status == PGRES_PIPELINE_SYNC {
            PQclear(result)
            return .synchronized
        }
        // Each statement's results end with a null result.
        try awaitInput(handle)
        if let extra = PQgetResult(handle) { PQclear(extra) }
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            return .done(PostgresResult(result))
        case PGRES_PIPELINE_ABORTED:
            PQclear(result)
            return .aborted
        default:
            let error = PostgresError(result: result, connection: handle)
            PQclear(result)
            return .failed(error)
        }
    }
}

@available(*, unavailable, message: "a libpq connection is used by one thread at a time")
extension PostgresConnection: Sendable {}

extension PostgresConnection: PostgresStatements {
    func write(_ sql: String, _ parameters: [PostgresValue], expecting: PostgresExpectation) throws -> Int? {
        try execute(sql, parameters).affected
    }
}

/// A bound parameter.
enum PostgresValue {
    case null
    case text(String)
    /// A `bytea`.
    case bytes([UInt8])
    /// A value of the type with this oid in PostgreSQL's binary format (`PostgresArray`).
    case binary(type: UInt32, [UInt8])

    static func int(_ value: Int64?) -> PostgresValue { value.map { .text(String($0)) } ?? .null }
    static func int(_ value: Int?) -> PostgresValue { value.map { .text(String($0)) } ?? .null }
    static func string(_ value: String?) -> PostgresValue { value.map { .text($0) } ?? .null }
}

/// The rows of a statement, read as text.
final class PostgresResult {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) {
        self.result = result
    }

    deinit {
        PQclear(result)
    }

    var count: Int { Int(PQntuples(result)) }
    var affected: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }
    /// The command tag's verb: `COMMIT` for a COMMIT that committed, `ROLLBACK` for one that did not.
    var command: String { String(cString: PQcmdStatus(result)).split(separator: " ").first.map(String.init) ?? "" }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(result, Int32(row), Int32(column)) == 1 }

    func string(_ row: Int, _ column: Int) -> String? {
        isNull(row, column) ? nil : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    func int(_ row: Int, _ column: Int) -> Int64? { string(row, column).flatMap { Int64($0) } }

    func bool(_ row: Int, _ column: Int) -> Bool { string(row, column) == "t" }

    /// A `bytea` in hex output form.
    func bytes(_ row: Int, _ column: Int) -> [UInt8]? {
        guard let text = string(row, column) else { return nil }
        let hex = Array(text.utf8.dropFirst(2))  // "\x"
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = 0
        while index + 1 < hex.count {
            bytes.append(Self.nibble(hex[index]) << 4 | Self.nibble(hex[index + 1]))
            index += 2
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return 0
        }
    }
}

@available(*, unavailable, message: "results belong to the thread that ran the statement")
extension PostgresResult: Sendable {}

/// A failure reported by libpq or the server: its SQLSTATE (https://www.postgresql.org/docs/15/errcodes-appendix.html)
/// and message, never the bound values.
struct PostgresError: Error, Sendable, CustomStringConvertible {
    let sqlState: String
    let message: String

    init(sqlState: String, message: String) {
        self.sqlState = sqlState
        self.message = message
    }

    /// A failure of the connection itself (no result, or a broken connection).
    init(connectionOf handle: OpaquePointer?) {
        let text = handle.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? "out of memory"
        self.init(sqlState: "08006", message: Self.trimmed(text))
    }

    init(result: OpaquePointer, connection: OpaquePointer) {
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        let text = String(cString: PQresultErrorMessage(result))
        // No SQLSTATE: libpq's own failure, which here means the connection broke.
        self.init(sqlState: state ?? (PQstatus(connection) == CONNECTION_OK ? "XX000" : "08006"), message: Self.trimmed(text))
    }

    /// Class 08 (connection exception), 57P0x (the server shutting down or restarting) and
    /// 53xxx (out of resources): the database is unreachable, not the request wrong.
    var isUnavailable: Bool {
        sqlState.hasPrefix("08") || sqlState.hasPrefix("57P") || sqlState.hasPrefix("53")
    }

    /// A deadlock or serialization failure between instances: the whole group may be retried.
    var isRetryable: Bool { sqlState == "40P01" || sqlState == "40001" }

    var isUniqueViolation: Bool { sqlState == "23505" }
    var isForeignKeyViolation: Bool { sqlState == "23503" }

    var description: String { "PostgreSQL error \(sqlState): \(message)" }

    private static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last == "\n" || last == " " { text = text.dropLast() }
        return String(text)
    }
}
