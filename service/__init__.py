"""AlmaSEO Outreach service."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from service.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str):
    """`service.create_app` on first use: importing a pure module (signing) loads no Flask."""
    if name == "create_app":
        from service.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
