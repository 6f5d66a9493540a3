"""`kuajing catalog …`: what the catalogue knows, how completely and how surely."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from kuajing.services.in_force import ListInForce

from kuajing.cli.state import LangOpt, catalog, echo_json, language
from kuajing.errors import KuajingError
from kuajing.lang import Lang, pick

app = typer.Typer(help="Browse and check the rules catalogue.", no_args_is_help=True)

FormatOpt = Annotated[str, typer.Option("--format", help="text or json.")]


def _check_format(fmt: str) -> None:
    if fmt not in ("text", "json"):
        raise KuajingError(f"--format: expected text or json, got {fmt!r}")


def _n(value: int | None) -> str:
    return "?" if value is None else str(value)


@app.command("list")
def list_cmd(lang: LangOpt = None, fmt: FormatOpt = "text") -> None:
    """Zones, lists, editions, dates, status, encoded versus published counts."""
    from kuajing.services import catalog as svc

    _check_format(fmt)
    rows = svc.summaries(catalog(), language(lang), dt.date.today())
    if fmt == "json":
        echo_json(list(rows))
        return
    typer.echo(
        f"{'list':16} {'zones':18} {'in force':25} {'status':17} {'encoded':13} "
        "scenarios enc/pub  entries enc/pub(items)"
    )
    for r in rows:
        until = r.in_force_until or "…"
        typer.echo(
            f"{r.id:16} {','.join(r.zones):18} {f'{r.in_force_from} – {until}':25} "
            f"{r.status:17} {r.encoded:13} {_n(r.encoded_counts.scenarios):>5}/"
            f"{_n(r.published_counts.scenarios):<11} {_n(r.encoded_counts.items):>4}/"
            f"{_n(r.published_counts.items)}  {r.title}"
        )


@app.command("coverage")
def coverage_cmd(lang: LangOpt = None, fmt: FormatOpt = "text") -> None:
    """How many published scenarios of the lists in force decide; per list: published and
    encoded counts, unencoded scenarios, entries per confidence grade."""
    from kuajing.services import catalog as svc

    _check_format(fmt)
    today, chosen = dt.date.today(), language(lang)
    report = svc.coverage_report(catalog(), chosen, today)
    if fmt == "json":
        echo_json(report)
        return
    summary, rows = report.in_force, report.lists
    typer.echo(summary.line(chosen))
    for x in summary.lists:
        typer.echo(f"  {x.id}: {_decided(x, chosen)}")
    typer.echo("")
    for r in rows:
        pub, enc = r.published_counts, r.encoded_counts
        grades = " ".join(f"{g}:{v:.0%}" for g, v in r.grades.items()) or "no entries"
        typer.echo(f"{r.id} ({r.edition}, {r.encoded}, {r.status}) — {r.title}")
        typer.echo(
            f"  published: sectors {_n(pub.sectors)}, scenarios {_n(pub.scenarios)}, "
            f"sub-classes {_n(pub.sub_classes)}, items {_n(pub.items)}, fields {_n(pub.fields)}"
        )
        typer.echo(
            f"  encoded:   sectors {enc.sectors}, scenarios {enc.scenarios}, "
            f"entries {enc.items}, fields {enc.fields}; grades {grades}"
        )
        if r.unencoded_scenarios:
            typer.echo(f"  not encoded (answers needs_review): {', '.join(r.unencoded_scenarios)}")


def _decided(x: ListInForce, lang: Lang) -> str:
    of = "?" if x.published is None else str(x.published)
    part = [s for s in x.scopes if s.in_part]
    stops = sorted({n for s in part for n in (s.personal_from, s.sensitive_from) if n})
    more = ""
    if part:
        upto = ", ".join(f"{n:,}" for n in stops)
        more = pick(
            lang,
            f"，{len(part)} 个部分判定" + (f"（自 {upto} 人起须审查）" if upto else ""),
            f", {x.in_part} in part" + (f" (review from {upto} persons)" if upto else ""),
        )
    return pick(lang, f"{x.decide}/{of} 可判定{more}", f"{x.decide} of {of} decide{more}")


@app.command("show")
def show_cmd(ident: str, lang: LangOpt = None, fmt: FormatOpt = "text") -> None:
    """One list, sector, scenario, entry, zone or source with its citations."""
    from kuajing.services import catalog as svc

    _check_format(fmt)
    shown = svc.show(catalog(), ident, language(lang))
    if fmt == "json":
        echo_json(shown)
        return
    import yaml

    typer.echo(yaml.safe_dump(shown, allow_unicode=True, sort_keys=False, width=100).rstrip())


@app.command("search")
def search_cmd(text: str, lang: LangOpt = None, fmt: FormatOpt = "text") -> None:
    """Scenarios, entries and fields matching Chinese or English text."""
    from kuajing.services import catalog as svc

    _check_format(fmt)
    hits = svc.search(catalog(), text, language(lang))
    if fmt == "json":
        echo_json(list(hits))
        return
    if not hits:
        typer.echo(f"no match for {text!r}")
    for h in hits:
        typer.echo(f"{h.kind:9} {h.id:55} {h.name}  [{h.matched}]")


@app.command("validate")
def validate_cmd(
    directory: Annotated[
        Path | None, typer.Argument(help="Catalogue or overlay directory.")
    ] = None,
) -> None:
    """Strictly validate the shipped catalogue or DIR; every problem is reported; exit 2 on any."""
    from kuajing.services import catalog as svc

    errors = svc.validate(directory)
    for err in errors:
        typer.echo(str(err), err=True)
    if errors:
        raise typer.Exit(2)
    typer.echo(f"{directory or 'shipped catalogue'}: valid")


@app.command("diff")
def diff_cmd(
    a: Annotated[str, typer.Argument(help="List id, or catalogue/overlay directory.")],
    b: Annotated[str, typer.Argument(help="List id, or catalogue/overlay directory.")],
    requests: Annotated[
        list[Path] | None,
        typer.Option(
            "--requests", metavar="FILE", help="Request files whose decisions to compare."
        ),
    ] = None,
    fmt: FormatOpt = "text",
) -> None:
    """Entries added, removed or changed between A and B, and which decisions would change."""
    _check_format(fmt)
    from kuajing.services.diff import diff

    result = diff(catalog(), a, b, requests or [])
    if fmt == "json":
        echo_json(result)
        return
    for name in result.lists_added:
        typer.echo(f"+ list {name}")
    for name in result.lists_removed:
        typer.echo(f"- list {name}")
    for d in result.lists:
        typer.echo(f"{d.a} → {d.b}")
        typer.echo("".join(f"  + {e}\n" for e in d.added).rstrip("\n") or "  (no entries added)")
        typer.echo(
            "".join(f"  - {e}\n" for e in d.removed).rstrip("\n") or "  (no entries removed)"
        )
        for c in d.changed:
            typer.echo(f"  ~ {c.key}\n      {c.before}\n    → {c.after}")
    for ch in result.decisions:
        typer.echo(f"decision {ch.request} {ch.transfer}: {ch.before} → {ch.after}")
    if requests and not result.decisions:
        typer.echo("no decision on the given requests changes")


@app.command("import")
def import_cmd(
    table: Annotated[
        Path,
        typer.Argument(
            help="The official list: CSV (UTF-8 or GBK), XLSX, PDF (text or scanned), PNG/JPEG"
            " page image, DOCX or HTML."
        ),
    ],
    list_id: Annotated[str, typer.Option("--list", help="Id of the list, e.g. hainan-2024.")],
    zone: Annotated[str, typer.Option(help="Zone id the list applies to.")],
    out: Annotated[Path, typer.Option("--out", help="Overlay directory to write into.")],
    title_zh: Annotated[str, typer.Option(help="Official Chinese title.")],
    edition: Annotated[str, typer.Option(help="Edition label, e.g. 2024版.")],
    published: Annotated[str, typer.Option(help="Publication date YYYY-MM-DD.")],
    source: Annotated[str, typer.Option(help="Source id cited for every row.")],
    title_en: Annotated[str | None, typer.Option(help="English title.")] = None,
    in_force_from: Annotated[str | None, typer.Option("--from", help="Default: published.")] = None,
    until: Annotated[str | None, typer.Option(help="Last day in force.")] = None,
    source_title: Annotated[str | None, typer.Option(help="Title of a new source.")] = None,
    source_url: Annotated[str | None, typer.Option(help="URL of a new source.")] = None,
    confidence: Annotated[str, typer.Option(help="H, M, L or U.")] = "H",
    supersedes: Annotated[str | None, typer.Option(help="List id this edition replaces.")] = None,
    lang: LangOpt = None,
    fmt: FormatOpt = "text",
) -> None:
    """Turn an official list table or document into catalogue YAML in an overlay directory
    (use it with --rules DIR or KUAJING_RULES), and report what became of each row."""
    from kuajing.catalog.base import Text
    from kuajing.cli.import_render import report_json, report_lines
    from kuajing.services.tables import import_into_overlay

    _check_format(fmt)
    if confidence not in ("H", "M", "L", "U"):
        raise KuajingError(f"--confidence: expected H, M, L or U, got {confidence!r}")
    written, report = import_into_overlay(
        table, list_id, out, zone=zone,
        title=Text(zh=title_zh, en=title_en or title_zh), edition=edition,
        published=_date("--published", published),
        in_force_from=_date("--from", in_force_from or published),
        in_force_until=_date("--until", until) if until else None,
        source=source, source_title=source_title, source_url=source_url,
        confidence=confidence,  # type: ignore[arg-type]
        supersedes=supersedes,
    )  # fmt: skip
    if fmt == "json":
        echo_json(report_json(report, table.name, written))
        return
    for line in report_lines(report, table.name, written, language(lang)):
        typer.echo(line)


@app.command("export")
def export_cmd(
    list_id: Annotated[str, typer.Argument(help="List id.")],
    out: Annotated[Path, typer.Option("--out", help="Table to write (.csv or .xlsx).")],
) -> None:
    """Write a list as a table in the official layout (import reads it back unchanged)."""
    from kuajing.services.tables import export_list

    rows = export_list(catalog(), list_id, out)
    typer.echo(f"wrote {rows} rows to {out}")


def _date(option: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise KuajingError(
            f"{option}: expected a date YYYY-MM-DD, got {text!r}",
            zh=f"{option}: 应为日期 YYYY-MM-DD，收到 {text!r}",
        ) from None
