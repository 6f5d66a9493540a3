"""Where users may name a dataset for a Spark job: a relative path under the service's datasets
directory (`kuajing serve --spark-datasets DIR`), or a table of the Spark session's catalog.
An absolute path, `..`, or a symbolic link leading out of the directory is refused, so a user
reads nothing else of the server's disks; messages and reports name the dataset by its path
under the directory, never by where the server keeps it."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from kuajing.errors import RequestError

TABLE = re.compile(r"\w+(\.\w+){0,2}")  # [catalog.][database.]table


class Datasets:
    def __init__(self, root: Path | None) -> None:
        self.root = root.resolve() if root is not None else None

    def locate(self, name: str) -> str:
        """What the Spark job reads for `name`: the dataset's path on the server, or the table
        name. `RequestError` (field "dataset") for any other name."""
        name = name.strip()
        if not name:
            raise _refused("name a dataset or a table", "请填写数据集或表名")
        pure = PurePosixPath(name)
        if pure.is_absolute() or PureWindowsPath(name).anchor or "\\" in name or "\0" in name:
            raise _refused(
                "name the dataset by its path under the datasets directory, not an absolute path",
                "请按数据集在数据集目录下的相对路径填写，不能使用绝对路径",
            )
        if ".." in pure.parts:
            raise _refused("'..' may not leave the datasets directory", "不能用“..”离开数据集目录")
        if self.root is not None and os.path.lexists(self.root / pure):
            return str(self._inside(self.root / pure, name))
        # A table name that is also a path of the server's working directory would read that.
        if TABLE.fullmatch(name) and not os.path.lexists(name):
            return name
        raise _refused(
            f"no dataset {name} under the datasets directory, and not a table name",
            f"数据集目录下没有数据集 {name}，它也不是表名",
        )

    def _inside(self, path: Path, name: str) -> Path:
        """`path` resolved, and every link under it, if they stay in the directory."""
        assert self.root is not None
        real = path.resolve()
        links = [real] if not real.is_dir() else _links(real)
        if not real.is_relative_to(self.root) or any(
            not p.resolve().is_relative_to(self.root) for p in links
        ):
            raise _refused(
                f"{name} leads out of the datasets directory (a symbolic link)",
                f"{name} 指向数据集目录之外（符号链接）",
            )
        return real

    def private(self, text: str) -> str:
        """`text` with the directory's place on the server left out."""
        if self.root is None:
            return text
        for prefix in (self.root.as_uri(), f"file:{self.root}", str(self.root)):
            text = text.replace(prefix + "/", "").replace(prefix, ".")
        return text

    def private_json(self, value: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self.private(json.dumps(value, ensure_ascii=False)))
        return found


def _links(folder: Path) -> list[Path]:
    found = []
    for top, dirs, files in os.walk(folder):
        found += [Path(top, n) for n in dirs + files if os.path.islink(os.path.join(top, n))]
    return found


def _refused(en: str, zh: str) -> RequestError:
    return RequestError(en, zh=zh, path="dataset")
