"""Privacy checks of Spark jobs: what the driver's event log and the executors' logs hold.

`event_log_dir` gives the settings of a session that writes its event log (uncompressed) into
a test's directory; `grep_logs` looks there, and in the cluster's directory (its daemons' logs,
the executors' stdout and stderr), for values that must never appear: raw, hex or base64."""

from __future__ import annotations

import base64
import gzip
from collections.abc import Callable, Iterable
from pathlib import Path


def event_log_dir(tmp: Path) -> dict[str, str]:
    """Settings for a new session (the event log is fixed when a session starts)."""
    events = tmp / "spark-events"
    events.mkdir(parents=True, exist_ok=True)
    return {
        "spark.eventLog.enabled": "true",
        "spark.eventLog.dir": events.as_uri(),
        "spark.eventLog.compress": "false",  # so its bytes can be searched
    }


def grep_logs(dirs: Iterable[Path], needles: list[bytes]) -> list[str]:
    """Each file under `dirs` that holds a needle in some form: "path: needle N (form)"."""
    forms = [(i, name, form) for i, needle in enumerate(needles) for name, form in _forms(needle)]
    found = []
    for path in sorted(f for d in dirs for f in Path(d).rglob("*") if f.is_file()):
        data = _read(path)
        found += [f"{path}: needle {i} ({name})" for i, name, form in forms if form in data]
    return found


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _forms(needle: bytes) -> list[tuple[str, bytes]]:
    hexed = needle.hex().encode()
    return [
        ("raw", needle),
        ("hex", hexed),
        ("HEX", hexed.upper()),
        *(("base64", b) for b in _base64_cores(needle, base64.b64encode)),
        *(("base64url", b) for b in _base64_cores(needle, base64.urlsafe_b64encode)),
    ]


def _base64_cores(needle: bytes, encode: Callable[[bytes], bytes]) -> list[bytes]:
    """The characters of `needle`'s base64 that do not depend on what precedes or follows it,
    for each of the three alignments it can have inside a longer encoded string."""
    cores = []
    for skew in range(3):
        text = encode(b"\0" * skew + needle)
        first, end = -(-4 * skew // 3), 8 * (skew + len(needle)) // 6
        if end - first >= 4:  # shorter cores would match by chance
            cores.append(text[first:end])
    return cores
