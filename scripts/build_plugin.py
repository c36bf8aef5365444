"""Build the WordPress plugin zip: `scripts/build-plugin [--out DIR]`.

Writes DIR/almaseo-outreach-<version>.zip (DIR defaults to dist/) with the folder
almaseo-outreach/ at its root, holding wp-bridge/ minus what wp-bridge/.distignore lists.
The version is the plugin header's `Version:`. Standard library only: CI and a packager's
machine need nothing installed.
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRIDGE = ROOT / "wp-bridge"
SLUG = "almaseo-outreach"
MAIN = BRIDGE / f"{SLUG}.php"
# The zip's timestamps: fixed, so the same tree always gives the same bytes.
EPOCH = (2020, 1, 1, 0, 0, 0)


def version() -> str:
    """The `Version:` of the plugin header (what WordPress shows and updates compare)."""
    found = re.search(r"^\s*\*\s*Version:\s*(\S+)\s*$", MAIN.read_text(), re.MULTILINE)
    if not found:
        sys.exit(f"no 'Version:' in the header of {MAIN}")
    return found.group(1)


def ignore_patterns() -> list[str]:
    lines = (BRIDGE / ".distignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def ignored(relative: str, patterns: list[str]) -> bool:
    """gitignore-style matching as `wp dist-archive` does it: a leading / anchors a pattern
    at the plugin's root, otherwise it matches any file or folder name at any depth; a
    match on a folder leaves out everything under it."""
    parts = relative.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    for pattern in patterns:
        anchored = pattern.startswith("/")
        bare = pattern.strip("/")
        for prefix in prefixes:
            name = prefix if anchored or "/" in bare else prefix.rsplit("/", 1)[-1]
            if fnmatch.fnmatchcase(name, bare):
                return True
    return False


def shipped_files() -> list[Path]:
    patterns = ignore_patterns()
    return sorted(
        path
        for path in BRIDGE.rglob("*")
        if path.is_file() and not ignored(path.relative_to(BRIDGE).as_posix(), patterns)
    )


def build(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{SLUG}-{version()}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in shipped_files():
            entry = zipfile.ZipInfo(f"{SLUG}/{path.relative_to(BRIDGE).as_posix()}", EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, path.read_bytes())
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="folder of the zip")
    target = build(parser.parse_args().out)
    print(target)


if __name__ == "__main__":
    main()
