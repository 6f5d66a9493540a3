"""The zone what-if: the options a request has, the engine's `adopt` input, ranking that never
hides uncertainty, and the `kuajing whatif` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from kuajing.catalog import default_catalog
from kuajing.catalog.base import Pathway
from kuajing.cli.main import app
from kuajing.engine import Request, assess
from kuajing.services.whatif import whatif_request
from kuajing.whatif.burden import ranked
from kuajing.whatif.models import Burden, Option
from kuajing.yamlio import parse

CAT = default_catalog()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "beijing-pharma.yaml"
SA, SCC = Pathway.SECURITY_ASSESSMENT, Pathway.STANDARD_CONTRACT_OR_CERTIFICATION


def _request(zone: str | None, *transfers: dict[str, object], date: str = "2025-06-01") -> Request:
    return Request.model_validate(
        {"date": date, "processor": {"name": "P", "zone": zone}, "transfers": list(transfers)}
    )


PV = {"id": "t1", "scenario": "药物警戒", "sensitive": 50000}


def test_adopt_restricts_the_engine_to_one_list() -> None:
    shanghai = _request("shanghai", PV)
    assert assess(shanghai, CAT).transfers[0].regime == "beijing-2024"  # today's behaviour
    assert assess(shanghai, CAT, adopt="beijing-2024").transfers[0].regime == "beijing-2024"
    other = assess(shanghai, CAT, adopt="zhejiang-2024").transfers[0]
    assert (other.regime, other.pathway) == ("national", SA)


def test_the_beijing_example_lists_national_beijing_and_the_others() -> None:
    request = Request.model_validate_json(json.dumps(_yaml(EXAMPLE)))
    found = whatif_request(request, CAT)
    by_key = {o.key: o for o in found.options}
    national, beijing = by_key["national"], by_key["registered:beijing"]
    assert (national.zone, national.basis, national.pathway) == (None, "national", SA)
    assert [p.id for p in national.procedures] == ["sa-declaration"]
    assert (beijing.pathway, beijing.actual, beijing.rank) == (SCC, True, 1)
    assert {p.id for p in beijing.procedures} == {"scc-filing", "beijing-list-use"}
    clocks = {c.deadline: c.working_days for p in beijing.procedures for c in p.clocks}
    assert clocks["file"] == 10 and clocks["application_review"] == 5
    assert len(found.options) > 2 and all(o.rank >= 2 for o in found.options if o is not beijing)


def test_an_uncertain_option_is_ranked_at_its_worst_case() -> None:
    # Shanghai adopting Zhejiang's list, whose entries are not encoded: needs review.
    found = whatif_request(
        _request("shanghai", {"id": "t1", "scenario": "跨境支付", "sensitive": 5000})
    )
    zhejiang = next(o for o in found.options if o.adopted == "zhejiang-2024")
    assert zhejiang.status == "needs_review" and zhejiang.uncertain
    assert zhejiang.burden.worst_case and zhejiang.burden.pathway == SA
    assert "sa-declaration" in zhejiang.burden.procedures
    assert any("t1" in r for r in zhejiang.uncertain_reasons)
    lightest = min(o.rank for o in found.options)
    assert zhejiang.rank > lightest


def _option(key: str, pathway: Pathway, n: int, days: int, uncertain: bool) -> Option:
    burden = Burden(pathway=pathway, procedures=[f"p{i}" for i in range(n)], working_days=days,
                    worst_case=uncertain)  # fmt: skip
    return Option(key=key, basis="national", zone=None, registered_in=None, actual=False,
                  pathway=pathway, status="determined", transfers=[], procedures=[], missing=[],
                  uncertain=uncertain, uncertain_reasons=["x"] if uncertain else [],
                  burden=burden, rank=0)  # fmt: skip


def test_missing_knowledge_never_makes_an_option_lighter() -> None:
    unknown_days = _option("u", SCC, 1, 0, True)  # a procedure with no known clock
    known = _option("k", SCC, 1, 10, False)
    heavier = _option("h", SA, 1, 72, False)
    same = _option("s", SCC, 1, 10, False)
    out = {o.key: o.rank for o in ranked([unknown_days, heavier, known, same])}
    assert out == {"k": 1, "s": 1, "u": 3, "h": 4}


def _yaml(path: Path) -> object:
    return parse(path.read_text(encoding="utf-8"), lambda m, ln: ValueError(m)).data


def test_the_command_prints_json_and_text_in_both_languages() -> None:
    runner = CliRunner()
    run = runner.invoke(app, ["whatif", str(EXAMPLE), "--format", "json"])
    assert run.exit_code == 0, run.output
    options = json.loads(run.output)["options"]
    national = next(o for o in options if o["basis"] == "national")
    assert national["zone"] is None and national["pathway"] == "security_assessment"
    assert {"zone", "basis", "pathway", "status", "transfers", "rank"} <= set(national)
    en = runner.invoke(app, ["whatif", str(EXAMPLE), "--lang", "en"]).output
    assert "National rules only" in en and "your situation today" in en
    zh = runner.invoke(app, ["whatif", str(EXAMPLE), "--lang", "zh"]).output
    assert "仅适用全国规则" in zh and "贵司现状" in zh and "个工作日" in zh


def test_a_bad_request_is_the_same_one_line_error_as_assess(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("processor: {name: x, zone: mars}\ntransfers: [{id: a, personal: 1}]\n")
    exe = Path(sys.executable).parent / "kuajing"
    answers = [
        subprocess.run([exe, cmd, str(bad)], capture_output=True, text=True, check=False)
        for cmd in ("whatif", "assess")
    ]
    assert [a.returncode for a in answers] == [2, 2]
    assert answers[0].stderr == answers[1].stderr and answers[0].stderr.count("\n") == 1
    assert "processor.zone" in answers[0].stderr and answers[0].stdout == ""
