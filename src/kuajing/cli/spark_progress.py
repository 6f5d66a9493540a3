"""Progress of a Spark job on the terminal: a bar per stage with rows (or persons) done, or one
line per stage on standard error when it is not a terminal (logs, CI, a test watching)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from kuajing.lang import Lang
from kuajing.spark.progress import STAGES, Report, Step

_NAMES = {
    "layout": ("finding where each file's rows start", "定位各文件的数据行"),
    "propose": ("proposing each column's kind", "识别各列的类型"),
    "count": ("checking and counting every row", "检查并计数全部数据行"),
    "persons": ("counting distinct persons", "统计去重人数"),
    "ledger": ("recording the persons in the ledger", "将人员记入台账"),
}
_UNITS = {"rows": ("rows", "行"), "persons": ("persons", "人")}


def _name(stage: str, lang: Lang) -> str:
    en, zh = _NAMES[stage]
    number = STAGES.index(stage) + 1
    return (
        f"Spark {number}/{len(STAGES)}：{zh}"
        if lang == "zh"
        else f"Spark {number}/{len(STAGES)}: {en}"
    )


@contextmanager
def shown(lang: Lang) -> Iterator[Report]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        yield _lines(lang)
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, object] = {}

        def report(step: Step) -> None:
            if step.stage not in tasks:
                unit = _UNITS[step.unit][1 if lang == "zh" else 0]
                tasks[step.stage] = bar.add_task(
                    _name(step.stage, lang), total=step.total, unit=unit
                )
            bar.update(tasks[step.stage], completed=step.done, total=step.total)  # type: ignore[arg-type]

        yield report


def _lines(lang: Lang) -> Report:
    seen: set[str] = set()

    def report(step: Step) -> None:
        if step.stage in seen:
            return
        seen.add(step.stage)
        print(_name(step.stage, lang), file=sys.stderr, flush=True)

    return report
