"""The evidence archive: one ZIP with the filing's members, a manifest of their SHA-256 digests,
and the manifest's Ed25519 signature by the installation's signing key. `verify` lists every
problem it finds; it raises only when the file cannot be read at all."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import platformdirs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kuajing import __version__
from kuajing.catalog.base import Lang, Text
from kuajing.errors import KuajingError
from kuajing.fileio import write_bytes_atomic
from kuajing.keyfile import read_secret

KEY_ENV = "KUAJING_SIGNING_KEY_FILE"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"


class EvidenceError(KuajingError):
    """The evidence archive or the signing key cannot be used."""


class SigningKeyError(EvidenceError):
    """The signing key file is unreadable, malformed or readable by others."""


class MemberNameError(EvidenceError):
    """A member name that could escape the folder it is unpacked into, or is reserved."""


class ArchiveUnreadable(EvidenceError):
    """The archive file cannot be read (missing, a folder, no permission)."""


# -- the installation's signing key ---------------------------------------------------------


def default_key_file() -> Path:
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("kuajing", appauthor=False)) / "signing.key"


def signing_key(path: Path | None = None) -> Ed25519PrivateKey:
    """The installation's Ed25519 key, created on first use (mode 0600 in a 0700 folder). A key
    file that group or others may read is refused: anyone who can read it can sign as us."""
    path = path or default_key_file()
    raw = read_secret(path, "signing key", SigningKeyError)
    try:
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(raw))
    except ValueError:
        raise SigningKeyError(f"{path}: not an Ed25519 key (need 32 bytes of hex)") from None


def public_key_bytes(key: Ed25519PrivateKey) -> bytes:
    """The raw 32-byte public key: what `verify` takes as the trusted key."""
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def fingerprint(public_key: bytes) -> str:
    """A short name of a public key, for people to compare."""
    return hashlib.sha256(public_key).hexdigest()[:16]


# -- the manifest ----------------------------------------------------------------------------


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["kuajing-evidence/1"] = "kuajing-evidence/1"
    kuajing_version: str
    created_at: dt.datetime
    algorithm: Literal["ed25519"] = "ed25519"
    public_key: str = Field(pattern=r"^[0-9a-f]{64}$")  # hex of the raw key
    members: list[Member]

    def to_bytes(self) -> bytes:
        """The exact bytes that are signed: sorted keys, UTF-8, one trailing newline."""
        data = self.model_dump(mode="json")
        return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def check_name(name: str) -> None:
    """Refuse names that are absolute, climb out (`..`), are empty, use backslashes or control
    characters, or take the manifest's place."""
    bad = (
        not name
        or name.startswith("/")
        or "\\" in name
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in name)
        or (len(name) > 1 and name[1] == ":")  # a Windows drive
        or any(p in ("..", ".") for p in name.split("/"))
        or "" in name.split("/")
    )
    if bad:
        raise MemberNameError(f"member name {name!r} is not a plain relative path")
    if name in (MANIFEST, SIGNATURE):
        raise MemberNameError(f"member name {name!r} is reserved for the archive's manifest")


def pack(
    path: Path, members: Mapping[str, bytes], key: Ed25519PrivateKey, created_at: dt.datetime
) -> Manifest:
    """Write the archive at `path` (whole or not at all) and return its manifest. The same
    members, key and time give the same bytes."""
    for name in members:
        check_name(name)
    names = sorted(members)
    manifest = Manifest(
        kuajing_version=__version__,
        created_at=_utc(created_at),
        public_key=public_key_bytes(key).hex(),
        members=[
            Member(name=n, size=len(members[n]), sha256=hashlib.sha256(members[n]).hexdigest())
            for n in names
        ],
    )
    body = manifest.to_bytes()
    entries = [(MANIFEST, body), (SIGNATURE, key.sign(body).hex().encode() + b"\n")]
    entries += [(n, members[n]) for n in names]
    write_bytes_atomic(path, _zip(entries, manifest.created_at), EvidenceError)
    return manifest


