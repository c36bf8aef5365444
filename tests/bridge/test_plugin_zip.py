"""The plugin as it ships: the zip of scripts/build-plugin holds every file the plugin loads
and none of the development files; installed from that zip in a real WordPress it
activates, and WordPress' Plugin Check finds no error in it."""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.e2e.stack import CHROMIUM, STACK, missing_tools
from tests.support.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
BRIDGE = ROOT / "wp-bridge"
SLUG = "almaseo-outreach"
# Only CI and lint reach outside the checkout: the offline Plugin Check beside it.
PLUGIN_CHECK = ROOT / ".." / "shared" / "tools" / "plugin-check" / "run-checks.php"
README_PARSER = Path(__file__).with_name("readme_parser") / "class-parser.php"
DEVELOPMENT_FILES = {
    ".gitignore",
    ".distignore",
    ".phpunit.result.cache",
    "phpcs.xml.dist",
    "phpunit.xml.dist",
    "package.json",
    "package-lock.json",
    "eslint.config.mjs",
}
DEVELOPMENT_FOLDERS = {"node_modules", "tests"}

pytestmark = pytest.mark.skipif(
    os.environ.get("OUTREACH_TEST_DB") == "postgres",
    reason="bridge checks run once per CI run, on the SQLite pass",
)


def header_version() -> str:
    return re.search(r"^\s*\*\s*Version:\s*(\S+)", (BRIDGE / f"{SLUG}.php").read_text(), re.M)[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """scripts/build-plugin, as a packager runs it (into a temporary folder, not dist/)."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [str(ROOT / "scripts" / "build-plugin"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return Path(done.stdout.strip())


@pytest.fixture(scope="module")
def unpacked(built, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(built) as archive:
        archive.extractall(folder)
    return folder / SLUG


def test_the_zip_is_named_and_tagged_by_the_header_version(built):
    version = header_version()
    assert built.name == f"{SLUG}-{version}.zip"
    readme = (BRIDGE / "readme.txt").read_text()
    assert re.search(rf"^Stable tag:\s*{re.escape(version)}\s*$", readme, re.M), version


def test_the_zip_holds_one_folder_named_after_the_plugin(built):
    names = zipfile.ZipFile(built).namelist()
    assert names and all(name.startswith(f"{SLUG}/") for name in names)


def test_the_zip_holds_no_development_file(built):
    for name in zipfile.ZipFile(built).namelist():
        parts = name.split("/")[1:]
        assert parts[-1] not in DEVELOPMENT_FILES, name
        assert not DEVELOPMENT_FOLDERS & set(parts[:-1]), name


def loaded_files() -> set[str]:
    """What the plugin loads, read from its code: the main file and uninstall.php, every
    class under src/ (autoloaded by name), every file a PHP file requires, every module
    in assets/js (each is registered for its translations), every module they import, the
    styles the PHP enqueues, the translation template and the readme."""
    php = [BRIDGE / f"{SLUG}.php", BRIDGE / "uninstall.php", *sorted(BRIDGE.glob("src/*.php"))]
    files = {p.relative_to(BRIDGE).as_posix() for p in php} | {"readme.txt"}
    for path in php:
        text = path.read_text()
        for required in re.findall(r"require(?:_once)?\s+__DIR__\s*\.\s*'/([^']+)'", text):
            files.add((path.parent / required).resolve().relative_to(BRIDGE).as_posix())
        files |= {f"assets/{css}" for css in re.findall(r"'(css/[\w./-]+\.css)'", text)}
    modules = [p.relative_to(BRIDGE).as_posix() for p in (BRIDGE / "assets" / "js").glob("*.js")]
    while modules:
        module = modules.pop()
        if module in files:
            continue
        files.add(module)
        source = (BRIDGE / module).read_text()
        for imported in re.findall(r"(?:from|import)\s*\(?\s*'(\.{1,2}/[^']+\.js)'", source):
            target = (BRIDGE / module).parent / imported
            modules.append(target.resolve().relative_to(BRIDGE).as_posix())
    files |= {p.relative_to(BRIDGE).as_posix() for p in BRIDGE.glob("languages/*")}
    return files


def test_the_zip_holds_every_file_the_plugin_loads(unpacked):
    wanted = loaded_files()
    assert {"src/autoload.php", "assets/js/board.js", "languages/almaseo-outreach.pot"} <= wanted
    missing = sorted(name for name in wanted if not (unpacked / name).is_file())
    assert missing == []


def wordpress_missing() -> list[str]:
    """What this machine lacks for a WordPress of the E2E stack (no browser needed here)."""
    return [tool for tool in missing_tools() if tool not in (CHROMIUM, "playwright (pip)")]


@pytest.fixture
def zip_installed(built, tmp_path):
    """A WordPress of the E2E stack with the plugin installed from the zip and activated."""
    missing = wordpress_missing()
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (scripts/ci-bridge-deps.sh installs them)")
    env = {
        **os.environ,
        "WORKDIR": str(tmp_path / "wp-stack"),
        "WP_PORT": str(free_port()),
        "DB_PORT": str(free_port()),
        "PLUGIN_ZIP": str(built),
    }
    try:
        up = subprocess.run(["bash", str(STACK), "up"], env=env, capture_output=True, timeout=180)
        assert up.returncode == 0, up.stdout + up.stderr
        yield env
    finally:
        subprocess.run(["bash", str(STACK), "down"], env=env, capture_output=True, timeout=60)


def wp_eval(env: dict, php: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(STACK), "eval", php],
        env={**env, **extra},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_installed_from_the_zip_it_activates_and_plugin_check_finds_no_error(zip_installed):
    if not PLUGIN_CHECK.is_file():
        pytest.skip(f"Plugin Check is not at {PLUGIN_CHECK}")
    plugin = Path(zip_installed["WORKDIR"]) / "wp" / "wp-content" / "plugins" / SLUG
    state = wp_eval(
        zip_installed,
        f"echo wp_json_encode(array(in_array('{SLUG}/{SLUG}.php', (array) get_option("
        "'active_plugins'), true), ALMASEO_OUTREACH_VERSION));",
    )
    assert state.stdout.strip() == f'[true,"{header_version()}"]', state.stdout + state.stderr
    assert plugin.is_dir() and not plugin.is_symlink()
    done = wp_eval(zip_installed, plugin_check_php(), PC_MAIN=str(plugin / f"{SLUG}.php"))
    report = done.stdout + done.stderr
    print(report)  # the warnings, for the CI log
    assert "plugin check: 0 errors" in done.stdout, report
    assert done.returncode == 0, report
    crashed = [line for line in done.stdout.splitlines() if line.startswith("!!")]
    assert crashed == [], report  # a check that could not run found nothing
    ran = dict(re.findall(r"^== (\w+): (\d+) errors", done.stdout, re.M))
    assert "plugin_readme" in ran and set(ran.values()) == {"0"}, report


def php_string(text: str) -> str:
    """A PHP single-quoted string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def plugin_check_php() -> str:
    """Plugin Check's runner, with the readme parser autoloaded unless the tool has one."""
    parser = php_string("WordPressdotorg\\Plugin_Directory\\Readme\\Parser")
    return (
        f"spl_autoload_register(function ($c) {{ if ({parser} === $c) {{ require "
        f"{php_string(str(README_PARSER))}; }} }});"
        f"require {php_string(str(PLUGIN_CHECK.resolve()))};"
    )
