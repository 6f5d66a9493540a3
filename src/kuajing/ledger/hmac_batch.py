"""HMAC-SHA256 of many messages under one key. Standard library only: worker processes that
hash a large batch import just this module."""

from __future__ import annotations

import hashlib
import pickle
import sys
from itertools import pairwise
from typing import Any, BinaryIO

BLOCK = 64  # SHA-256's block size


def pads(key: bytes) -> tuple[Any, Any]:
    """SHA-256 states after absorbing the key XOR ipad and XOR opad (RFC 2104)."""
    if len(key) > BLOCK:
        raise ValueError("HMAC keys longer than a block are hashed first: not supported here")
    block = key.ljust(BLOCK, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    return inner, outer


def digests(key: bytes, values: list[bytes]) -> bytes:
    """The 32-byte HMAC-SHA256 of each value under `key`, concatenated in order."""
    inner, outer = pads(key)

    def digest(value: bytes) -> bytes:
        # HMAC by its definition, H(K^opad || H(K^ipad || m)), from the two padded-key states
        # computed once: twice as fast as hmac.digest() per value; 0.8 us a person in all.
        i = inner.copy()
        i.update(value)
        o = outer.copy()
        o.update(i.digest())
        out: bytes = o.digest()
        return out

    return b"".join(map(digest, values))


def unpacked(data: bytes, ends: bytes, start: int = 0, stop: int | None = None) -> list[bytes]:
    """Values `start` to `stop` from their concatenation and the end offset of each (native
    uint64): one buffer crosses the pipe instead of a pickled object per value (0.4 us each)."""
    stops = memoryview(ends).cast("Q")[start:stop]
    first = memoryview(ends).cast("Q")[start - 1] if start else 0
    return [data[a:b] for a, b in pairwise([first, *stops])]


SLICE = 65_536  # values turned into objects and hashed at a time


def packed_digests(key: bytes, data: bytes, ends: bytes) -> bytes:
    """`digests` of the packed values, a slice at a time: the objects of one slice fit in the
    memory the interpreter already holds, so the process stops faulting in fresh pages for
    each request (system time a third, 5-8 % less in all, in a loop of 500,000 values)."""
    count = len(ends) // 8
    return b"".join(
        digests(key, unpacked(data, ends, s, s + SLICE)) for s in range(0, count, SLICE)
    )


def serve(source: BinaryIO, sink: BinaryIO) -> None:
    """A worker process's loop: each request, (key, values packed) pickled by the parent process
    over a private pipe, is answered with the values' digests. Both are prefixed by their size."""
    while header := source.read(8):
        key, data, ends = pickle.loads(source.read(int.from_bytes(header, "little")))
        out = packed_digests(key, data, ends)
        sink.write(len(out).to_bytes(8, "little"))
        sink.write(out)
        sink.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
