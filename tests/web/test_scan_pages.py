"""Scan → review → correct → record, and the recorded batches, through the pages: roles,
tenants, the pending upload's life, and uploads that are refused."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from kuajing.services.pending import PendingUploads, pending_uploads
from tests.web.support import SAMPLE, add_user, form_csrf, sign_in

TODAY = dt.date.today().isoformat()
CLINICAL_TRIAL = "beijing-2024/pharmaceuticals/clinical_trial"
RAW_ID = "110105196505047382"  # a resident ID in the sample: never shown on a page


def _store(client: TestClient) -> PendingUploads:
    return pending_uploads(client.app)  # type: ignore[arg-type]


def _upload(
    client: TestClient, name: str = "trial-batch.csv", content: bytes | None = None, **form: str
) -> httpx.Response:
    csrf = form_csrf(client.get("/scan").text)
    body = SAMPLE.read_bytes() if content is None else content
    return client.post(
        "/scan",
        data={"csrf": csrf, "date": TODAY, **form},
        files={"file": (name, body, "text/csv")},
        follow_redirects=False,
    )


def _pending(client: TestClient, **form: str) -> str:
    """Upload the sample; the pending upload's id."""
    answer = _upload(client, **form)
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(r"/scan/([A-Za-z0-9_-]+)", answer.headers["location"])
    assert found, answer.headers["location"]
    return found.group(1)


def _record(client: TestClient, ident: str, **form: str | list[str]) -> httpx.Response:
    csrf = form_csrf(client.get("/dashboard").text)
    data: dict[str, str | list[str]] = {"csrf": csrf, "date": TODAY, "sensitive": "detected"}
    return client.post(f"/scan/{ident}/record", data={**data, **form}, follow_redirects=False)


def _checked_keys(html: str) -> list[str]:
    return re.findall(r'name="key" value="([^"]+)" checked', html)


