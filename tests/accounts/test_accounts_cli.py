"""`kuajing org create` and `kuajing user create` as an administrator runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from kuajing.accounts.store import Accounts

EXE = shutil.which("kuajing", path=str(Path(sys.executable).parent)) or "kuajing"
PASSWORD = "correct horse battery"


def kuajing(db: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "en_US.UTF-8", "KUAJING_DATABASE_URL": db}
    return subprocess.run(
        [EXE, *args], env=env, input=stdin, capture_output=True, text=True, check=False
    )


def test_an_organisation_and_its_admin(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'service.db'}"
    made = kuajing(db, "org", "create", "pharma", "--name", "Example Pharma", "--zone", "beijing")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "Created organisation pharma: Example Pharma"
    user = ["user", "create", "admin@pharma.example", "--org", "pharma", "--role", "admin"]
    added = kuajing(db, *user, "--password-stdin", "--lang", "zh", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "已创建用户 admin@pharma.example（admin，组织 pharma）"
    with Accounts.open(db) as store:
        who = store.authenticate("admin@pharma.example", PASSWORD)
    assert who is not None and who.role == "admin" and who.organisation.zone == "beijing"


def test_refusals_are_one_line_errors(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'service.db'}"
    assert kuajing(db, "org", "create", "pharma", "--name", "Example Pharma").returncode == 0
    again = kuajing(db, "org", "create", "pharma", "--name", "Again")
    short = kuajing(
        db, "user", "create", "a@pharma.example", "--org", "pharma", "--password-stdin", stdin="x\n"
    )
    for run, message in (
        (again, "kuajing: error: organisation 'pharma' exists already"),
        (
            short,
            "kuajing: error: the password needs at least 12 characters / 密码至少需要 12 个字符",
        ),
    ):
        assert run.returncode == 2 and run.stderr.strip() == message and not run.stdout


def test_the_operator_is_told_which_organisation_has_an_address(tmp_path: Path) -> None:
    """Unlike an admin's answer, the operator's names it: they hold the whole database, and
    the user they meant to add could not sign in."""
    db = f"sqlite:///{tmp_path / 'service.db'}"
    for slug in ("pharma", "bank"):
        assert kuajing(db, "org", "create", slug, "--name", slug.title()).returncode == 0
    user = ["user", "create", "li@bank.example", "--password-stdin", "--org"]
    assert kuajing(db, *user, "bank", stdin=PASSWORD + "\n").returncode == 0
    again = kuajing(db, *user, "pharma", stdin=PASSWORD + "\n")
    assert again.returncode == 2 and not again.stdout
    assert again.stderr.strip() == (
        "kuajing: error: user 'li@bank.example' exists already, in organisation 'bank'"
    )


def test_a_zone_organisation_and_its_reviewer(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'service.db'}"
    centre = ["org", "create", "bj-centre", "--name", "Beijing centre", "--kind", "zone"]
    made = kuajing(db, *centre, "--zone", "beijing")
    assert made.returncode == 0, made.stderr
    user = ["user", "create", "r@bj.example", "--org", "bj-centre", "--password-stdin"]
    assert kuajing(db, *user, stdin=PASSWORD + "\n").returncode == 0  # default role: reviewer
    member = kuajing(
        db, "user", "create", "m@bj.example", "--org", "bj-centre", "--role", "member",
        "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    nowhere = kuajing(
        db, "org", "create", "x-centre", "--name", "X", "--kind", "zone", "--zone", "atlantis"
    )
    for run, message in (
        (member, "kuajing: error: role 'member': one of admin, reviewer, viewer"),
        (
            nowhere,
            "kuajing: error: --zone: a zone organisation serves a known zone, not 'atlantis'",
        ),
    ):
        assert run.returncode == 2 and run.stderr.strip() == message and not run.stdout
    with Accounts.open(db) as store:
        who = store.authenticate("r@bj.example", PASSWORD)
    assert who is not None and who.role == "reviewer" and who.zone_staff
    assert who.organisation.kind == "zone" and who.organisation.zone == "beijing"
