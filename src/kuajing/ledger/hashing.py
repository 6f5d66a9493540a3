"""Persons to keyed hashes: one HMAC-SHA256 per distinct normalised key, truncated to 128 bits."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import numpy as np
import polars as pl

from kuajing.ledger.keys import Keyring

HASH_BYTES = 16
_CHUNK = 500_000


def _pads(key: bytes) -> tuple[Any, Any]:
    """SHA-256 states after absorbing the key XOR ipad and XOR opad (RFC 2104)."""
    block = key.ljust(64, b"\0")  # keys are 32 bytes: never longer than the block
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    return inner, outer


def person_hash(keyring: Keyring, key: str) -> bytes:
    """One person's hash, by the standard library's HMAC: the reference the fast path matches."""
    return hmac.digest(keyring.persons, key.encode(), "sha256")[:HASH_BYTES]


def hash_persons(keyring: Keyring, keys: pl.Series) -> np.ndarray:
    """Distinct keyed hashes of the non-null keys, sorted, as an (n, 16) uint8 array.
    Sorted rows go into the database's B-trees in order, which is what makes bulk
    recording fast."""
    distinct = keys.drop_nulls().unique()
    out = bytearray(len(distinct) * HASH_BYTES)
    inner, outer = _pads(keyring.persons)
    pos = 0
    for start in range(0, len(distinct), _CHUNK):
        for value in distinct.slice(start, _CHUNK).to_list():
            # HMAC by its definition, H(K^opad || H(K^ipad || m)), from the two padded-key
            # states computed once: twice as fast as hmac.digest() per value.
            i = inner.copy()
            i.update(value.encode())
            o = outer.copy()
            o.update(i.digest())
            out[pos : pos + HASH_BYTES] = o.digest()[:HASH_BYTES]
            pos += HASH_BYTES
    table = np.frombuffer(bytes(out), dtype=np.uint8).reshape(-1, HASH_BYTES)
    words = table.view(">u8")  # two big-endian words per hash: byte order = numeric order
    order = np.lexsort((words[:, 1], words[:, 0]))
    return table[order]