def _utc(when: dt.datetime) -> dt.datetime:
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def _zip(entries: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # the same bytes on every platform
            zf.writestr(info, data)
    return buf.getvalue()


# -- verification ----------------------------------------------------------------------------

ProblemKind = Literal[
    "archive_corrupt",
    "manifest_missing",
    "manifest_invalid",
    "signature_missing",
    "bad_signature",
    "untrusted_key",
    "missing_member",
    "extra_member",
    "duplicate_member",
    "digest_mismatch",
    "member_unreadable",
]

_PROBLEMS: dict[str, Text] = {
    "archive_corrupt": Text(
        zh="归档文件已损坏，无法作为 ZIP 读取", en="the archive is not a readable ZIP"
    ),
    "manifest_missing": Text(zh="缺少清单 manifest.json", en="manifest.json is missing"),
    "manifest_invalid": Text(zh="清单 manifest.json 无法解析", en="manifest.json does not parse"),
    "signature_missing": Text(zh="缺少签名 manifest.sig", en="manifest.sig is missing"),
    "bad_signature": Text(zh="清单签名无效", en="the manifest's signature is not valid"),
    "untrusted_key": Text(
        zh="签名密钥不是受信任的密钥", en="signed with a key other than the trusted one"
    ),
    "missing_member": Text(zh="缺少成员文件", en="member is missing"),
    "extra_member": Text(zh="清单未列出的成员文件", en="member is not in the manifest"),
    "duplicate_member": Text(zh="成员文件重复出现", en="member appears more than once"),
    "digest_mismatch": Text(zh="成员文件内容与清单摘要不符", en="member does not match its digest"),
    "member_unreadable": Text(
        zh="成员文件无法读取（已损坏）", en="member cannot be read (corrupt)"
    ),
}


class Problem(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: ProblemKind
    member: str | None = None
    detail: str | None = None

    def describe(self, lang: Lang) -> str:
        text = _PROBLEMS[self.kind].get(lang)
        where = f"{self.member}: " if self.member else ""
        return f"{where}{text}" + (f" ({self.detail})" if self.detail else "")


class Verification(BaseModel):
    """`ok`: intact, validly signed, and (when a trusted key was given) signed by it."""

    model_config = ConfigDict(frozen=True)

    path: str
    ok: bool
    signature_valid: bool
    signed_by_trusted_key: bool | None  # None: no trusted key was given
    fingerprint: str | None  # of the key in the manifest
    manifest: Manifest | None
    problems: list[Problem]


def verify(
    path: Path, trusted_public_key: bytes | None, trusted_fingerprint: str | None = None
) -> Verification:
    """Check the archive; never raises on a tampered one, only `ArchiveUnreadable`. The signer
    is trusted when its key is `trusted_public_key` or has `trusted_fingerprint` (as `kuajing
    evidence key` prints it); with neither, `signed_by_trusted_key` is None: integrity alone
    says nothing of who made the pack, since anyone can re-sign a changed one."""
    anchor = _Anchor(trusted_public_key, _bare_fingerprint(trusted_fingerprint))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArchiveUnreadable(f"{path}: cannot read ({exc.strerror or exc})") from None
    problems: list[Problem] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _check(path, zf, anchor, problems)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as exc:
        problems.append(Problem(kind="archive_corrupt", detail=str(exc)))
        return _result(path, problems, None, False, anchor, None)


@dataclass(frozen=True)
class _Anchor:
    """What the verifier trusts: a public key, or a key's fingerprint."""

    key: bytes | None
    fingerprint: str | None

    @property
    def given(self) -> bool:
        return self.key is not None or self.fingerprint is not None

    def trusts(self, key: bytes) -> bool | None:
        if self.key is not None:
            return key == self.key
        if self.fingerprint is not None:
            return fingerprint(key) == self.fingerprint
        return None


def _bare_fingerprint(text: str | None) -> str | None:
    """A fingerprint as printed, or with spaces or colons; 16 hex digits, else `SigningKeyError`."""
    if text is None:
        return None
    bare = re.sub(r"[\s:]", "", text).lower()
    if not re.fullmatch(r"[0-9a-f]{16}", bare):
        raise SigningKeyError(f"fingerprint {text!r}: need the 16 hex digits `evidence key` prints")
    return bare


def _check(
    path: Path, zf: zipfile.ZipFile, trusted: _Anchor, problems: list[Problem]
) -> Verification:
    names = [i.filename for i in zf.infolist()]
    for name in dict.fromkeys(n for n in names if names.count(n) > 1):
        problems.append(Problem(kind="duplicate_member", member=name))
    body = _read(zf, MANIFEST, names, problems, "manifest_missing")
    sig = _read(zf, SIGNATURE, names, problems, "signature_missing")
    manifest = _manifest(body, problems) if body is not None else None
    if manifest is None:
        return _result(path, problems, None, False, trusted, None)
    key = bytes.fromhex(manifest.public_key)
    valid = body is not None and sig is not None and _signed(key, body, sig)
    if sig is not None and not valid:
        problems.append(Problem(kind="bad_signature"))
    if trusted.trusts(key) is False:
        problems.append(Problem(kind="untrusted_key", detail=f"key {fingerprint(key)}"))
    _members(zf, manifest, names, problems)
    return _result(path, problems, manifest, valid, trusted, key)


def _read(
    zf: zipfile.ZipFile,
    name: str,
    names: list[str],
    problems: list[Problem],
    missing: ProblemKind,
) -> bytes | None:
    if name not in names:
        problems.append(Problem(kind=missing, member=name))
        return None
    try:
        return zf.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        problems.append(Problem(kind="member_unreadable", member=name, detail=str(exc)))
        return None


def _manifest(body: bytes, problems: list[Problem]) -> Manifest | None:
    try:
        return Manifest.model_validate_json(body)
    except ValidationError as exc:
        detail = exc.errors()[0]["msg"] if exc.errors() else None
        problems.append(Problem(kind="manifest_invalid", detail=detail))
        return None


def _signed(key: bytes, body: bytes, sig: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(bytes.fromhex(sig.decode("ascii")), body)
    except (InvalidSignature, ValueError, UnicodeDecodeError):
        return False
    return True


def _members(
    zf: zipfile.ZipFile, manifest: Manifest, names: list[str], problems: list[Problem]
) -> None:
    listed = {m.name for m in manifest.members}
    for m in manifest.members:
        data = _read(zf, m.name, names, problems, "missing_member")
        if data is not None and (
            len(data) != m.size or hashlib.sha256(data).hexdigest() != m.sha256
        ):
            problems.append(Problem(kind="digest_mismatch", member=m.name))
    for name in dict.fromkeys(names):
        if name not in listed and name not in (MANIFEST, SIGNATURE):
            problems.append(Problem(kind="extra_member", member=name))


def _result(
    path: Path,
    problems: list[Problem],
    manifest: Manifest | None,
    valid: bool,
    trusted: _Anchor,
    key: bytes | None,
) -> Verification:
    found = trusted.trusts(key) if key is not None else trusted.given
    by_trusted = None if not trusted.given else bool(valid and found)
    return Verification(
        path=str(path),
        ok=not problems and valid and by_trusted is not False,
        signature_valid=valid,
        signed_by_trusted_key=by_trusted,
        fingerprint=fingerprint(key) if key is not None else None,
        manifest=manifest,
        problems=problems,
    )
