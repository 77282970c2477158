"""Cases database tables (SQLAlchemy 1.4 used in 2.0 style, so it moves to 2.x unchanged).

No message text of the person is stored here: a case points at a Rasa conversation id, and the
transcript stays in Rasa's tracker store (one transcript, one place to erase). Notes are the
counsellors' own words. The schema is changed only by Alembic migrations (bot/handoff/migrations).
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class CaseStatus(str, enum.Enum):
    """Who owns the conversation: `bot → queued → with_counsellor → closed`."""

    queued = "queued"
    with_counsellor = "with_counsellor"
    closed = "closed"


class Priority(str, enum.Enum):
    normal = "normal"
    urgent = "urgent"


class Role(str, enum.Enum):
    counsellor = "counsellor"
    admin = "admin"


class Counsellor(Base):
    __tablename__ = "counsellors"

    id = Column(Integer, primary_key=True)
    login = Column(String(64), nullable=False, unique=True)
    name = Column(String(128), nullable=False, default="")
    password_hash = Column(String(256), nullable=False)  # argon2id
    role = Column(Enum(Role, native_enum=False, length=16), nullable=False, default=Role.counsellor)
    languages = Column(String(128), nullable=False, default="")  # comma-separated codes
    partner = Column(String(128), nullable=False, default="")
    active = Column(Boolean, nullable=False, default=True)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime, nullable=True)
    api_token_hash = Column(String(64), nullable=True, unique=True)  # sha256 of the token
    created_at = Column(DateTime, nullable=False, default=utcnow)


case_tags = Table(
    "case_tags",
    Base.metadata,
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(Base):
    __tablename__ = "tags"

    id = Column(Integer, primary_key=True)
    name = Column(String(64), nullable=False, unique=True)


class Case(Base):
    __tablename__ = "cases"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False, default="unknown")
    language = Column(String(8), nullable=False, default="en")
    partner = Column(String(128), nullable=False, default="")
    priority = Column(
        Enum(Priority, native_enum=False, length=16), nullable=False, default=Priority.normal
    )
    status = Column(
        Enum(CaseStatus, native_enum=False, length=16), nullable=False, default=CaseStatus.queued
    )
    reason = Column(String(64), nullable=False)
    closed_reason = Column(String(64), nullable=True)
    assignee_id = Column(Integer, ForeignKey("counsellors.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    closed_at = Column(DateTime, nullable=True)

    assignee = relationship("Counsellor")
    tags = relationship("Tag", secondary=case_tags, order_by="Tag.name")
    events = relationship(
        "CaseEvent", back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    notes = relationship(
        "Note", back_populates="case", order_by="Note.id", cascade="all, delete-orphan"
    )


class CaseEvent(Base):
    """One change of a case: who, when, why. The case page's timeline is this audit log."""

    __tablename__ = "case_events"

    id = Column(Integer, primary_key=True)
    case_id = Column(
        Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind = Column(String(32), nullable=False)  # created, claimed, assigned, replied, closed, ...
    actor = Column(String(64), nullable=False)  # "bot", "person", "system" or a counsellor's login
    detail = Column(String(256), nullable=False, default="")
    at = Column(DateTime, nullable=False, default=utcnow)

    case = relationship("Case", back_populates="events")


class Note(Base):
    """A counsellor's private note on a case; never sent to the person."""

    __tablename__ = "notes"

    id = Column(Integer, primary_key=True)
    case_id = Column(
        Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author = Column(String(64), nullable=False)
    text = Column(Text, nullable=False)
    at = Column(DateTime, nullable=False, default=utcnow)

    case = relationship("Case", back_populates="notes")


class CannedReply(Base):
    """A prepared reply in one language: a counsellor can answer in a language they do not write."""

    __tablename__ = "canned_replies"
    __table_args__ = (UniqueConstraint("key", "language"),)

    id = Column(Integer, primary_key=True)
    key = Column(String(64), nullable=False)
    language = Column(String(8), nullable=False)
    title = Column(String(128), nullable=False)
    text = Column(Text, nullable=False)
