"""The signed evidence archive: pack, verify, and every kind of tampering detected."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import stat
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import platformdirs
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kuajing.filing import evidence
from kuajing.filing.evidence import (
    MANIFEST,
    SIGNATURE,
    ArchiveUnreadable,
    MemberNameError,
    SigningKeyError,
    pack,
    public_key_bytes,
    signing_key,
    verify,
)

CREATED = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)
MEMBERS = {
    "request.yaml": b"date: 2026-03-01\n",
    "decision.json": json.dumps({"pathway": "security_assessment"}).encode(),
    "documents/pipia-zh.pdf": "个人信息保护影响评估报告".encode() * 50,
    "catalog.txt": b"0.1.0+abc\n",
}


@pytest.fixture
def key(tmp_path: Path) -> Ed25519PrivateKey:
    return signing_key(tmp_path / "keys" / "signing.key")


def entries(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def rewrite(path: Path, items: list[tuple[str, bytes]]) -> None:
    """What a forger with the archive but not the key can do: write any members."""
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as zf:
        warnings.simplefilter("ignore")  # a duplicate name is one of the forgeries tried
        for name, data in items:
            zf.writestr(name, data)
    path.write_bytes(buf.getvalue())


def change_byte(name: str) -> Callable[[list[tuple[str, bytes]]], list[tuple[str, bytes]]]:
    def edit(items: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
        return [(n, bytes([d[0] ^ 1]) + d[1:] if n == name else d) for n, d in items]

    return edit


def test_pack_then_verify_passes(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    path = tmp_path / "evidence.zip"
    manifest = pack(path, MEMBERS, key, CREATED)
    assert [m.name for m in manifest.members] == sorted(MEMBERS)
    result = verify(path, public_key_bytes(key))
    assert result.ok and result.signature_valid and result.signed_by_trusted_key
    assert result.problems == [] and result.manifest == manifest
    names = [n for n, _ in entries(path)]
    assert names == [MANIFEST, SIGNATURE, *sorted(MEMBERS)]
    body = json.loads(dict(entries(path))[MANIFEST])
    assert body["created_at"] == "2026-03-01T08:30:00Z" and body["kuajing_version"]
    assert body["public_key"] == public_key_bytes(key).hex()


def test_packing_twice_gives_identical_bytes(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    pack(tmp_path / "a.zip", MEMBERS, key, CREATED)
    pack(tmp_path / "b.zip", dict(reversed(MEMBERS.items())), key, CREATED)
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


TAMPERING = {
    # name: (edit of the archive's members, expected problem kinds, expected member)
    "one byte of the pdf": (change_byte("documents/pipia-zh.pdf"), {"digest_mismatch"}, "pdf"),
    "one byte of the request": (change_byte("request.yaml"), {"digest_mismatch"}, "request"),
    "a member removed": (
        lambda items: [(n, d) for n, d in items if n != "decision.json"],
        {"missing_member"},
        "decision.json",
    ),
    "a member added": (
        lambda items: [*items, ("extra.txt", b"hello")],
        {"extra_member"},
        "extra.txt",
    ),
    "the manifest edited": (change_byte(MANIFEST), {"manifest_invalid"}, None),
    "the manifest's created_at edited": (
        lambda items: [
            (n, d.replace(b"2026-03-01", b"2025-03-01") if n == MANIFEST else d) for n, d in items
        ],
        {"bad_signature"},
        None,
    ),
    "the signature removed": (
        lambda items: [(n, d) for n, d in items if n != SIGNATURE],
        {"signature_missing"},
        None,
    ),
    "a member listed twice": (
        lambda items: [*items, ("request.yaml", b"date: 2020-01-01\n")],
        {"duplicate_member"},
        "request.yaml",
    ),
}


@pytest.mark.parametrize("case", list(TAMPERING))
def test_tampering_is_detected(tmp_path: Path, key: Ed25519PrivateKey, case: str) -> None:
    edit, kinds, member = TAMPERING[case]
    path = tmp_path / "evidence.zip"
    pack(path, MEMBERS, key, CREATED)
    rewrite(path, edit(entries(path)))
    result = verify(path, public_key_bytes(key))
    assert not result.ok
    assert kinds <= {p.kind for p in result.problems}, result.problems
    if member is not None:
        assert any(member in (p.member or "") for p in result.problems)
    assert all(p.describe("zh") and p.describe("en") for p in result.problems)


def test_resigning_with_another_key_is_not_this_installation(
    tmp_path: Path, key: Ed25519PrivateKey
) -> None:
    path = tmp_path / "evidence.zip"
    pack(path, MEMBERS, key, CREATED)
    items = dict(entries(path))
    forged = {n: d for n, d in items.items() if n not in (MANIFEST, SIGNATURE)}
    forged["request.yaml"] = b"date: 2020-01-01\n"
    other = Ed25519PrivateKey.generate()
    pack(path, forged, other, CREATED)  # a self-consistent archive under someone else's key
    result = verify(path, public_key_bytes(key))
    assert result.signature_valid and not result.ok
    assert result.signed_by_trusted_key is False
    assert [p.kind for p in result.problems] == ["untrusted_key"]
    untrusted = verify(path, None)  # without a trusted key, only integrity can be said
    assert untrusted.ok and untrusted.signed_by_trusted_key is None


def test_a_flipped_byte_in_the_raw_file_is_detected(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    path = tmp_path / "evidence.zip"
    pack(path, {"data.bin": bytes(range(256)) * 64}, key, CREATED)
    raw = bytearray(path.read_bytes())
    for offset in (len(raw) // 2, 40, len(raw) - 30):  # member data, a header, the directory
        broken = tmp_path / f"broken-{offset}.zip"
        changed = bytearray(raw)
        changed[offset] ^= 0xFF
        broken.write_bytes(bytes(changed))
        result = verify(broken, public_key_bytes(key))  # never raises on a tampered archive
        assert not result.ok and result.problems


def test_garbage_and_empty_files_are_reported_not_raised(tmp_path: Path) -> None:
    for data in (b"", b"not a zip at all"):
        path = tmp_path / "junk.zip"
        path.write_bytes(data)
        result = verify(path, None)
        assert not result.ok and result.problems[0].kind == "archive_corrupt"


def test_an_unreadable_file_raises_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveUnreadable, match="cannot read"):
        verify(tmp_path / "missing.zip", None)
    with pytest.raises(ArchiveUnreadable):
        verify(tmp_path, None)  # a folder


@pytest.mark.parametrize(
    "name",
    [
        "/etc/passwd",
        "../up.txt",
        "a/../../b",
        "a//b",
        "a/./b",
        "C:/x",
        "a\\b",
        "",
        "dir/",
        "ok\x00.txt",
        MANIFEST,
        SIGNATURE,
    ],
)
def test_unsafe_member_names_are_refused(tmp_path: Path, key: Ed25519PrivateKey, name: str) -> None:
    path = tmp_path / "evidence.zip"
    with pytest.raises(MemberNameError):
        pack(path, {name: b"x"}, key, CREATED)
    assert not path.exists() and list(tmp_path.glob("*.tmp")) == []


def test_nothing_half_written_on_error(
    tmp_path: Path, key: Ed25519PrivateKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "evidence.zip"
    pack(path, MEMBERS, key, CREATED)
    before = path.read_bytes()

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kuajing.filing.evidence.os.replace", fail)
    with pytest.raises(evidence.EvidenceError, match="No space left"):
        pack(path, {"other.txt": b"y"}, key, CREATED)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["evidence.zip"]


safe_name = st.from_regex(
    r"[a-z0-9_\-]{1,12}(/[a-z0-9_\-]{1,12}){0,2}(\.[a-z]{1,4})?", fullmatch=True
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(safe_name, st.binary(max_size=300), min_size=1, max_size=6))
def test_any_members_round_trip(
    tmp_path: Path, key: Ed25519PrivateKey, members: dict[str, bytes]
) -> None:
    if {MANIFEST, SIGNATURE} & set(members) or _prefix_clash(members):
        return
    path = tmp_path / "prop.zip"
    pack(path, members, key, CREATED)
    assert verify(path, public_key_bytes(key)).ok
    assert {n: d for n, d in entries(path) if n not in (MANIFEST, SIGNATURE)} == members


def _prefix_clash(members: dict[str, bytes]) -> bool:
    """A file and a folder of the same name ("a" and "a/b") are legal in a ZIP, but no one
    could unpack both; not what this property is about."""
    return any(other.startswith(name + "/") for name in members for other in members)


# -- the signing key --------------------------------------------------------------------------


def test_the_key_is_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "data" / "kuajing" / "signing.key"
    first = signing_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert public_key_bytes(signing_key(path)) == public_key_bytes(first)
    assert [p.name for p in path.parent.iterdir()] == ["signing.key"]  # no temporary left


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_key_readable_by_others_is_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "signing.key"
    signing_key(path)
    os.chmod(path, mode)
    with pytest.raises(SigningKeyError, match="readable by others"):
        signing_key(path)


def test_a_malformed_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "signing.key"
    path.write_text("not hex\n", encoding="ascii")
    os.chmod(path, 0o600)
    with pytest.raises(SigningKeyError, match="not an Ed25519 key"):
        signing_key(path)


def test_the_key_file_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "env" / "my.key"
    monkeypatch.setenv("KUAJING_SIGNING_KEY_FILE", str(path))
    key = signing_key()
    assert path.is_file() and public_key_bytes(signing_key(path)) == public_key_bytes(key)
    monkeypatch.delenv("KUAJING_SIGNING_KEY_FILE")
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(tmp_path / "ud"))
    assert evidence.default_key_file() == tmp_path / "ud" / "signing.key"
