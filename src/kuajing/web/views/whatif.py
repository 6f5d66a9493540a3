"""The what-if page's view: the options of `kuajing.whatif` with the ids the engine's sentences
name (a list, a list's scope) replaced by their names."""

from __future__ import annotations

import re

from kuajing.catalog import Catalog
from kuajing.lang import Lang
from kuajing.web.views.names import catalog_names, named
from kuajing.whatif import WhatIf

# A list's scope in an engine's sentence: "jiangsu-2025/pharmaceuticals/*".
_SCOPE = re.compile(r"(?<![\w/.-])([a-z][a-z0-9_-]*-\d{4}[a-z0-9-]*/[a-z0-9_*/-]*[a-z0-9_*])")


def plain(sentence: str, catalog: Catalog, lang: Lang) -> str:
    """`sentence` with each list scope and list id it names given by its name in `lang`."""
    names = catalog_names(catalog)

    def scope(m: re.Match[str]) -> str:
        found = names.get(m.group(1))
        return found.get(lang) if found else m.group(1)

    return named(_SCOPE.sub(scope, sentence), catalog, lang)


def readable(found: WhatIf, catalog: Catalog, lang: Lang) -> WhatIf:
    """The what-if with its open questions and uncertainties said in names, not ids."""
    options = []
    for o in found.options:
        transfers = [
            t.model_copy(update={"missing": [plain(m, catalog, lang) for m in t.missing]})
            for t in o.transfers
        ]
        reasons = [plain(r, catalog, lang) for r in o.uncertain_reasons]
        options.append(o.model_copy(update={"transfers": transfers, "uncertain_reasons": reasons}))
    return found.model_copy(update={"options": options})
