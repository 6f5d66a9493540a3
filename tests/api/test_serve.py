"""`kuajing serve` as an operator starts it, and `kuajing token create` for a script's token."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

EXE = shutil.which("kuajing", path=str(Path(sys.executable).parent)) or "kuajing"
PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str, token: str | None = None) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(
        url, headers={"Authorization": f"Bearer {token}"} if token else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_serve_answers_with_a_token_from_the_cli(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "LANG": "en_US.UTF-8",
        "KUAJING_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}",
    }
    run = lambda *a, stdin="": subprocess.run(  # noqa: E731
        [EXE, *a], env=env, input=stdin, capture_output=True, text=True, check=True
    )
    run("org", "create", "pharma", "--name", "Example Pharma")
    run(
        "user",
        "create",
        "ops@pharma.example",
        "--org",
        "pharma",
        "--password-stdin",
        stdin=PASSWORD,
    )
    token = run(
        "token", "create", "ops@pharma.example", "--password-stdin", stdin=PASSWORD
    ).stdout.strip()
    port = _free_port()
    server = subprocess.Popen(
        [EXE, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        status, spec = 0, {}
        for _ in range(100):  # up to 10 s to start
            try:
                status, spec = _get(f"{base}/openapi.json")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        assert status == 200 and "/v1/assess" in spec["paths"]  # type: ignore[operator]
        assert _get(f"{base}/v1/me")[0] == 401
        status, me = _get(f"{base}/v1/me", token)
        assert status == 200 and me["organisation"]["slug"] == "pharma"  # type: ignore[index]
    finally:
        server.terminate()
        server.communicate(timeout=10)  # closes its stderr pipe
    wrong = subprocess.run(
        [EXE, "token", "create", "ops@pharma.example", "--password-stdin"],
        env=env,
        input="wrong password!",
        capture_output=True,
        text=True,
        check=False,
    )
    assert (
        wrong.returncode == 2 and wrong.stderr.strip() == "kuajing: error: wrong e-mail or password"
    )
