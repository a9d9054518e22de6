#!/usr/bin/env python3
"""Prints a 1 MiB create body whose options hold 100,000+ distinct keys (issue 10).

The parser's duplicate-key check and every object lookup scanned the members, so judging this
took 21 s of CPU (release build) and held an event loop as long. Replayed with run.sh's
-timeout, it fails ("reproduces: ... timeout") if any path over object members turns quadratic.
"""
import sys

LIMIT = 1_048_576
parts, size, index = ['{"name":"keys","strategy":"auth0","options":{'], 0, 0
size = len(parts[0]) + 2
while True:
    piece = ("," if index else "") + '"k%x":0' % index
    if size + len(piece) > LIMIT:
        break
    parts.append(piece)
    size += len(piece)
    index += 1
parts.append("}}")
sys.stdout.write("".join(parts))
