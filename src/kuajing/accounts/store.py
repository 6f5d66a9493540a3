"""The accounts in the database: organisations, users, API tokens and the decision log.

Everything an organisation owns is looked up through the caller's `Principal`, so a user of one
organisation asking for another's object gets `NotFound`, exactly as for an object that does not
exist. Passwords are kept as argon2id hashes; API tokens are random 256-bit secrets shown once
and kept as SHA-256 hashes (a hash this fast is safe for secrets this long), revocable.

An organisation's admins manage its users. A removed user is disabled, not deleted (the decision
log names them): they cannot sign in, their tokens are revoked and their sessions end.

An e-mail address is unique in an organisation, not across the service, so that adding a user
answers an admin alike whether or not another organisation uses the address. Signing in checks
the password against each enabled user with the address, and always against at least
SIGN_IN_CHECKS hashes: the user whose password it is signs in, and neither the answer nor its
time tells whether another organisation has the address (nor can an organisation that adds an
address first keep another's user out).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import uuid
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError
from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    Row,
    Select,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from kuajing.accounts import passwords
from kuajing.accounts.models import (
    KIND_ROLES,
    ORG_KINDS,
    ROLES,
    DecisionRecord,
    Lang,
    Organisation,
    OrgKind,
    Principal,
    Role,
    Token,
    TokenRef,
    User,
)
from kuajing.accounts.schema import api_tokens, decisions, organisations, users
from kuajing.db.engine import open_engine, reading, writing
from kuajing.db.group_commit import GroupCommit
from kuajing.errors import AccountError, Forbidden, NotFound
from kuajing.ledger.keys import Keyring, load_keyring
from kuajing.trail import chain as trail
from kuajing.trail.models import Actor

MIN_PASSWORD = passwords.MIN_LENGTH  # the pages and the API's schema show it
TOKEN_PREFIX = "kj_"
_SLUG = r"^[a-z0-9][a-z0-9-]{1,62}$"
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_HASHER = PasswordHasher()  # argon2id with the library's current defaults (RFC 9106)
_UNKNOWN = _HASHER.hash("no such user")  # verified against, so a wrong email costs as long
# Hashes checked at every sign-in, whatever the address: one per user with it, padded to this,
# so that an address two organisations use signs in no slower than one (see the module).
SIGN_IN_CHECKS = 2
_LANGS = ("zh", "en")


class Refused(AccountError):
    """An account operation refused for a `reason` a page can name in the reader's language;
    the message is the English one the API and the CLI show."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class UserAccount(User):
    """A user as their organisation's admins see them: with when they were disabled, if so."""

    disabled_at: str | None = None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Accounts:
    """The accounts of one database (the ledger's: `open` migrates it)."""

    def __init__(self, engine: Engine, key_file: Path | None = None) -> None:
        self.engine = engine
        self._decision_log = GroupCommit(engine, decisions)
        self._key_file = key_file
        self._keyring: Keyring | None = None

    @classmethod
    def open(cls, url: str, key_file: Path | None = None) -> Accounts:
        """The accounts at `url`; the audit trail is keyed by the installation secret in
        `key_file` (default: the ledger's key file)."""
        return cls(open_engine(url), key_file)

    @property
    def keyring(self) -> Keyring:
        """The installation key the audit trail is chained with, loaded when first needed:
        reading accounts, or signing in, never needs it."""
        if self._keyring is None:
            self._keyring = load_keyring(self._key_file)
        return self._keyring

    def _audit(
        self,
        conn: Connection,
        organisation_id: int,
        who: Principal | None,
        action: str,
        subject: int,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """An entry of the organisation's audit trail, in the caller's write transaction."""
        trail.append(conn, self.keyring, organisation_id, Actor.of(who), action, subject, detail)

    def close(self) -> None:
        self._decision_log.close()
        self.engine.dispose()

    def __enter__(self) -> Accounts:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- organisations and users ---------------------------------------------------------

    def create_organisation(
        self,
        slug: str,
        name: str,
        *,
        processor: str | None = None,
        zone: str | None = None,
        ciio: bool = False,
        sector: str | None = None,
        kind: OrgKind = "enterprise",
    ) -> Organisation:
        """A company (`enterprise`), or a zone's service centre (`zone`, serving `zone`)."""
        if kind not in ORG_KINDS:
            raise AccountError(f"kind {kind!r}: one of {', '.join(ORG_KINDS)}")
        if kind == "zone" and not zone:
            raise AccountError("a zone organisation needs the zone it serves (--zone)")
        if not re.match(_SLUG, slug):
            raise AccountError(f"slug {slug!r}: 2-63 lower-case letters, digits and hyphens")
        if not name.strip():
            raise AccountError("an organisation needs a name")
        row = {
            "slug": slug,
            "name": name.strip(),
            "processor": (processor or name).strip(),
            "zone": zone,
            "ciio": ciio,
            "sector": sector,
            "created_at": _now(),
            "kind": kind,
        }
        with writing(self.engine) as conn:
            try:
                result = conn.execute(insert(organisations).values(row))
            except IntegrityError:
                raise AccountError(f"organisation {slug!r} exists already") from None
            org_id = _new_id(result)
            self._audit(conn, org_id, None, "organisation.created", org_id, {"kind": kind})
        return Organisation(id=org_id, **row)

    def organisation(self, slug: str) -> Organisation:
        with reading(self.engine) as conn:
            found = conn.execute(select(organisations).where(organisations.c.slug == slug)).first()
        if found is None:
            raise NotFound(f"no organisation {slug!r}")
        return Organisation(**found._mapping)

    def organisations_of(self, processor: str) -> list[Organisation]:
        """The companies whose ledger name is `processor` (the operator's forecast notices)."""
        with reading(self.engine) as conn:
            rows = conn.execute(
                select(organisations)
                .where(organisations.c.processor == processor, organisations.c.kind == "enterprise")
                .order_by(organisations.c.id)
            ).all()
        return [Organisation(**r._mapping) for r in rows]

    def create_user(
        self,
        organisation: str,
        email: str,
        password: str,
        *,
        name: str | None = None,
        role: Role | None = None,
        lang: Lang = "zh",
    ) -> User:
        """A user of `organisation`; the role defaults to a company's member or a zone's
        reviewer."""
        org = self.organisation(organisation)
        role = role or KIND_ROLES[org.kind][1]
        _check_role(role, org)
        fields = _user_fields(email, password, name, role, lang, org)
        elsewhere = self._organisation_with(fields["email"], org.id)
        if elsewhere is not None:  # the operator may know: their user could not sign in
            message = f"user {fields['email']!r} exists already, in organisation {elsewhere!r}"
            raise Refused("email_taken", message)
        return self._insert_user(org.id, fields, password)

    def add_user(
        self,
        principal: Principal,
        email: str,
        password: str,
        *,
        name: str | None = None,
        role: Role | None = None,
        lang: Lang = "zh",
    ) -> UserAccount:
        """A new user of the caller's organisation (admins only); the role defaults to a
        company's member or a zone's reviewer."""
        _admin_only(principal)
        role = role or KIND_ROLES[principal.organisation.kind][1]
        _check_role(role, principal.organisation)
        fields = _user_fields(email, password, name, role, lang, principal.organisation)
        # Whether another organisation uses the address changes nothing here, nor the time it
        # takes: the admin gets a user of their organisation either way (see the module).
        return self._insert_user(principal.organisation.id, fields, password, principal)

    def _organisation_with(self, email: str, other_than: int) -> str | None:
        """The slug of an organisation other than `other_than` with a user of `email`."""
        with reading(self.engine) as conn:
            return conn.execute(
                select(organisations.c.slug)
                .join(users, users.c.organisation_id == organisations.c.id)
                .where(users.c.email == email, organisations.c.id != other_than)
                .limit(1)
            ).scalar()

    def _insert_user(
        self,
        organisation_id: int,
        fields: dict[str, str],
        password: str,
        who: Principal | None = None,  # None: the operator, at the command line
    ) -> UserAccount:
        row = {"organisation_id": organisation_id, **fields, "created_at": _now()}
        hashed = _HASHER.hash(password)  # slow on purpose: before taking the write lock
        with writing(self.engine) as conn:
            try:
                result = conn.execute(insert(users).values({**row, "password_hash": hashed}))
            except IntegrityError:
                message = f"user {fields['email']!r} exists already in the organisation"
                raise Refused("email_taken", message) from None
            user_id = _new_id(result)
            self._audit(conn, organisation_id, who, "user.created", user_id, {"role": row["role"]})
        return UserAccount(id=user_id, **row)

    def authenticate(self, email: str, password: str) -> Principal | None:
        """The user with this e-mail and password, else None. Every candidate's hash is checked
        (padded to SIGN_IN_CHECKS), so the time is the same for an unknown address, a known
        one, and one that two organisations use; of two users with the same password, the
        older."""
        with reading(self.engine) as conn:
            candidates = conn.execute(_with_address(email)).all()
        padding = [None] * max(0, SIGN_IN_CHECKS - len(candidates))
        found = None
        for row in [*candidates, *padding]:
            matches = _verify(row.password_hash if row is not None else _UNKNOWN, password)
            if matches and row is not None and found is None:
                found = row
        return self.principal(found) if found is not None else None

    def principal_by_email(self, email: str) -> Principal:
        """The oldest enabled user with `email`, for the command line (run by whoever holds
        the database, whose `user create` refuses an address used elsewhere)."""
        with reading(self.engine) as conn:
            found = conn.execute(_with_address(email).limit(1)).first()
        if found is None:
            raise NotFound(f"no enabled user {email!r}")
        return self.principal(found)

    def principal(self, user: Row[Any]) -> Principal:
        """The principal of a row of `users` (its password hash is left out)."""
        with reading(self.engine) as conn:
            org = conn.execute(
                select(organisations).where(organisations.c.id == user.organisation_id)
            ).one()
        fields = {k: v for k, v in user._mapping.items() if k in User.model_fields}
        return Principal(user=User(**fields), organisation=Organisation(**org._mapping))

    def users(self, principal: Principal) -> list[UserAccount]:
        """The users of the caller's organisation, disabled ones too (admins only: e-mail
        addresses are personal information the other roles have no need of)."""
        _admin_only(principal)
        with reading(self.engine) as conn:
            rows = conn.execute(
                select(users)
                .where(users.c.organisation_id == principal.organisation.id)
                .order_by(users.c.id)
            ).all()
        return [_account(r) for r in rows]

    def user(self, principal: Principal, user_id: int) -> UserAccount:
        """A user of the caller's organisation (admins only)."""
        _admin_only(principal)
        with reading(self.engine) as conn:
            return _account(_colleague(conn, principal, user_id))

    def set_role(self, principal: Principal, user_id: int, role: Role) -> UserAccount:
        """Another role for a user of the caller's organisation (admins only). The last active
        admin keeps the role, so that someone can still manage the organisation; a disabled
        user's role stays as it was when they were disabled (what they could do is on record)."""
        _admin_only(principal)
        _check_role(role, principal.organisation)
        with writing(self.engine) as conn:  # counted and changed under the write lock
            found = _colleague(conn, principal, user_id)
            if found.disabled_at is not None:
                raise Refused("disabled", "a disabled user's role cannot be changed")
            active_admin = found.role == "admin" and found.disabled_at is None
            if active_admin and role != "admin" and _admins(conn, principal) <= 1:
                raise Refused(
                    "last_admin",
                    "the organisation's last admin cannot give up the role: "
                    "make another user admin first",
                )
            if role != found.role:
                conn.execute(update(users).where(users.c.id == found.id).values(role=role))
                change = {"before": found.role, "after": role}
                org = principal.organisation.id
                self._audit(conn, org, principal, "user.role_changed", found.id, change)
        return _account(found, role=role)

    def remove_user(self, principal: Principal, user_id: int) -> UserAccount:
        """Disable a user of the caller's organisation (admins only, not themselves): they can
        no longer sign in and their tokens are revoked. Kept, not deleted: decisions name them."""
        _admin_only(principal)
        if user_id == principal.user.id:
            raise Refused("self_disable", "you cannot disable yourself: ask another admin")
        now = _now()
        with writing(self.engine) as conn:
            found = _colleague(conn, principal, user_id)
            if found.disabled_at is not None:  # already: keep when it happened
                return _account(found)
            conn.execute(update(users).where(users.c.id == found.id).values(disabled_at=now))
            revoked = conn.execute(
                update(api_tokens)
                .where(api_tokens.c.user_id == found.id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=now)
            ).rowcount
            detail = {"role": found.role, "tokens_revoked": revoked}
            org = principal.organisation.id
            self._audit(conn, org, principal, "user.disabled", found.id, detail)
        return _account(found, disabled_at=now)

    def set_lang(self, principal: Principal, lang: Lang) -> Principal:
        """The caller's language for pages and answers; returns the updated principal."""
        if lang not in _LANGS:
            raise Refused("lang_invalid", f"language {lang!r}: zh or en")
        with writing(self.engine) as conn:
            conn.execute(update(users).where(users.c.id == principal.user.id).values(lang=lang))
        return principal.model_copy(
            update={"user": principal.user.model_copy(update={"lang": lang})}
        )

    # --- API tokens ------------------------------------------------------------------------

    def create_token(self, principal: Principal, name: str) -> tuple[str, Token]:
        """A new token for the caller: the secret (shown this once) and its record."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = {
            "user_id": principal.user.id,
            "name": name.strip() or "token",
            "prefix": secret[:10],
            "created_at": _now(),
        }
        with writing(self.engine) as conn:
            result = conn.execute(insert(api_tokens).values({**row, "hash": _digest(secret)}))
            token_id = _new_id(result)
            detail = {"name": row["name"]}  # never the secret, nor its prefix
            org = principal.organisation.id
            self._audit(conn, org, principal, "token.created", token_id, detail)
        return secret, Token(id=token_id, revoked_at=None, **row)

    def principal_for_token(self, secret: str) -> Principal | None:
        """The user a live token belongs to, else None. Every API call asks: one query, built
        once."""
        with reading(self.engine) as conn:
            found = conn.execute(_TOKEN_QUERY, {"hash": _digest(secret)}).first()
        if found is None:
            return None
        row = found._mapping
        return Principal(
            user=User(**{name: row[name] for name in User.model_fields}),
            organisation=Organisation(
                **{name: row[f"org_{name}"] for name in Organisation.model_fields}
            ),
            token=TokenRef(id=row["token_id"], name=row["token_name"]),
        )

    def tokens(self, principal: Principal) -> list[Token]:
        """The organisation's tokens for an admin; a member's or viewer's own otherwise."""
        query = select(api_tokens).join(users, api_tokens.c.user_id == users.c.id)
        query = query.where(users.c.organisation_id == principal.organisation.id)
        if not principal.may("admin"):
            query = query.where(api_tokens.c.user_id == principal.user.id)
        with reading(self.engine) as conn:
            rows = conn.execute(query.order_by(api_tokens.c.id)).all()
        return [Token(**{k: v for k, v in r._mapping.items() if k != "hash"}) for r in rows]

    def revoke_token(self, principal: Principal, token_id: int) -> None:
        token = next((t for t in self.tokens(principal) if t.id == token_id), None)
        if token is None:
            raise NotFound(f"no token {token_id}")
        with writing(self.engine) as conn:
            revoked = conn.execute(
                update(api_tokens)
                .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=_now())
            ).rowcount
            if revoked:  # not when it was revoked already
                detail = {"name": token.name, "owner": token.user_id}
                org = principal.organisation.id
                self._audit(conn, org, principal, "token.revoked", token_id, detail)

    # --- the decision log ------------------------------------------------------------------

    def log_decision(
        self, principal: Principal, request: str, decision: str, version: str, digest: str
    ) -> DecisionRecord:
        row = _decision_row(principal, request, decision, version, digest)
        self._decision_log.write(row)  # batched with concurrent callers' decisions
        return DecisionRecord(**row)

    async def log_decision_async(
        self, principal: Principal, request: str, decision: str, version: str, digest: str
    ) -> DecisionRecord:
        """`log_decision` for the service's event loop: no thread waits for the commit."""
        row = _decision_row(principal, request, decision, version, digest)
        await self._decision_log.write_async(row)
        return DecisionRecord(**row)

    def decision(self, principal: Principal, decision_id: str) -> DecisionRecord:
        with reading(self.engine) as conn:
            found = conn.execute(
                select(decisions).where(
                    decisions.c.id == decision_id,
                    decisions.c.organisation_id == principal.organisation.id,
                )
            ).first()
        if found is None:
            raise NotFound(f"no decision {decision_id!r}")
        return DecisionRecord(**found._mapping)

    def decisions(self, principal: Principal, limit: int = 50) -> list[DecisionRecord]:
        query = (
            select(decisions)
            .where(decisions.c.organisation_id == principal.organisation.id)
            .order_by(decisions.c.created_at.desc(), decisions.c.id)
            .limit(limit)
        )
        with reading(self.engine) as conn:
            return [DecisionRecord(**r._mapping) for r in conn.execute(query).all()]


