"""HTML pages of the FICTIONAL test list (`fictional`), as a zone's website shows it: a heading,
the notice, then the table with a title row (`<th colspan="7">`) above the header row, `rowspan`
for the merged cells, and a `<br>` inside each description of more than one sentence."""

from __future__ import annotations

from html import escape
from pathlib import Path

from tests.documents import fictional

ENCODINGS = {"utf-8": "utf-8", "gb18030": "gb18030", "gb2312": "gb18030"}  # declared: written


def build_html(
    path: Path, encoding: str = "utf-8", *, http_equiv: bool = False, declare: bool = True
) -> None:
    """The page in `encoding` ("utf-8", "gb18030" or "gb2312", written as GB18030), declared by
    `<meta charset>`, by `<meta http-equiv="Content-Type">`, or (`declare=False`) not at all."""
    path.write_bytes(page(encoding, http_equiv=http_equiv, declare=declare))


def page(encoding: str = "utf-8", *, http_equiv: bool = False, declare: bool = True) -> bytes:
    if http_equiv:
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">'
    else:
        meta = f'<meta charset="{encoding}">'
    title = escape(fictional.TITLE)
    text = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{meta if declare else ""}
<title>{title}</title>
<style>
  table {{ border-collapse: collapse; }}
  th, td {{ border: 1px solid #333; padding: 4px 6px; vertical-align: middle; }}
</style>
</head>
<body>
<div class="nav"><a href="#">首页</a> &gt; <a href="#">政策文件</a>（虚构网站）</div>
<h1>{title}</h1>
<p class="notice">{escape(fictional.NOTICE)}</p>
<table>
  <thead>
    <tr><th colspan="{len(fictional.HEADER)}">{title}</th></tr>
    <tr>{"".join(f"<th>{escape(h)}</th>" for h in fictional.HEADER)}</tr>
  </thead>
  <tbody>
{_body()}
  </tbody>
</table>
</body>
</html>
"""
    return text.encode(ENCODINGS[encoding])


def with_break(description: str) -> tuple[str, str]:
    """The description's text before and after the `<br>` the page puts after its first sentence
    ("" after when it has one sentence only)."""
    end = description.find("。") + 1
    if 0 < end < len(description):
        return description[:end], description[end:]
    return description, ""


def _body() -> str:
    covered = {
        (row, column)
        for column, first, last in fictional.vertical_spans()
        for row in range(first + 1, last + 1)
    }
    heights = {
        (first, column): last - first + 1 for column, first, last in fictional.vertical_spans()
    }
    rows = []
    for n, row in enumerate(fictional.grid()[1:], start=1):
        cells = []
        for column, text in enumerate(row):
            if (n, column) in covered:
                continue
            rowspan = heights.get((n, column))
            span = f' rowspan="{rowspan}"' if rowspan else ""
            cells.append(f"      <td{span}>{_cell(text, column)}</td>")
        rows.append("    <tr>\n" + "\n".join(cells) + "\n    </tr>")
    return "\n".join(rows)


def _cell(text: str, column: int) -> str:
    if column != len(fictional.HEADER) - 1:
        return escape(text)
    before, after = with_break(text)
    if not after:
        return f"\n        {escape(before)}\n      "
    return (
        f'<p style="text-align: left">\n        {escape(before)}<br>\n        {escape(after)}</p>'
    )
