"""Filing documents built from real engine decisions, rendered to DOCX and PDF and read back:
python-docx for the Word file, Poppler's pdftotext for the PDF (Chinese must be searchable)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kuajing.catalog import default_catalog
from kuajing.catalog.base import Lang, Text
from kuajing.engine import Decision, Request, assess
from kuajing.errors import CatalogInvalid
from kuajing.filing.documents import (
    Document,
    DocumentInput,
    DocumentKind,
    FilingDeadline,
    FilingFacts,
    FontMissing,
    build,
    load_forms,
    to_docx,
    to_pdf,
)
from kuajing.filing.documents import fonts as fonts_module
from kuajing.filing.documents.forms import FORMS_DIR
from kuajing.filing.documents.rules import find_rule
from kuajing.services.assess import parse_request

ROOT = Path(__file__).resolve().parents[2]
CATALOG = default_catalog()
CREATED = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)

BEIJING = parse_request((ROOT / "examples" / "beijing-pharma.yaml").read_text(encoding="utf-8"))
NATIONAL_SA = Request.model_validate(  # tests/cases/national-2024.yaml: 10,000 sensitive → SA
    {
        "date": "2026-06-01",
        "processor": {"name": "Example Trading (Shenzhen) Co., Ltd.", "ciio": False},
        "transfers": [
            {
                "id": "crm",
                "sensitive": 12000,
                "recipient": {"name": "Overseas HQ Ltd", "country": "SG"},
            }
        ],
    }
)
SHANGHAI = Request.model_validate(  # tests/cases/shanghai-2024.yaml: 1,000,000 reinsurance → SCC
    {
        "date": "2025-06-01",
        "processor": {"name": "Example Re (Shanghai FTZ) Co., Ltd.", "ciio": False, "zone": "sh"},
        "transfers": [
            {
                "id": "life",
                "scenario": "人身险再保险",
                "personal": 1000000,
                "fields": ["姓名", "保单号"],
                "recipient": {"name": "Global Re AG", "country": "CH"},
            }
        ],
    }
)
REVIEW = Request.model_validate(  # tests/cases/beijing-2024.yaml: unknown overlap → needs review
    {
        "date": "2025-06-01",
        "processor": {"name": "Example Co. (Beijing FTZ) Ltd.", "ciio": False, "zone": "beijing"},
        "transfers": [
            {
                "id": "t1",
                "scenario": "临床试验",
                "personal": 30000,
                "sensitive": 30000,
                "recipient": {"name": "Sponsor GmbH", "country": "DE"},
            }
        ],
    }
)

# What each document must show, in each language, after a round trip through DOCX and PDF.
EXPECT: dict[DocumentKind, tuple[Request, list[str] | None, dict[Lang, list[str]]]] = {
    DocumentKind.PIPIA: (
        BEIJING,
        None,
        {
            "zh": [
                "个人信息保护影响评估报告",
                "境外接收方",
                "个人信息主体数量",
                "40,400",
                "临床试验",
                "处理目的",
                "第55条第(四)项",
                "第56条",
                "第5条",
                "SCC-5",
                "BJ24-PHARMA-PI-SCC-1",
                "PIPL-55",
                "本文件依据",
            ],
            "en": [
                "Personal information protection impact assessment report",
                "Overseas recipient",
                "Number of persons",
                "40,400",
                "Clinical trials",
                "SCC-5",
                "第5条",
                "BJ24-PHARMA-PI-SCC-1",
                "Rules this document rests on",
            ],
        },
    ),
    DocumentKind.SCC_FILING_COVER: (
        BEIJING,
        ["trial-data"],
        {
            "zh": [
                "个人信息出境标准合同备案",
                "境外接收方",
                "个人信息主体数量",
                "30,000",
                "临床试验",
                "标准合同生效日期",
                "承诺书",
                "SCC-7-1",
                "SCC-7-3",
                "第7条",
            ],
            "en": [
                "Standard contract filing",
                "Overseas recipient",
                "Number of persons",
                "30,000",
                "Clinical trials",
                "Letter of commitment",
                "SCC-7-1",
                "第7条",
            ],
        },
    ),
    DocumentKind.SCC_DATA_ANNEX: (
        BEIJING,
        ["trial-data"],
        {
            "zh": [
                "出境个人信息说明",
                "境外接收方",
                "个人信息主体数量",
                "30,000",
                "临床试验",
                "受试者编号",
                "不良事件描述",
                "境外保存期限",
                "SCC-8",
                "第8条",
                "第39条",
            ],
            "en": [
                "annex on the personal information exported",
                "Overseas recipient",
                "Number of persons",
                "30,000",
                "受试者编号",
                "Retention period abroad",
                "SCC-8",
            ],
        },
    ),
    DocumentKind.SA_CHECKLIST: (
        NATIONAL_SA,
        None,
        {
            "zh": [
                "数据出境安全评估申报材料清单",
                "申报书",
                "境外接收方",
                "Overseas HQ Ltd",
                "个人信息主体数量",
                "12,000",
                "SAM-5",
                "SAM-6",
                "SAM-9",
                "第6条",
                "第9条",
                "CBDF-7-4",
                "未指明场景",
            ],
            "en": [
                "materials checklist",
                "Application form",
                "Overseas recipient",
                "Overseas HQ Ltd",
                "Number of persons",
                "12,000",
                "SAM-6",
                "CBDF-7-4",
            ],
        },
    ),
    DocumentKind.ZONE_LIST_USE: (
        BEIJING,
        ["trial-data"],
        {
            "zh": [
                "清单使用申请及备案表",
                "业务场景",
                "数据目录",
                "规模",
                "境外接收方",
                "适用的数据子类和理由",
                "临床试验",
                "Sponsor GmbH",
                "30,000",
                "个人信息主体数量",
                "近两年行政处罚及整改情况",
                "BJ24-PHARMA-PI-SCC-1",
                "BJ24-PROC-1",
                "NOT_RETRIEVED",
                "第6条",
            ],
            "en": [
                "application to use the list",
                "Business scenario",
                "Data directory",
                "Scale",
                "Overseas recipient",
                "Applicable sub-class and reason",
                "Clinical trials",
                "Sponsor GmbH",
                "30,000",
                "BJ24-PHARMA-PI-SCC-1",
            ],
        },
    ),
    DocumentKind.SHANGHAI_POST_EXPORT: (
        SHANGHAI,
        None,
        {
            "zh": [
                "数据出境后报送表",
                "15个工作日",
                "人身险再保险",
                "境外接收方",
                "Global Re AG",
                "个人信息主体数量",
                "1,000,000",
                "保单号",
                "情况说明",
                "SH24-REPORT",
                "NOT_RETRIEVED",
            ],
            "en": [
                "report after the data export",
                "15 working days",
                "Overseas recipient",
                "Global Re AG",
                "Number of persons",
                "1,000,000",
                "Explanation letter",
                "SH24-REPORT",
            ],
        },
    ),
}


def decide(request: Request, lang: Lang = "zh") -> Decision:
    return assess(request, CATALOG, lang)


def make_input(
    request: Request | None,
    decision: Decision,
    transfer_ids: list[str] | None = None,
    **extra: Any,
) -> DocumentInput:
    processor = request.processor if request else None
    return DocumentInput(
        organisation="Example Holdings",
        processor=processor.name if processor else "Example Pharma (Beijing) Co., Ltd.",
        zone=processor.zone if processor else None,
        sector=processor.sector if processor else None,
        ciio=processor.ciio if processor else None,
        decision_id="dec-0001",
        created_at=CREATED,
        catalog_version=CATALOG.version,
        catalog_digest=CATALOG.digest,
        request=request,
        decision=decision,
        transfer_ids=transfer_ids,
        **extra,
    )


def flat(text: str) -> str:
    """Without whitespace: PDF lines break inside table cells."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pdftotext() -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: install the Debian package poppler-utils")
    try:
        fonts_module.cjk_font_path()
    except FontMissing as exc:
        pytest.fail(str(exc))
    return tool