def _decision_row(
    principal: Principal, request: str, decision: str, version: str, digest: str
) -> dict[str, Any]:
    if not principal.may("member"):
        raise Forbidden("a viewer cannot make decisions")
    return {
        "id": uuid.uuid4().hex,
        "organisation_id": principal.organisation.id,
        "user_id": principal.user.id,
        "created_at": _now(),
        "catalog_version": version,
        "catalog_digest": digest,
        "request": request,
        "decision": decision,
    }


def _token_query() -> Select[Any]:
    org = organisations.alias("org")
    return (
        select(
            *(users.c[name] for name in User.model_fields),
            *(org.c[name].label(f"org_{name}") for name in Organisation.model_fields),
            api_tokens.c.id.label("token_id"),
            api_tokens.c.name.label("token_name"),
        )
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .join(org, org.c.id == users.c.organisation_id)
        .where(
            api_tokens.c.hash == bindparam("hash"),
            api_tokens.c.revoked_at.is_(None),
            users.c.disabled_at.is_(None),
        )
    )


_TOKEN_QUERY = _token_query()


def _with_address(email: str) -> Select[Any]:
    """The enabled users with the address, oldest first."""
    return (
        select(users)
        .where(users.c.email == email.strip().lower(), users.c.disabled_at.is_(None))
        .order_by(users.c.id)
    )


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError):
        return False


