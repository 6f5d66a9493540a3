"""Typed errors. Domain code raises these; only the CLI and API turn them into output."""

from __future__ import annotations


class KuajingError(Exception):
    """Base class of every error kuajing raises on purpose. A raiser gives the message in Chinese
    too with `zh=`; `in_lang` picks it, and a message nobody has translated stays English."""

    zh: str | None = None  # a class default: subclasses with their own __init__ have it too

    def __init__(self, *args: object, zh: str | None = None) -> None:
        super().__init__(*args)
        self.zh = zh

    def in_lang(self, lang: str) -> str:
        """The message in `lang` ("zh" or "en"), English when it has no Chinese text."""
        return self.zh if lang == "zh" and self.zh else str(self)


class LocatedError(KuajingError):
    """An error at a place in a document: file, line and key path, each optional."""

    def __init__(
        self,
        message: str,
        *,
        zh: str | None = None,  # the message alone in Chinese: the place is added as in English
        file: str | None = None,
        line: int | None = None,
        path: str = "",
        loc: tuple[str | int, ...] = (),
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.path = path
        self.loc = (
            loc  # the key path as a tuple, so a caller holding the document can find the line
        )
        super().__init__(str(self), zh=zh)

    def __str__(self) -> str:
        return self._placed(self.message)

    def in_lang(self, lang: str) -> str:
        return self._placed(self.zh) if lang == "zh" and self.zh else str(self)

    def _placed(self, message: str) -> str:
        where = ":".join(p for p in (self.file, str(self.line) if self.line else None) if p)
        parts = [p for p in (where, self.path) if p]
        return ": ".join([*parts, message])


class CatalogError(LocatedError):
    """The rules catalogue (shipped or a user's) is malformed."""


class RequestError(LocatedError):
    """An assessment request is invalid."""


class CatalogInvalid(KuajingError):
    """Every problem found in a catalogue directory, each a `CatalogError`."""

    def __init__(self, errors: list[CatalogError]) -> None:
        self.errors = errors
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{errors[0]}{more}")


class DatasetError(LocatedError):
    """A dataset file (CSV, XLSX, Parquet, JSON Lines) cannot be read as asked."""


class TooLarge(DatasetError):
    """An uploaded dataset exceeds the service's size limit."""


class SparkError(KuajingError):
    """A Spark cluster did not answer, or a Spark job failed (on the driver or an executor):
    one line, without the Java stack."""


class LedgerError(KuajingError):
    """The export ledger refuses an operation: wrong key, unknown batch, broken database."""


class InvalidValue(KuajingError):
    """A single value is not a valid identifier of the kind asked for (`validate`). `reason` is
    one of "length", "format", "component" (a part such as a date or region is impossible) or
    "checksum"."""

    def __init__(self, kind: str, reason: str, message: str) -> None:
        self.kind = kind
        self.reason = reason
        self.message = message
        super().__init__(f"{kind}: {message}")


class AccountError(KuajingError):
    """An account operation is refused: a name taken, a bad password, a weak one."""


class NotFound(KuajingError):
    """No such object, or not one the caller's organisation may see (the same answer for both,
    so that one tenant cannot learn what another holds)."""


class Forbidden(KuajingError):
    """The caller's role does not allow the operation."""


class UnknownBatch(LedgerError, NotFound):
    """No batch of that id (for that processor) in the ledger."""


class FilingError(KuajingError):
    """A filing cannot be created or moved as asked."""


class InvalidTransition(FilingError):
    """An event that the filing's procedure does not allow in its state, or on that date."""


class RegisterError(LocatedError):
    """A flow of the transfer register is refused: its field, or a register file's row and
    column, named."""


class RegisterInvalid(KuajingError):
    """Every bad row of a register file, one line each (`RegisterError`); nothing was written."""

    def __init__(self, errors: list[RegisterError]) -> None:
        self.errors = errors
        super().__init__(
            "\n".join(str(e) for e in errors), zh="\n".join(e.in_lang("zh") for e in errors)
        )


class Conflict(KuajingError):
    """Changed by someone else meanwhile, or already there: read it again and retry."""
