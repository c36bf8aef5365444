"""Importing the package or a pure module loads no web framework (issue 10)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest


def loaded_after(statement: str) -> set[str]:
    """Top-level modules in sys.modules after running `statement` in a fresh interpreter."""
    report = "import sys\nprint(' '.join({m.split('.')[0] for m in sys.modules}))"
    code = f"{statement}\n{report}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


@pytest.mark.parametrize("statement", ["import service.signing", "import service"])
def test_pure_imports_leave_flask_out(statement):
    loaded = loaded_after(statement)
    assert "service" in loaded
    assert "flask" not in loaded and "werkzeug" not in loaded


def test_create_app_is_still_reachable_from_the_package():
    loaded = loaded_after("from service import create_app\nassert callable(create_app)")
    assert "flask" in loaded


def test_the_domain_imports_no_flask_directly_or_through_another_module():
    import service.domain

    modules = [m.name for m in pkgutil.walk_packages(service.domain.__path__, "service.domain.")]
    assert "service.domain.sequences.record" in modules and len(modules) > 20
    loaded = loaded_after("\n".join(f"import {name}" for name in modules))
    assert "flask" not in loaded and "flask_smorest" not in loaded


def test_db_observability_and_the_worker_import_no_flask():
    loaded = loaded_after(
        "import service.db.unit_of_work, service.db.bulk, "
        "service.observability, service.worker.scheduler"
    )
    assert "flask" not in loaded and "flask_smorest" not in loaded
