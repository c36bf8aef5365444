"""The SQL a chunk function runs: for tests that hold a batch to a few statements."""

from __future__ import annotations

from sqlalchemy import event


def record_chunks(monkeypatch, module, name: str, engine) -> tuple[list[str], list[int]]:
    """Wrap `module.name(session, items, ...)`: (the statements each call runs, as their
    first 70 characters; the number of items of each call). SQLite's BEGIN IMMEDIATE is
    left out: it costs no round trip."""
    seen: list[str] = []
    chunks: list[int] = []
    original = getattr(module, name)

    def count(_conn, _cursor, statement, *_args):
        if statement != "BEGIN IMMEDIATE":
            seen.append(" ".join(statement.split())[:70])

    def counted(session, items, *args, **kwargs):
        chunks.append(len(items))
        event.listen(engine, "before_cursor_execute", count)
        try:
            return original(session, items, *args, **kwargs)
        finally:
            event.remove(engine, "before_cursor_execute", count)

    monkeypatch.setattr(module, name, counted)
    return seen, chunks
