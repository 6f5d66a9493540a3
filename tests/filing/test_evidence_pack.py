"""One decision's evidence pack and documents, as a company makes them: the request, the
decision, the catalogue version, the ledger's counters and batches of that year, a scan summary,
the filings and their documents, sealed by a signed manifest that `kuajing evidence verify`
checks. What the pack cannot hold is listed, never left out silently; no raw identifier of the
scanned data enters it."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.engine import Request, assess
from kuajing.filing.evidence import (
    MANIFEST,
    SIGNATURE,
    fingerprint,
    pack,
    public_key_bytes,
    signing_key,
    verify,
)
from kuajing.filing.store import Filings
from kuajing.ledger.ledger import Ledger
from kuajing.services import documents, evidence
from kuajing.services import filings as service
from kuajing.services.decisions import assess_and_log
from kuajing.services.recording import record_file
from tests.tenants import add_user

EXE = shutil.which("kuajing", path=str(Path(sys.executable).parent)) or "kuajing"
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
# Two persons whose identifiers must never reach the pack.
DATA = "姓名,手机号\n张三,13800138000\n李四,13900139000\n"
RAW = ("13800138000", "13900139000", "张三", "李四")
REQUEST = {
    "date": "2026-03-01",
    "processor": {"name": "Pharma", "zone": "beijing"},
    "transfers": [{"id": "t1", "scenario": "临床试验", "personal": 12_000}],
}
# The Beijing SCC decision needs the contract filing and the zone's list-use filing.
DOCUMENTS = {
    "scc-filing-pipia",
    "scc-filing-scc_filing_cover",
    "scc-filing-scc_data_annex",
    "beijing-list-use-zone_list_use",
}


def _who(db_url: str) -> Principal:
    add_user(db_url, "pharma", "m@pharma.example", "member", zone="beijing", processor="Pharma")
    with Accounts.open(db_url) as store:
        return store.principal_by_email("m@pharma.example")


def _logged(db_url: str, who: Principal) -> str:
    with Accounts.open(db_url) as store:
        _, record = assess_and_log(
            store, who, Request.model_validate(REQUEST), default_catalog(), "en"
        )
        source = service.from_log(store, who, record.id)
        service.create_filings(store, Filings(store.engine), who, source, default_catalog(), "en")
        return record.id


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_the_pack_holds_decision_ledger_scan_filings_and_documents(
    db_url: str, tmp_path: Path
) -> None:
    who = _who(db_url)
    decision_id = _logged(db_url, who)
    data = tmp_path / "patients.csv"
    data.write_text(DATA, encoding="utf-8")
    cat = default_catalog()
    with Ledger.open(db_url, tmp_path / "ledger.key") as ledger:
        record_file(ledger, cat, who=None, processor="Pharma", date=dt.date(2026, 2, 1), path=data)
        with Accounts.open(db_url) as store:
            scanned = evidence.scans([data], cat)
            source = service.from_log(store, who, decision_id)
            contents = evidence.contents_for(store, ledger, who, source, cat, scanned)
    key = signing_key(tmp_path / "keys" / "signing.key")
    archive = tmp_path / "evidence.zip"
    packed = evidence.pack_decision(archive, contents, key, NOW)

    members = _members(archive)
    logged = json.loads(members["decision.json"])
    assert logged["id"] == decision_id and logged["request"]["processor"]["name"] == "Pharma"
    assert logged["decision"]["transfers"][0]["pathway"] == "standard_contract_or_certification"
    assert json.loads(members["catalog.json"])["same"] is True
    status = json.loads(members["ledger/status.json"])
    assert (status["year"], status["national"]["persons"]) == (2026, 2)
    assert [b["rows"] for b in json.loads(members["ledger/batches.json"])] == [2]
    scan = json.loads(members["scans/1-patients.csv.json"])
    assert {c["kind"] for c in scan["columns"]} == {"person_name", "mobile_phone"}
    filings = [n for n in members if n.startswith("filings/")]
    assert len(filings) == 2  # the contract filing and the Beijing list-use filing
    assert all(json.loads(members[n])["deadlines"] for n in filings)
    names = {n.removeprefix("documents/").split(".")[0] for n in packed.documents}
    assert names == DOCUMENTS
    assert len(packed.documents) == 2 * len(DOCUMENTS)  # Chinese and English, PDF
    assert packed.absent == []
    index = json.loads(members["contents.json"])
    assert index["absent"] == [] and "ledger/status.json" in index["members"]

    for name, body in members.items():
        if not name.endswith(".pdf"):
            assert not any(raw.encode() in body for raw in RAW), name
    result = verify(archive, public_key_bytes(key))
    assert result.ok and result.signed_by_trusted_key, result.problems


def _cli(tmp_path: Path, db: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "LANG": "en_US.UTF-8",
        "KUAJING_SIGNING_KEY_FILE": str(tmp_path / "keys" / "signing.key"),
        "KUAJING_KEY_FILE": str(tmp_path / "ledger.key"),  # the tests' accounts use it too
    }
    env.pop("KUAJING_USER", None)
    if db:
        env |= {"KUAJING_DATABASE_URL": db, "KUAJING_USER": "m@pharma.example"}
    return subprocess.run([EXE, *args], env=env, capture_output=True, text=True, check=False)


def test_verify_detects_a_changed_member_and_a_foreign_key(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'service.db'}"
    decision_id = _logged(db, _who(db))
    archive = tmp_path / "evidence.zip"
    packed = _cli(tmp_path, db, "evidence", "pack", decision_id, "-o", str(archive))
    assert packed.returncode == 0, packed.stderr
    assert "No ledger: the organisation recorded no export batch in 2026" in packed.stdout
    intact = _cli(tmp_path, None, "evidence", "verify", str(archive))
    assert intact.returncode == 0 and "intact" in intact.stdout
    assert "Signed by this installation's key" in intact.stdout

    other = "11" * 32
    foreign = _cli(tmp_path, None, "evidence", "verify", str(archive), "--public-key", other)
    assert foreign.returncode == 1 and "other than the trusted one" in foreign.stdout

    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(changed, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, body.replace(b"standard_contract", b"exempt"))
    caught = _cli(tmp_path, None, "evidence", "verify", str(changed), "--lang", "zh")
    assert caught.returncode == 1
    assert "decision.json: 成员文件内容与清单摘要不符" in caught.stdout


def test_documents_are_written_for_each_filing_the_decision_needs(
    tmp_path: Path, pdftotext: str
) -> None:
    db = f"sqlite:///{tmp_path / 'service.db'}"
    who = _who(db)
    decision_id = _logged(db, who)
    out = tmp_path / "docs"
    made = _cli(
        tmp_path, db, "filing", "documents", decision_id, "-o", str(out), "--doc-lang", "zh"
    )
    assert made.returncode == 0, made.stderr
    assert {p.name for p in out.iterdir()} == {f"{d}.zh.pdf" for d in DOCUMENTS}
    with Accounts.open(db) as store:
        scc = next(f for f in Filings(store.engine).all(who) if f.procedure == "scc-filing")
    cover = out / "scc-filing-scc_filing_cover.zh.pdf"
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(cover), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert scc.id in "".join(text.split())  # the filing it belongs to

    bad = _cli(tmp_path, db, "filing", "documents", decision_id, "-o", str(tmp_path / "x"),
               "--kind", "memo")  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "--kind 'memo'" in bad.stderr
    assert not (tmp_path / "x").exists()


def test_a_decision_file_packs_offline_and_says_what_is_absent(tmp_path: Path) -> None:
    request = Request.model_validate(REQUEST)
    decision = assess(request, default_catalog())
    exported = tmp_path / "decision.json"
    body = {"id": "d1", "request": request.model_dump(mode="json")}
    exported.write_text(json.dumps(body | {"decision": decision.model_dump(mode="json")}))
    archive = tmp_path / "evidence.zip"
    packed = _cli(tmp_path, None, "evidence", "pack", str(exported), "-o", str(archive))
    assert packed.returncode == 0, packed.stderr
    assert "No ledger: no user was given" in packed.stdout
    index = json.loads(_members(archive)["contents.json"])
    assert {a["en"].split(":")[0] for a in index["absent"]} == {"No ledger", "No scan summary"}
    assert len([m for m in index["members"] if m.startswith("documents/")]) == 8

    bare = tmp_path / "bare.json"
    bare.write_text(decision.model_dump_json())
    refused = _cli(tmp_path, None, "evidence", "pack", str(bare), "-o", str(tmp_path / "b.zip"))
    assert refused.returncode == 2 and "names no company" in refused.stderr
    missing = _cli(tmp_path, None, "evidence", "pack", str(exported), "-o",
                   str(tmp_path / "m.zip"), "--scan", str(tmp_path / "nowhere.csv"))  # fmt: skip
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert not (tmp_path / "b.zip").exists() and not (tmp_path / "m.zip").exists()


@pytest.fixture(scope="module")
def pdftotext() -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: install the Debian package poppler-utils")
    return tool


def test_documents_follow_the_route_the_company_filed_under(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'service.db'}"
    who = _who(db)
    cat = default_catalog()
    with Accounts.open(db) as store:
        _, record = assess_and_log(store, who, Request.model_validate(REQUEST), cat, "en")
        source = service.from_log(store, who, record.id)
        assert "scc-filing-pipia.zh.pdf" in documents.listed(source, who.organisation, cat, [])
        filings = Filings(store.engine)
        service.create_filings(store, filings, who, source, cat, "en", "certification")
        made = filings.for_decision(who, record.id)
    names = documents.listed(source, who.organisation, cat, made)
    assert "certification-pipia.zh.pdf" in names
    assert not any(n.startswith("scc-filing") for n in names)


def test_a_forged_pack_is_not_accepted_without_a_trusted_key(tmp_path: Path) -> None:
    """Issue 20, finding 2: change decision.json, put your own key in the manifest and re-sign.
    Where no trusted key is at hand, verify no longer exits 0: it exits 3 and names the key that
    signed; given the genuine signer's fingerprint, the forgery fails (1); the signer's own
    fingerprint is accepted (0)."""
    db = f"sqlite:///{tmp_path / 'service.db'}"
    archive, forged = tmp_path / "evidence.zip", tmp_path / "forged.zip"
    made = _cli(tmp_path, db, "evidence", "pack", _logged(db, _who(db)), "-o", str(archive))
    assert made.returncode == 0, made.stderr
    genuine = fingerprint(public_key_bytes(signing_key(tmp_path / "keys" / "signing.key")))
    with zipfile.ZipFile(archive) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n not in (MANIFEST, SIGNATURE)}
    members["decision.json"] = members["decision.json"].replace(b"standard_contract", b"exempt")
    mine = Ed25519PrivateKey.generate()
    pack(forged, members, mine, dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    auditor = tmp_path / "auditor"  # a machine with no installation key of its own
    auditor.mkdir()
    blind = _cli(auditor, None, "evidence", "verify", str(forged))
    assert blind.returncode == 3 and fingerprint(public_key_bytes(mine)) in blind.stdout
    assert "NOT checked against a trusted key" in blind.stdout
    caught = _cli(auditor, None, "evidence", "verify", str(forged), "--fingerprint", genuine)
    assert caught.returncode == 1 and "other than the trusted one" in caught.stdout
    spaced = " ".join(genuine[i : i + 4] for i in range(0, 16, 4))  # as people copy it
    real = _cli(auditor, None, "evidence", "verify", str(archive), "--fingerprint", spaced)
    assert real.returncode == 0, real.stdout
