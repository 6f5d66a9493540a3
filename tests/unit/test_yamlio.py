from __future__ import annotations

import pytest

from kuajing.errors import RequestError
from kuajing.yamlio import format_path, parse


def _err(msg: str, line: int | None) -> RequestError:
    return RequestError(msg, line=line)


def test_dates_stay_text_and_lines_are_mapped() -> None:
    doc = parse("a: 1\nb:\n  - x: 2020-01-01\n", _err)
    assert doc.data == {"a": 1, "b": [{"x": "2020-01-01"}]}
    assert doc.line_of(("b", 0, "x")) == 3
    assert doc.line_of(("b", 0, "missing")) == 3


def test_duplicate_keys_are_rejected_with_line() -> None:
    with pytest.raises(RequestError) as info:
        parse("a:\n  b: 1\n  b: 2\n", _err)
    assert info.value.line == 3 and "duplicate key 'a.b'" in str(info.value)


def test_no_python_objects() -> None:
    with pytest.raises(RequestError):
        parse("a: !!python/object/apply:os.system ['true']\n", _err)


def test_format_path() -> None:
    assert format_path(("transfers", 0, "personal")) == "transfers[0].personal"
    assert format_path(()) == ""