def _admin_only(principal: Principal) -> None:
    if not principal.may("admin"):
        raise Forbidden(f"only an admin manages users; you are {principal.role}")


def _check_role(role: str, organisation: Organisation | None = None) -> None:
    """`role` exists, and is one the organisation's kind has (a zone has no members)."""
    allowed = KIND_ROLES[organisation.kind] if organisation else ROLES
    if role not in allowed:
        raise Refused("role_invalid", f"role {role!r}: one of {', '.join(allowed)}")


def _user_fields(
    email: str, password: str, name: str | None, role: str, lang: str, org: Organisation
) -> dict[str, str]:
    """A new user's columns, checked, and their password against the policy (it is hashed
    separately)."""
    email = email.strip().lower()
    if len(email) > 320 or not re.match(_EMAIL, email):
        raise Refused("email_invalid", f"not an e-mail address: {email!r}")
    _check_role(role)
    if lang not in _LANGS:
        raise Refused("lang_invalid", f"language {lang!r}: zh or en")
    name = (name or "").strip() or email.split("@")[0]
    if len(name) > 200:
        raise Refused("name_long", "a name has at most 200 characters")
    passwords.check(password, (email, name, org.name, org.slug, org.processor))
    return {"email": email, "name": name, "role": role, "lang": lang}


def _colleague(conn: Connection, principal: Principal, user_id: int) -> Row[Any]:
    """The user `user_id` if they belong to the caller's organisation."""
    found = conn.execute(
        select(users).where(
            users.c.id == user_id, users.c.organisation_id == principal.organisation.id
        )
    ).first()
    if found is None:
        raise NotFound(f"no user {user_id}")
    return found


def _admins(conn: Connection, principal: Principal) -> int:
    """How many active admins the caller's organisation has."""
    return int(
        conn.execute(
            select(func.count(users.c.id)).where(
                users.c.organisation_id == principal.organisation.id,
                users.c.role == "admin",
                users.c.disabled_at.is_(None),
            )
        ).scalar_one()
    )


def _account(row: Row[Any], **changes: str) -> UserAccount:
    fields = {k: v for k, v in row._mapping.items() if k in UserAccount.model_fields}
    return UserAccount(**{**fields, **changes})


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:  # every table here has an integer key the database assigns
        raise AccountError("the database returned no id")
    return int(key[0])


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()
