"""Persistence plumbing without Flask: the engine, the unit of work, bulk SQL per dialect."""

from service.db.engine import (
    ROOM_FOR_UPDATES,
    Base,
    UTCDateTime,
    is_sqlite,
    make_engine,
    make_session_factory,
)

__all__ = [
    "ROOM_FOR_UPDATES",
    "Base",
    "UTCDateTime",
    "is_sqlite",
    "make_engine",
    "make_session_factory",
]
