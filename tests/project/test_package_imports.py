"""Importing the package or a pure module loads no web framework (issue 10)."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys

import pytest


def loaded_after(statement: str, env: dict | None = None, whole: bool = False) -> set[str]:
    """Top-level modules (`whole`: every module) in sys.modules after running `statement`
    in a fresh interpreter."""
    name = "m" if whole else "m.split('.')[0]"
    report = f"import sys\nprint(' '.join({{{name} for m in sys.modules}}))"
    code = f"{statement}\n{report}"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
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


# What an API worker must not load at start (issue 28: its RSS): the scheduler and its job
# kinds, and the page fetcher / webhook sender stack (httpx pulls rich and pygments in),
# which service/app.py builds when a person first checks a link or pings a webhook.
NOT_IN_AN_API_WORKER = {"apscheduler", "httpx", "httpcore", "rich", "pygments"}
SCHEDULER_MODULES = ("service.worker", "service.domain.job_kinds", "service.domain.links.fetch")
# Loaded with the first mail read, not at start (service/domain/replies/rules.py).
READ_ON_FIRST_MAIL = ("service.domain.reply_reading", "selectolax")
# Loaded with the first SendGrid send or signed event post (service/mail/sendgrid_mailer.py).
SENDGRID_ON_FIRST_USE = {"sendgrid", "python_http_client"}


def test_an_api_worker_starts_without_the_scheduler_or_the_fetcher(tmp_path):
    env = {
        **os.environ,
        "OUTREACH_DATABASE_URL": f"sqlite:///{tmp_path / 'outreach.db'}",
        "OUTREACH_INSTANCE_PATH": str(tmp_path),
    }
    loaded = loaded_after("import wsgi", env, whole=True)  # gunicorn's app module
    assert "service.app" in loaded
    assert not {m.split(".")[0] for m in loaded} & NOT_IN_AN_API_WORKER
    assert not [m for m in loaded if m.startswith(SCHEDULER_MODULES)]
    assert not [m for m in loaded if m.startswith(READ_ON_FIRST_MAIL)]


def test_an_api_worker_configured_for_sendgrid_loads_its_library_at_the_first_send(tmp_path):
    env = {
        **os.environ,
        "OUTREACH_DATABASE_URL": f"sqlite:///{tmp_path / 'outreach.db'}",
        "OUTREACH_INSTANCE_PATH": str(tmp_path),
        "SENDGRID_API_KEY": "SG.test",
        "SENDGRID_WEBHOOK_PUBLIC_KEY": "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE",
    }
    started = loaded_after("import wsgi", env)
    assert "service" in started and not started & SENDGRID_ON_FIRST_USE
    building = "import wsgi\nwsgi.app.extensions['outreach'].mailer.client"  # as a send does
    assert SENDGRID_ON_FIRST_USE <= loaded_after(building, env)


def test_a_scheduler_process_loads_the_job_kinds_but_none_of_the_api_routes(tmp_path):
    """`outreach scheduler` serves no request: the routes and their schema libraries
    (~9 MB a process, bench/README.md) stay out."""
    env = {
        **os.environ,
        "OUTREACH_DATABASE_URL": f"sqlite:///{tmp_path / 'outreach.db'}",
        "OUTREACH_INSTANCE_PATH": str(tmp_path),
    }
    loaded = loaded_after(
        "from service.serve import scheduler_app\n"
        "from service.worker.scheduler import Scheduler\n"
        "Scheduler(scheduler_app(), kind='link-checks')",
        env,
        whole=True,
    )
    assert "service.domain.job_kinds" in loaded and "service.api.request_hooks" in loaded
    assert not [m for m in loaded if m.startswith(("service.api.routes", "flask_smorest"))]
    assert not [m for m in loaded if m.startswith(("marshmallow", "apispec"))]
