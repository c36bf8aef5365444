"""The domain, the worker and the pure modules load no Flask, directly or through another."""
from __future__ import annotations

import pkgutil
import subprocess
import sys

import service.domain

PROBE = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(" ".join(sorted(n for n in sys.modules if n.split(".")[0] in ("flask", "flask_smorest"))))
"""


def flask_modules_loaded_by(*modules: str) -> str:
    """The Flask modules a fresh interpreter holds after importing `modules`."""
    done = subprocess.run([sys.executable, "-c", PROBE, *modules], capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


def test_the_domain_imports_no_flask():
    modules = [m.name for m in pkgutil.walk_packages(service.domain.__path__, "service.domain.")]
    assert "service.domain.sequences.record" in modules and len(modules) > 20
    assert flask_modules_loaded_by(*modules) == ""


def test_signing_db_observability_and_the_worker_import_no_flask():
    assert flask_modules_loaded_by("service.signing") == ""
    assert flask_modules_loaded_by("service.db.unit_of_work", "service.db.bulk",
                                   "service.observability", "service.worker.jobs") == ""


def test_the_probe_sees_flask_when_it_is_loaded():
    assert "flask" in flask_modules_loaded_by("service.app").split()
