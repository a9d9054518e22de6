import HTTP
import Synchronization

/// The `respond` callback of one request. It tells apart an answer given during `handle` (written by
/// the loop right after `handle` returns, no thread hop) from a later one (posted to the loop's
/// mailbox), whichever thread it comes from.
final class Responder: Sendable {
    private enum State: Sendable {
        /// `handle` has not returned yet.
        case handling
        /// Answered during `handle`; the loop picks it up.
        case answered(HTTPResponse)
        /// `handle` returned without an answer; the next one goes through the mailbox.
        case detached
        case done
    }

    private let loop: EventLoop
    private let fd: Int32
    private let connectionID: UInt64
    private let serial: UInt64
    private let state = Mutex<State>(.handling)

    init(loop: EventLoop, fd: Int32, connectionID: UInt64, serial: UInt64) {
        self.loop = loop
        self.fd = fd
        self.connectionID = connectionID
        self.serial = serial
    }

    /// The handler's `respond`. Only the first call counts.
    func respond(_ response: HTTPResponse) {
        let post = state.withLock { state -> Bool in
            switch state {
            case .handling:
                state = .answered(response)
                return false
            case .detached:
                state = .done
                return true
            case .answered, .done:
                return false
            }
        }
        if post {
            loop.post(.response(fd: fd, connectionID: connectionID, serial: serial, response))
        }
    }

    /// Called by the loop once `handle` returns: the synchronous answer, if there was one.
    func detach() -> HTTPResponse? {
        state.withLock { state in
            if case .answered(let response) = state {
                state = .done
                return response
            }
            state = .detached
            return nil
        }
    }

    deinit {
        // The handler dropped `respond` without calling it: answer 500 rather than leave the
        // connection waiting forever.
        let abandoned = state.withLock { state -> Bool in
            if case .detached = state { return true }
            return false
        }
        if abandoned {
            loop.post(
                .response(
                    fd: fd, connectionID: connectionID, serial: serial,
                    TransportError.abandoned.response))
        }
    }
}
