"""The reply-reading rules (service/domain/reply_reading), loaded with the first mail read.

Their pattern tables cost ~200 ms and ~6 MB to import; an API worker that receives no
reply (and every worker until one does) need not carry them (issue 28: worker RSS).
tests/project/test_package_imports.py fails when a worker's start loads them again.
"""

from __future__ import annotations

from types import ModuleType


def rules() -> ModuleType:
    """service.domain.reply_reading (imported once, then a dict lookup)."""
    from service.domain import reply_reading

    return reply_reading
