"""The policy for new passwords, after NIST SP 800-63B: a minimum length and a blocklist, and no
composition rules (no "must contain a digit"), so that long passphrases in any script pass.

Refused, compared after Unicode NFKC and ignoring case: fewer than MIN_LENGTH characters (code
points); one of the ~30,000 commonest passwords from breaches (the list the zxcvbn package
ships), alone or with only digits, spaces or symbols added at its ends; the user's e-mail
address, its local part or domain, their name or the organisation's (again allowing such
padding); one character or a short pattern repeated, or a run such as `abcdef…` or `9876…`.
Only new passwords are checked: signing in is unaffected.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from collections.abc import Iterable
from functools import cache
from itertools import pairwise
from pathlib import Path

from kuajing.errors import AccountError

MIN_LENGTH = 12  # NIST asks for 8 (15 where a password alone signs in); we ask for 12
SERVICE = "kuajing"  # the service's own name is a context-specific word too
_PATTERN = 4  # a password made of one unit of up to this many characters, repeated

# reason: (English, Chinese); never the password itself.
_WHY = {
    "password_short": (
        f"the password needs at least {MIN_LENGTH} characters",
        f"密码至少需要 {MIN_LENGTH} 个字符",
    ),
    "password_common": (
        "this password appears in lists of breached passwords; choose another",
        "该密码出现在已泄露密码列表中，请另选一个",
    ),
    "password_personal": (
        "this password is the e-mail address, a name or the organisation's name; choose another",
        "该密码是邮箱地址、姓名或组织名称，请另选一个",
    ),
    "password_pattern": (
        "this password is a repeated character or pattern, or a simple sequence; choose another",
        "该密码是重复的字符或模式，或简单的序列，请另选一个",
    ),
}


class WeakPassword(AccountError):
    """A new password the policy refuses. `reason` names the rule (the web pages' phrase key);
    the message says why in English and Chinese, on one line."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.en, self.zh = _WHY[reason]
        super().__init__(f"{self.en} / {self.zh}")


def check(password: str, context: Iterable[str] = ()) -> None:
    """Raise `WeakPassword` unless `password` may be set; `context` holds the words particular to
    this account (e-mail address, names) that it must not be."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword("password_short")
    folded = _fold(password)
    core = _core(folded)
    if _patterned(folded) or _patterned(_key(folded)):
        raise WeakPassword("password_pattern")
    if not {folded, core, _key(folded), _key(core)}.isdisjoint(_breached()):
        raise WeakPassword("password_common")
    words = {_fold(w) for w in (*context, SERVICE)}
    words |= {part for w in words if "@" in w for part in w.split("@", 1)}
    keys = {_key(w) for w in words} | {_key(_core(w)) for w in words}
    if not {_key(folded), _key(core)}.isdisjoint(keys - {""}):
        raise WeakPassword("password_personal")


@cache
def _breached() -> frozenset[str]:
    """zxcvbn's list of common passwords (all lower case), read on first use.

    Only its data module is run, not the package: importing `zxcvbn` builds ranked dictionaries
    of all six of its word lists, which takes twice as long and keeps three times the memory.
    """
    package = importlib.util.find_spec("zxcvbn")
    if package is None or not package.submodule_search_locations:
        raise ModuleNotFoundError("kuajing needs the zxcvbn package", name="zxcvbn")
    path = Path(next(iter(package.submodule_search_locations)), "frequency_lists.py")
    spec = importlib.util.spec_from_file_location("zxcvbn.frequency_lists", path)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"{path}: not found", name="zxcvbn.frequency_lists")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # not put in sys.modules: the other lists can be freed
    return frozenset(module.FREQUENCY_LISTS["passwords"])


def _fold(text: str) -> str:
    """Compatibility-normalised (full-width ｐａｓｓ is pass) and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def _core(text: str) -> str:
    """Without the digits, spaces and symbols at either end: `password1234!` -> `password`."""
    start, end = 0, len(text)
    while start < end and not text[start].isalpha():
        start += 1
    while end > start and not text[end - 1].isalpha():
        end -= 1
    return text[start:end]


def _key(text: str) -> str:
    """Letters and digits only (any script): `li.lei` and `Li Lei` are both `lilei`."""
    return "".join(c for c in text if c.isalnum())


def _patterned(text: str) -> bool:
    """One unit of up to _PATTERN characters repeated, or a run with a step of one."""
    if len(text) < 2:  # nothing, or one character: the other forms decide
        return False
    for size in range(1, _PATTERN + 1):
        if text == (text[:size] * (len(text) // size + 1))[: len(text)]:
            return True
    steps = {_step(a, b) for a, b in pairwise(text)}
    return steps in ({1}, {-1})


def _step(a: str, b: str) -> int:
    """From one character to the next; digits wrap around, so `7890123` is a run."""
    if a in "0123456789" and b in "0123456789":
        return (int(b) - int(a) + 1) % 10 - 1
    return ord(b) - ord(a)
