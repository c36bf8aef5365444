"""The project's docs are its own: they point inside the repository and match the code."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SKIPPED_DIRS = {"node_modules", "vendor", "__pycache__", ".venv"}
# Built from parts so that this file does not match itself.
OUTSIDE = [b"/" + b"work/", b"../" + b"shared", b"shared/" + b"spec", b"shared/" + b"notes"]


def files_under(*names: str):
    """Every file of these top-level folders or files, dependencies left out."""
    for name in names:
        path = ROOT / name
        if path.is_file():
            yield path
            continue
        for found in path.rglob("*"):
            if found.is_file() and not SKIPPED_DIRS.intersection(found.relative_to(ROOT).parts):
                yield found


def test_nothing_points_outside_the_repository():
    offenders = [
        f"{path.relative_to(ROOT)}: {needle.decode()}"
        for path in files_under(
            "README.md", "docs", "bench", "tests", "service", "wp-bridge", "schemas"
        )
        for needle in OUTSIDE
        if needle in path.read_bytes()
    ]
    assert offenders == []


def test_every_relative_link_in_the_docs_resolves():
    broken = []
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)\s]+)\)", doc.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            if not (doc.parent / target.split("#")[0]).exists():
                broken.append(f"{doc.relative_to(ROOT)} -> {target}")
    assert broken == []


def test_every_environment_variable_the_code_reads_is_documented():
    sources = [*files_under("service"), ROOT / "gunicorn.conf.py"]
    read = {
        name
        for path in sources
        if path.suffix == ".py"
        for name in re.findall(
            r"\"((?:OUTREACH|SENDGRID|GUNICORN|PROMETHEUS)_[A-Z_]+)\"",
            path.read_text(encoding="utf-8"),
        )
    }
    documented = "\n".join(doc.read_text(encoding="utf-8") for doc in DOCS)
    assert len(read) > 20  # the pattern still finds what the code reads
    assert sorted(name for name in read if f"`{name}" not in documented) == []
