"""Static checks of the WordPress bridge: php -l, PHPUnit (signer vs shared vectors), ESLint."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BRIDGE = ROOT / "wp-bridge"
PHP_FILES = sorted(p for p in BRIDGE.rglob("*.php") if "node_modules" not in p.parts)

pytestmark = pytest.mark.skipif(
    os.environ.get("OUTREACH_TEST_DB") == "postgres",
    reason="bridge checks run once per CI run, on the SQLite pass",
)


def need(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        pytest.skip(f"{tool} is not installed (scripts/ci-bridge-deps.sh installs it)")
    return path


def test_the_plugin_has_its_files():
    names = {p.relative_to(BRIDGE).as_posix() for p in PHP_FILES}
    assert {
        "almaseo-outreach.php",
        "uninstall.php",
        "src/Signer.php",
        "src/RestController.php",
    } <= names


@pytest.mark.parametrize("path", PHP_FILES, ids=lambda p: p.relative_to(BRIDGE).as_posix())
def test_php_lint(path):
    php = need("php")
    done = subprocess.run([php, "-l", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_phpunit_signer_matches_the_shared_vectors():
    phpunit = need("phpunit")
    done = subprocess.run(
        [phpunit, "-c", str(BRIDGE / "phpunit.xml.dist"), "--do-not-cache-result"],
        capture_output=True,
        text=True,
        cwd=BRIDGE,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK (" in done.stdout


def test_eslint_wordpress_rules():
    need("node")
    eslint = BRIDGE / "node_modules" / ".bin" / "eslint"
    if not eslint.exists():
        pytest.skip(
            "ESLint is not installed: run `npm ci` in wp-bridge/ (scripts/ci-bridge-deps.sh does)"
        )
    done = subprocess.run(
        [str(eslint), "--max-warnings", "0", "assets"],
        cwd=BRIDGE,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_inner_html_with_data():
    """The page renders data with DOM APIs only."""
    for js in (BRIDGE / "assets" / "js").rglob("*.js"):
        text = js.read_text()
        for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"):
            assert banned not in text, f"{js.name} uses {banned}"


@pytest.mark.parametrize(
    "path", sorted((BRIDGE / "src").rglob("*.php")), ids=lambda p: p.relative_to(BRIDGE).as_posix()
)
def test_src_files_stop_when_loaded_outside_wordpress(path):
    """Each src/**.php exits at once when requested directly (no ABSPATH: no WordPress)."""
    php = need("php")
    done = subprocess.run(
        [php, "-r", 'include $argv[1]; echo "REACHED";', str(path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "REACHED" not in done.stdout, f"{path.name} has no ABSPATH guard"


def test_js_modules_are_entries_or_in_one_feature_folder():
    """The top of assets/js holds the screens' entry modules (those PHP enqueues) and
    nothing else; every other module is in a feature folder, one level down (the depth
    ModuleScripts::locale_data() reads translations from)."""
    js = BRIDGE / "assets" / "js"
    php = "".join(
        (BRIDGE / "src" / name).read_text() for name in ("AdminPage.php", "ToolScreens.php")
    )
    entries = set(re.findall(r"'([a-z-]+\.js)'", php))
    top = {p.name for p in js.glob("*.js")}
    assert top == entries, f"top-level modules {sorted(top)}, entries {sorted(entries)}"
    deeper = [p for p in js.rglob("*.js") if len(p.relative_to(js).parts) > 2]
    assert deeper == [], deeper
