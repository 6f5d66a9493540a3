"""Persons to keyed hashes: one HMAC-SHA256 per distinct normalised key, truncated to 128 bits."""

from __future__ import annotations

import hmac

import numpy as np
import polars as pl

from kuajing.ledger.hmac_batch import digests
from kuajing.ledger.keys import Keyring
from kuajing.ledger.models import HASH_BYTES

_SLICE = 65_536


def person_hash(keyring: Keyring, key: str) -> bytes:
    """One person's hash, by the standard library's HMAC: the reference the fast path matches."""
    return hmac.digest(keyring.persons, key.encode(), "sha256")[:HASH_BYTES]


def hash_persons(keyring: Keyring, keys: pl.Series) -> np.ndarray:
    """Distinct keyed hashes of the non-null keys, sorted, as an (n, 16) uint8 array.
    Sorted rows go into the database's B-trees in order, which is what makes bulk
    recording fast."""
    distinct = distinct_keys(keys)
    table = np.empty((len(distinct), HASH_BYTES), dtype=np.uint8)
    for start in range(0, len(distinct), _SLICE):  # Python objects for a slice at a time only
        values = distinct.slice(start, _SLICE).to_list()
        table[start : start + len(values)] = truncated(digests(keyring.persons, values))
    return sort_hashes(table)


def distinct_keys(keys: pl.Series) -> pl.Series:
    """The distinct non-null keys as their UTF-8 bytes (what str.encode() gives)."""
    return keys.drop_nulls().unique().cast(pl.Binary)


def truncated(full: bytes) -> np.ndarray:
    """Concatenated 32-byte digests as an (n, 16) array of their first 16 bytes."""
    return np.frombuffer(full, dtype=np.uint8).reshape(-1, 32)[:, :HASH_BYTES]


def sort_hashes(table: np.ndarray) -> np.ndarray:
    """(n, 16) hashes in byte order, as a new contiguous array."""
    words = table.view(">u8")  # two big-endian words per hash: byte order = numeric order
    first = words[:, 0].astype(np.uint64)  # native byte order sorts twice as fast
    order = np.argsort(first)
    ordered = first[order]
    if (ordered[1:] == ordered[:-1]).any():  # two hashes share 8 bytes (~never): both words
        order = np.lexsort((words[:, 1], words[:, 0]))
    return take_rows(table, order)


def take_rows(table: np.ndarray, order: np.ndarray) -> np.ndarray:
    """`table[order]` for (n, 16) hashes, taken as pairs of words: ten times as fast."""
    return np.take(table.view(np.uint64), order, axis=0).view(np.uint8)
