"""The batch hashing path gives exactly the reference HMAC-SHA256 of each person (truncated to
16 bytes): stored hashes must stay comparable with those of every earlier batch."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kuajing.ledger import hash_pool, hmac_batch
from kuajing.ledger.hashing import hash_persons, person_hash
from kuajing.ledger.hmac_batch import digests, packed_digests, unpacked
from kuajing.ledger.keys import Keyring

# Any text: empty, white space only, control characters, the key separator, non-BMP
# characters (st.text draws them), and the odd long key.
person = st.one_of(
    st.text(max_size=40),
    st.text(min_size=200, max_size=3000),
    st.sampled_from(["", " ", "\x00", "\x1f", "\u3000", "𠀀𝄞😀", "1" * 10_000]),
)


@settings(max_examples=200, deadline=None)
@given(
    persons_key=st.binary(min_size=0, max_size=64),
    people=st.lists(person, max_size=30),
)
@example(persons_key=b"", people=[""])
@example(persons_key=b"\xff" * 64, people=["𝄞", "𝄞", "a\x00b"])
def test_batch_hashes_are_the_reference_hmac(persons_key: bytes, people: list[str]) -> None:
    keyring = Keyring(persons=persons_key, audit=b"a" * 32, fingerprint="f" * 16)
    table = hash_persons(keyring, pl.Series(people, dtype=pl.String))
    assert table.shape == (len(set(people)), 16)
    assert [bytes(row) for row in table] == sorted({person_hash(keyring, p) for p in people})


@settings(max_examples=25, deadline=None)
@given(secret=st.binary(min_size=32, max_size=128), people=st.lists(person, max_size=10))
def test_hashes_under_any_installation_secret(secret: bytes, people: list[str]) -> None:
    keyring = Keyring.from_secret(secret)
    table = hash_persons(keyring, pl.Series([*people, None], dtype=pl.String))
    assert [bytes(row) for row in table] == sorted({person_hash(keyring, p) for p in people})


@settings(max_examples=100, deadline=None)
@given(people=st.lists(person, max_size=30))
def test_values_cross_to_the_workers_as_they_are(people: list[str]) -> None:
    values = pl.Series(people, dtype=pl.String)
    ends = values.str.len_bytes().cast(pl.UInt64).cum_sum().to_numpy()
    data = values.str.join("").item().encode() if people else b""
    assert unpacked(data, ends.tobytes()) == [p.encode() for p in people]


@settings(max_examples=100, deadline=None)
@given(people=st.lists(person, max_size=30), size=st.integers(1, 8))
def test_workers_hash_a_request_slice_by_slice_as_a_whole(people: list[str], size: int) -> None:
    values = pl.Series(people, dtype=pl.String)
    ends = values.str.len_bytes().cast(pl.UInt64).cum_sum().to_numpy().tobytes()
    data = values.str.join("").item().encode() if people else b""
    key = bytes(range(32))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hmac_batch, "SLICE", size)  # slices of 1 to 8 values: every boundary
        assert packed_digests(key, data, ends) == digests(key, [p.encode() for p in people])


def test_worker_processes_give_the_reference_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hash_pool, "POOLED", 0)  # even a handful goes to the workers
    keyring = Keyring.from_secret(bytes(range(32)))
    people = ["", " ", "\x00", "a\x1fb", "𠀀𝄞😀", "张三", "1" * 10_000, "张三"]
    people += [str(n) for n in range(50)]
    with hash_pool.Hasher(keyring, workers=2) as hasher:
        first = hasher.submit(pl.Series(people))
        second = hasher.submit(pl.Series(people[::-1]))
        tables = [first(), second()]
    expected = sorted(person_hash(keyring, p) for p in people)  # repeats kept
    for table in tables:
        assert sorted(bytes(row) for row in table) == expected
