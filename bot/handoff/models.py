"""Cases database tables (SQLAlchemy 1.4 used in 2.0 style, so it moves to 2.x unchanged).

No message text and no personal data is stored here: a case points at a Rasa conversation
id, and the transcript stays in Rasa's tracker store.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Column, DateTime, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class CaseStatus(str, enum.Enum):
    queued = "queued"
    with_counsellor = "with_counsellor"
    closed = "closed"


class Priority(str, enum.Enum):
    normal = "normal"
    urgent = "urgent"


class Case(Base):
    __tablename__ = "cases"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False, default="unknown")
    language = Column(String(8), nullable=False, default="en")
    priority = Column(Enum(Priority, native_enum=False), nullable=False, default=Priority.normal)
    status = Column(Enum(CaseStatus, native_enum=False), nullable=False, default=CaseStatus.queued)
    reason = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    events = relationship(
        "CaseEvent", back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )


class CaseEvent(Base):
    """One change of a case: the case page's timeline is this audit log."""

    __tablename__ = "case_events"

    id = Column(Integer, primary_key=True)
    case_id = Column(
        Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind = Column(String(32), nullable=False)  # created, claimed, replied, closed, ...
    actor = Column(String(64), nullable=False)  # "bot", "person" or a counsellor's login
    detail = Column(String(256), nullable=False, default="")
    at = Column(DateTime, nullable=False, default=utcnow)

    case = relationship("Case", back_populates="events")
