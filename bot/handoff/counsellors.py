"""Counsellor accounts: argon2 password hashes, lockout after repeated failures, API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from bot.handoff.db import new_session
from bot.handoff.models import Counsellor, Role, utcnow

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()
# Verifying against this when the login is unknown costs the same time as a real check, so the
# response time does not reveal which logins exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(Exception):
    pass


class LockedOut(AccountError):
    pass


@dataclass(frozen=True)
class CounsellorInfo:
    id: int
    login: str
    name: str
    role: str
    languages: tuple[str, ...]
    partner: str

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin.value


def _info(c: Counsellor) -> CounsellorInfo:
    return CounsellorInfo(
        id=c.id,
        login=c.login,
        name=c.name or c.login,
        role=c.role.value,
        languages=tuple(x for x in c.languages.split(",") if x),
        partner=c.partner,
    )


def create_counsellor(
    login: str,
    password: str,
    *,
    name: str = "",
    role: str = "counsellor",
    languages: list[str] | None = None,
    partner: str = "",
    url: str | None = None,
) -> CounsellorInfo:
    login = login.strip().lower()
    if not login or len(login) > 64:
        raise AccountError("a login of 1 to 64 characters is needed")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    with new_session(url) as session, session.begin():
        if session.scalars(select(Counsellor).where(Counsellor.login == login)).first():
            raise AccountError(f"the login {login!r} exists already")
        counsellor = Counsellor(
            login=login,
            name=name,
            password_hash=_hasher.hash(password),
            role=Role(role),
            languages=",".join(languages or []),
            partner=partner,
        )
        session.add(counsellor)
        session.flush()
        return _info(counsellor)


def authenticate(
    login: str, password: str, *, now: dt.datetime | None = None, url: str | None = None
) -> CounsellorInfo | None:
    """The counsellor if the password is right; None if not; LockedOut while locked."""
    now = now or utcnow()
    with new_session(url) as session, session.begin():
        counsellor = session.scalars(
            select(Counsellor).where(Counsellor.login == login.strip().lower())
        ).first()
        if counsellor is None or not counsellor.active:
            _verify(_DUMMY_HASH, password)
            return None
        if counsellor.locked_until and counsellor.locked_until > now:
            raise LockedOut("too many failed logins; try again later")
        if not _verify(counsellor.password_hash, password):
            counsellor.failed_logins += 1
            if counsellor.failed_logins >= MAX_FAILED_LOGINS:
                counsellor.locked_until = now + LOCKOUT
                counsellor.failed_logins = 0
            return None
        counsellor.failed_logins = 0
        counsellor.locked_until = None
        if _hasher.check_needs_rehash(counsellor.password_hash):
            counsellor.password_hash = _hasher.hash(password)
        return _info(counsellor)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    # API tokens are long random strings, so a fast hash suffices (unlike passwords).
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(login: str, url: str | None = None) -> str:
    """A new API token for the counsellor (replaces the old one); shown once, stored hashed."""
    token = secrets.token_urlsafe(32)
    with new_session(url) as session, session.begin():
        counsellor = session.scalars(select(Counsellor).where(Counsellor.login == login)).first()
        if counsellor is None:
            raise AccountError(f"no counsellor {login!r}")
        counsellor.api_token_hash = _token_hash(token)
    return token


def by_api_token(token: str, url: str | None = None) -> CounsellorInfo | None:
    if not token:
        return None
    with new_session(url) as session:
        counsellor = session.scalars(
            select(Counsellor).where(Counsellor.api_token_hash == _token_hash(token))
        ).first()
        return _info(counsellor) if counsellor and counsellor.active else None


def by_login(login: str, url: str | None = None) -> CounsellorInfo | None:
    with new_session(url) as session:
        counsellor = session.scalars(select(Counsellor).where(Counsellor.login == login)).first()
        return _info(counsellor) if counsellor and counsellor.active else None


def list_counsellors(url: str | None = None) -> list[CounsellorInfo]:
    with new_session(url) as session:
        return [_info(c) for c in session.scalars(select(Counsellor).order_by(Counsellor.login))]