def test_scan_review_correct_record_and_list(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    sign_in(client, "ops@pharma.example")
    form = client.get("/scan")
    assert 'enctype="multipart/form-data"' in form.text and CLINICAL_TRIAL in form.text
    ident = _pending(client)
    folder = _store(client).root / ident
    assert folder.is_dir()

    review = client.get(f"/scan/{ident}")
    assert review.status_code == 200
    for column in ("受试者编号", "身份证号", "手机号", "不良事件描述"):
        assert column in review.text
    assert "resident ID number" in review.text and "medical and health information" in review.text
    assert 'data-testid="distinct">240<' in review.text
    assert _checked_keys(review.text) == ["身份证号"]  # the scanner's choice, ticked
    assert review.text.count('class="scan-sensitive"') == 1  # the medical column
    assert RAW_ID not in review.text

    # Correct the key (the mobile number instead of the ID) and name the recipient.
    done = _record(client, ident, key=["手机号"], recipient="Pharma GmbH")
    assert done.status_code == 200, done.text
    assert "Recorded" in done.text and 'data-testid="added-persons">+240<' in done.text
    batch_id = re.search(r'data-testid="batch-id">([0-9a-f]{12})<', done.text)
    assert batch_id
    assert "<dd>手机号</dd>" in done.text and "Pharma GmbH" in done.text
    assert not folder.exists() and list(_store(client).root.iterdir()) == []
    assert client.get(f"/scan/{ident}").status_code == 404

    batches = client.get("/ledger/batches")
    assert batches.status_code == 200
    assert batch_id.group(1) in batches.text and "trial-batch.csv" in batches.text
    assert re.search(r'<td class="num">240</td>', batches.text)
    dashboard = client.get("/dashboard").text
    assert "<strong>240</strong>" in dashboard

    again = _record(client, _pending(client), key=["手机号"])
    assert "Already recorded" in again.text and "added-persons" not in again.text


def test_the_review_in_chinese_names_the_list_entries(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member", lang="zh")
    sign_in(client, "ops@pharma.example")
    ident = _pending(client, date="2026-02-10", scenario=CLINICAL_TRIAL)
    review = client.get(f"/scan/{ident}").text
    assert '<html lang="zh-CN">' in review and "复核扫描结果" in review
    assert "居民身份证号码" in review and "医疗健康信息" in review
    assert "bj24-pharma-pi-sa-1" in review and "临床试验" in review
    assert f'<option value="{CLINICAL_TRIAL}" selected>' in review
    assert RAW_ID not in review


def test_corrections_that_the_ledger_refuses_keep_the_upload(
    client: TestClient, web_db: str
) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    sign_in(client, "ops@pharma.example")
    ident = _pending(client)
    no_key = _record(client, ident, recipient="kept")
    assert no_key.status_code == 422 and "at least one column" in no_key.text
    assert _checked_keys(no_key.text) == [] and 'value="kept"' in no_key.text
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    later = _record(client, ident, key=["身份证号"], date=future)
    assert later.status_code == 422 and "future" in later.text
    assert _checked_keys(later.text) == ["身份证号"]
    wrong = _record(client, ident, key=["身份证号"], scenario="shanghai-2025/commerce/*")
    assert wrong.status_code == 422 and "scenario" in wrong.text
    assert (_store(client).root / ident).is_dir()
    assert _record(client, ident, key=["身份证号"], exemption="hr").status_code == 200
    listed = client.get("/ledger/batches").text
    assert "Cross-border human resources management" in listed


def test_a_viewer_sees_batches_but_cannot_scan_or_record(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    add_user(web_db, "pharma", "view@pharma.example", "viewer")
    sign_in(client, "ops@pharma.example")
    ident = _pending(client)
    client.cookies.clear()
    sign_in(client, "view@pharma.example")
    page = client.get("/scan")
    assert page.status_code == 200 and 'data-testid="viewer-note"' in page.text
    assert 'action="/scan"' not in page.text
    assert _upload(client).status_code == 403
    assert _record(client, ident, key=["身份证号"]).status_code == 403
    assert client.get("/ledger/batches").status_code == 200
    assert (_store(client).root / ident).is_dir()
    assert len(list(_store(client).root.iterdir())) == 1  # the viewer's upload was not kept


def test_another_users_upload_is_not_found(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    add_user(web_db, "pharma", "colleague@pharma.example", "admin")
    add_user(web_db, "bank", "ops@bank.example", "admin")
    sign_in(client, "ops@pharma.example")
    ident = _pending(client)
    for other in ("ops@bank.example", "colleague@pharma.example"):
        client.cookies.clear()
        sign_in(client, other)
        assert client.get(f"/scan/{ident}").status_code == 404
        assert _record(client, ident, key=["身份证号"]).status_code == 404
        csrf = form_csrf(client.get("/dashboard").text)
        gone = client.post(f"/scan/{ident}/discard", data={"csrf": csrf})
        assert gone.status_code == 404 and "no longer pending" in gone.text
    assert (_store(client).root / ident).is_dir()


def test_another_organisation_cannot_remove_a_batch(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "admin")
    add_user(web_db, "bank", "ops@bank.example", "admin")
    sign_in(client, "ops@pharma.example")
    done = _record(client, _pending(client), key=["身份证号"])
    found = re.search(r'data-testid="batch-id">([0-9a-f]{12})<', done.text)
    assert found
    batch_id = found.group(1)
    client.cookies.clear()
    sign_in(client, "ops@bank.example")
    assert batch_id not in client.get("/ledger/batches").text
    csrf = form_csrf(client.get("/dashboard").text)
    form = {"csrf": csrf, "reason": "mine now"}
    assert client.post(f"/ledger/batches/{batch_id}/remove", data=form).status_code == 404
    client.cookies.clear()
    sign_in(client, "ops@pharma.example")
    assert batch_id in client.get("/ledger/batches").text
    csrf = form_csrf(client.get("/ledger/batches").text)
    removed = client.post(
        f"/ledger/batches/{batch_id}/remove", data={"csrf": csrf, "reason": "uploaded twice"}
    )
    assert removed.status_code == 200 and f"Batch {batch_id} removed" in removed.text
    assert 'data-testid="no-batches"' in removed.text


def test_a_member_cannot_remove_a_batch(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    sign_in(client, "ops@pharma.example")
    done = _record(client, _pending(client), key=["身份证号"])
    found = re.search(r'data-testid="batch-id">([0-9a-f]{12})<', done.text)
    assert found
    listed = client.get("/ledger/batches").text
    assert "/remove" not in listed
    csrf = form_csrf(listed)
    refused = client.post(
        f"/ledger/batches/{found.group(1)}/remove", data={"csrf": csrf, "reason": "x"}
    )
    assert refused.status_code == 403
    assert found.group(1) in client.get("/ledger/batches").text


def test_discarding_deletes_the_upload(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    sign_in(client, "ops@pharma.example")
    ident = _pending(client)
    csrf = form_csrf(client.get(f"/scan/{ident}").text)
    gone = client.post(f"/scan/{ident}/discard", data={"csrf": csrf}, follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == "/scan?discarded=1"
    assert not (_store(client).root / ident).exists()
    assert 'data-testid="discarded"' in client.get(gone.headers["location"]).text
    assert client.get(f"/scan/{ident}").status_code == 404


def test_an_expired_upload_is_gone(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    sign_in(client, "ops@pharma.example")
    ident = _pending(client)
    store = _store(client)
    folder = store.root / ident
    assert folder.is_dir()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=31)
    store.clock = lambda: later
    answer = client.get(f"/scan/{ident}")
    assert answer.status_code == 404 and "30 minutes" in answer.text
    assert not folder.exists()


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    sign_in(client, "ops@pharma.example")
    answer = client.post(
        "/scan",
        data={"csrf": "forged", "date": TODAY},
        files={"file": ("trial-batch.csv", SAMPLE.read_bytes(), "text/csv")},
    )
    assert answer.status_code == 403
    assert list(_store(client).root.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.exe", b"MZ", "is not a kind of file the scanner reads"),
        ("notes", b"a,b\n1,2\n", "is not a kind of file the scanner reads"),
        ("empty.csv", b"", "is empty"),
    ],
)
def test_uploads_that_are_not_datasets_are_refused_clearly(
    client: TestClient, web_db: str, name: str, content: bytes, message: str
) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    sign_in(client, "ops@pharma.example")
    answer = _upload(client, name=name, content=content, keys="身份证号")
    assert answer.status_code == 422
    assert message in answer.text and 'data-testid="scan-error"' in answer.text
    assert f'value="{TODAY}"' in answer.text and 'value="身份证号"' in answer.text  # kept
    assert list(_store(client).root.iterdir()) == []


def test_an_upload_over_the_limit_is_413(web_db: str, tmp_path: Path) -> None:
    from kuajing.api.app import create_app  # noqa: PLC0415

    add_user(web_db, "pharma", "ops@pharma.example", "member")
    app = create_app(web_db, key_file=tmp_path / "ledger.key", max_upload=100)
    with TestClient(app, base_url="https://testserver") as small:
        sign_in(small, "ops@pharma.example")
        answer = _upload(small)
        assert answer.status_code == 413
        assert "larger than the upload limit of 100 bytes" in answer.text
        assert list(_store(small).root.iterdir()) == []