def pdf_text(tool: str, pdf: bytes, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        [tool, "-enc", "UTF-8", *pages, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_kind_round_trips_through_docx_and_pdf(
    kind: DocumentKind, lang: Lang, pdftotext: str
) -> None:
    request, ids, expect = EXPECT[kind]
    doc = build(kind, make_input(request, decide(request), ids), lang, CATALOG)
    assert doc.kind == kind and doc.citations
    word = docx_text(to_docx(doc))
    pdf = flat(pdf_text(pdftotext, to_pdf(doc)))
    for text in expect[lang]:
        assert text in word, f"{text!r} not in the DOCX"
        assert flat(text) in pdf, f"{text!r} not in the PDF text"
    assert doc.notices[0].level != "review"  # these decisions are determined


def test_the_pdf_embeds_its_chinese_font(pdftotext: str) -> None:
    doc = build(DocumentKind.PIPIA, make_input(BEIJING, decide(BEIJING)), "zh", CATALOG)
    tool = str(Path(pdftotext).with_name("pdffonts"))
    listing = subprocess.run([tool, "-"], input=to_pdf(doc), capture_output=True, check=True)
    rows = [r.split() for r in listing.stdout.decode().splitlines() if "DroidSans" in r]
    assert rows and all(r[-5] == "yes" for r in rows)  # the "emb" column


def test_covered_transfers_only() -> None:
    doc = build(
        DocumentKind.ZONE_LIST_USE,
        make_input(BEIJING, decide(BEIJING), ["trial-data"]),
        "zh",
        CATALOG,
    )
    text = "\n".join(doc.texts())
    assert "trial-data" in text and "Sponsor GmbH" in text
    assert "safety-reports" not in text and "Global Safety Ltd" not in text


def test_a_bare_decision_says_not_given_and_invents_nothing(pdftotext: str) -> None:
    inp = make_input(None, decide(BEIJING))
    doc = build(DocumentKind.SCC_DATA_ANNEX, inp, "zh", CATALOG)
    rows = {r.label: r.value for s in doc.sections for r in s.rows}
    assert rows["境外接收方"].text == "未提供" and rows["境外接收方"].state == "not_given"
    assert rows["个人信息主体数量"].text == "未提供"
    recipients = next(t for s in doc.sections for t in s.tables if "境外接收方" in t.columns)
    assert all(row[1].text == "未提供" for row in recipients.rows)
    assert any(n.title.startswith("未提供申请") for n in doc.notices)
    persons = next(t for s in doc.sections for t in s.tables if "去重人数" in t.columns)
    assert all(c.state == "not_given" for row in persons.rows for c in row[1:])
    assert "Sponsor GmbH" not in "\n".join(doc.texts())
    pdf = pdf_text(pdftotext, to_pdf(doc))
    assert "未提供" in pdf and "Sponsor" not in pdf


def test_needs_review_is_flagged_on_the_first_page(pdftotext: str) -> None:
    cases: list[tuple[Lang, str, str]] = [
        ("zh", "需人工审查", "重叠情况未知"),
        ("en", "needs review", "how many persons appear in both counters"),
    ]
    for lang, flag, missing in cases:
        decision = decide(REVIEW, lang)
        assert decision.status == "needs_review"
        doc = build(DocumentKind.ZONE_LIST_USE, make_input(REVIEW, decision), lang, CATALOG)
        assert doc.notices[0].level == "review"
        first = flat(pdf_text(pdftotext, to_pdf(doc), page=1))
        assert flat(flag) in first and flat(missing) in first
        word = docx.Document(io.BytesIO(to_docx(doc)))
        assert flag in word.tables[0].cell(0, 0).text  # the first box of the Word file


def test_blanks_to_fill_are_visible() -> None:
    doc = build(DocumentKind.PIPIA, make_input(BEIJING, decide(BEIJING)), "zh", CATALOG)
    rows = {r.label: r.value for s in doc.sections for r in s.rows}
    assert rows["负责人签字"].state == "blank" and "待填写" in rows["负责人签字"].text
    assert rows["处理目的"].state == "blank"
    recipients = next(t for s in doc.sections for t in s.tables if "境外接收方" in t.columns)
    assert recipients.rows[0][3].state == "blank"  # the recipient's contact
    xml = docx.Document(io.BytesIO(to_docx(doc))).element.xml
    assert 'w:fill="FFF2B3"' in xml  # shaded in Word


def test_a_document_not_called_for_says_so() -> None:
    doc = build(DocumentKind.SA_CHECKLIST, make_input(BEIJING, decide(BEIJING)), "en", CATALOG)
    assert any("do not call for this document" in n.title for n in doc.notices)
    doc = build(
        DocumentKind.SA_CHECKLIST, make_input(NATIONAL_SA, decide(NATIONAL_SA)), "en", CATALOG
    )
    assert not any("do not call for" in n.title for n in doc.notices)


def test_rule_texts_follow_the_document_language() -> None:
    decision = decide(BEIJING, "zh")
    rule = find_rule(CATALOG, "BJ24-PHARMA-PI-SCC-1")
    assert rule is not None
    doc = build(DocumentKind.PIPIA, make_input(BEIJING, decision), "en", CATALOG)
    text = "\n".join(doc.texts())
    assert rule.text.en in text and rule.text.zh not in text


def test_filing_deadlines_are_shown() -> None:
    filing = FilingFacts(
        id="fil-7",
        procedure="scc_filing",
        procedure_name=Text(zh="标准合同备案", en="standard contract filing"),
        state="contract_signed",
        deadlines=[
            FilingDeadline(
                label=Text(zh="备案期限", en="filing deadline"),
                date=dt.date(2027, 1, 15),
                provisional=True,
                rule="SCC-7-1",
            )
        ],
    )
    inp = make_input(BEIJING, decide(BEIJING), ["trial-data"], filing=filing)
    doc = build(DocumentKind.SCC_FILING_COVER, inp, "zh", CATALOG)
    text = "\n".join(doc.texts())
    assert "2027-01-15" in text and "暂定" in text and "fil-7" in text


def test_output_is_reproducible(pdftotext: str) -> None:
    doc = build(DocumentKind.SCC_FILING_COVER, make_input(BEIJING, decide(BEIJING)), "zh", CATALOG)
    assert to_pdf(doc) == to_pdf(doc)
    assert to_docx(doc) == to_docx(doc)
    info = subprocess.run(
        [str(Path(pdftotext).with_name("pdfinfo")), "-isodates", "-"],
        input=to_pdf(doc),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "2026-03-01T08:30:00" in info  # the input's time, not the machine's
    props = docx.Document(io.BytesIO(to_docx(doc))).core_properties
    assert props.created == CREATED


@settings(max_examples=15, deadline=None)
@given(st.sets(st.sampled_from([t.id for t in BEIJING.transfers]), min_size=1))
def test_any_subset_of_transfers_builds(ids: set[str]) -> None:
    decision = decide(BEIJING)
    wanted = [t.id for t in BEIJING.transfers if t.id in ids]
    doc = build(DocumentKind.SCC_DATA_ANNEX, make_input(BEIJING, decision, wanted), "en", CATALOG)
    text = "\n".join(doc.texts())
    for t in BEIJING.transfers:
        assert (t.id in text) == (t.id in ids)


def test_unknown_transfer_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="not in the decision"):
        make_input(BEIJING, decide(BEIJING), ["nope"])


def test_font_missing_names_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = build(DocumentKind.PIPIA, make_input(BEIJING, decide(BEIJING)), "zh", CATALOG)
    monkeypatch.setenv("KUAJING_CJK_FONT", "/nonexistent/font.ttf")
    with pytest.raises(FontMissing, match="fonts-droid-fallback"):
        to_pdf(doc)
    monkeypatch.delenv("KUAJING_CJK_FONT")
    monkeypatch.setattr(fonts_module, "CJK_FONTS", (Path("/nonexistent/a.ttf"),))
    with pytest.raises(FontMissing, match="install the Debian package fonts-droid-fallback"):
        to_pdf(doc)


# -- the form definitions ---------------------------------------------------------------------


def test_shipped_forms_load_and_cite_known_sources() -> None:
    forms = load_forms(FORMS_DIR, CATALOG.sources)
    assert set(forms) == set(DocumentKind)
    for form in forms.values():
        for section in form.sections:
            assert all(check.cite for check in section.checks)


BREAKS = [
    # (text in the form, replacement, expected message)
    ("value: processor.name", "value: processor.nmae", "unknown value 'processor.nmae'"),
    ("  status: not_encoded", "  status: not_encoded\n  colour: red", "Extra inputs are not"),
    ("{source: S01, article: 第55条第(四)项", "{source: S99, article: 第55条第(四)项", "S99"),
    ("tables: [recipients, data]", "tables: [recipients, dats]", "unknown table 'dats'"),
    ("kind: pipia", "kind: pipia\nkind: pipia", "duplicate key"),
]


@pytest.mark.parametrize(("old", "new", "message"), BREAKS)
def test_a_broken_form_names_file_and_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    for path in FORMS_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "pipia.yaml"
    text = target.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1 + (1 if new.startswith(old + "\n") else 0)
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogInvalid) as caught:
        load_forms(tmp_path, CATALOG.sources)
    errors = caught.value.errors
    assert any(message in str(e) and e.file == f"{tmp_path.name}/pipia.yaml" for e in errors)
    assert any(e.line == line for e in errors), [str(e) for e in errors]


def test_a_missing_or_stray_form_file_is_an_error(tmp_path: Path) -> None:
    for path in FORMS_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "sa_checklist.yaml").unlink()
    (tmp_path / "extra.yaml").write_text("kind: extra\n", encoding="utf-8")
    with pytest.raises(CatalogInvalid) as caught:
        load_forms(tmp_path)
    messages = [str(e) for e in caught.value.errors]
    assert any("sa_checklist.yaml" in m for m in messages)
    assert any("extra.yaml: not a document kind" in m for m in messages)


def test_documents_are_typed_values() -> None:
    doc = build(DocumentKind.PIPIA, make_input(BEIJING, decide(BEIJING)), "zh", CATALOG)
    assert isinstance(Document.model_validate(doc.model_dump()), Document)
    assert all(c.location for c in doc.citations)


def test_the_data_annex_states_the_retention_period_given_and_leaves_it_blank_otherwise() -> None:
    longer = SHANGHAI.model_copy(deep=True)
    longer.transfers[0].retention_months = 36
    for request, text, state in [(longer, "life: 36个月", "given"), (SHANGHAI, "待填写", "blank")]:
        doc = build("scc_data_annex", make_input(request, assess(request, CATALOG)), "zh", CATALOG)
        rows = {r.label: r.value for s in doc.sections for r in s.rows}
        assert rows["境外保存期限"].state == state and text in rows["境外保存期限"].text
