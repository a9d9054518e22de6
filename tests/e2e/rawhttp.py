"""A tiny HTTP/1.1 client over raw sockets, for inputs no well-behaved client library would send."""

import socket
import threading

SOCKET_TIMEOUT = 10


class RawResponse:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # list of (lower-case name, value)
        self.body = body

    def header(self, name):
        values = [value for key, value in self.headers if key == name.lower()]
        return values[0] if values else None

    def json(self):
        import json

        return json.loads(self.body)

    def __repr__(self):
        return f"<{self.status} {self.reason} {self.headers} {self.body[:600]!r}>"


class Conn:
    """One client connection; reads responses one at a time from a buffer."""

    def __init__(self, port, timeout=SOCKET_TIMEOUT):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buffer = b""

    def send(self, data: bytes):
        self.sock.sendall(data)

    def send_in_background(self, data: bytes):
        """Send a large payload without blocking the reader; the server may close mid-way."""

        def pump():
            try:
                self.sock.sendall(data)
            except OSError:
                pass

        thread = threading.Thread(target=pump, daemon=True)
        thread.start()
        return thread

    def _fill(self) -> bool:
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            return False
        self.buffer += chunk
        return True

    def read_response(self, method="GET") -> RawResponse:
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill():
                raise EOFError(f"connection closed before a full response head; got {self.buffer[:300]!r}")
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        version, status, *reason = lines[0].split(" ", 2)
        assert version.startswith("HTTP/1."), lines[0]
        headers = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers.append((name.strip().lower(), value.strip()))
        status = int(status)
        length = [v for k, v in headers if k == "content-length"]
        chunked = any(k == "transfer-encoding" and "chunked" in v.lower() for k, v in headers)
        if status < 200 or status in (204, 304) or method == "HEAD":
            body = b""
        elif length:
            size = int(length[0])
            while len(self.buffer) < size:
                if not self._fill():
                    raise EOFError("connection closed inside a response body")
            body, self.buffer = self.buffer[:size], self.buffer[size:]
        elif chunked:
            body = self._read_chunked()
        else:
            while self._fill():
                pass
            body, self.buffer = self.buffer, b""
        return RawResponse(status, reason[0] if reason else "", headers, body)

    def _read_chunked(self) -> bytes:
        body = b""
        while True:
            while b"\r\n" not in self.buffer:
                if not self._fill():
                    raise EOFError("closed inside chunked body")
            size_line, _, self.buffer = self.buffer.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(self.buffer) < size + 2:
                if not self._fill():
                    raise EOFError("closed inside chunk")
            body += self.buffer[:size]
            self.buffer = self.buffer[size + 2:]
            if size == 0:
                return body

    def closed_by_peer(self, timeout=5.0) -> bool:
        """True when the server closes the connection (EOF or reset) within `timeout`."""
        self.sock.settimeout(timeout)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
                self.buffer += chunk
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def exchange(port, data: bytes, method="GET") -> RawResponse:
    with Conn(port) as conn:
        conn.send(data)
        return conn.read_response(method)
