"""The unit of work: locks and caches live as long as the transaction, actions run after
commit only, and a failed after-commit action neither raises nor undoes the commit."""

from __future__ import annotations

from contextlib import closing

from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from service.db import unit_of_work
from service.db.unit_of_work import UnitOfWork
from service.domain.sending import limits
from service.domain.sequences.definitions import STEPS_READ
from service.models import Site


def _site(session) -> Site:
    return session.scalar(select(Site).order_by(Site.id).limit(1))


def test_locks_and_caches_are_forgotten_when_the_transaction_ends(app, site_key):
    with closing(UnitOfWork.open(app.extensions["outreach"].session_factory)) as uow:
        assert unit_of_work.of(uow.session) is uow
        site = _site(uow.session)
        limits.lock_site(uow.session, site)
        STEPS_READ.of(uow.session)[1] = []
        assert limits.SITE_LOCKS.of(uow.session) == {site.id}
        uow.commit()
        assert limits.SITE_LOCKS.of(uow.session) == set() and STEPS_READ.of(uow.session) == {}
        limits.lock_site(uow.session, site)
        uow.rollback()
        assert limits.SITE_LOCKS.of(uow.session) == set()


def test_a_savepoint_keeps_the_transaction_s_locks(app, site_key):
    with closing(UnitOfWork.open(app.extensions["outreach"].session_factory)) as uow:
        site = _site(uow.session)
        limits.lock_site(uow.session, site)
        with uow.session.begin_nested():
            uow.session.execute(text("SELECT 1"))
        assert limits.SITE_LOCKS.of(uow.session) == {site.id}


def test_after_commit_actions_run_after_commit_and_never_after_rollback(app, site_key):
    ran = []
    with closing(UnitOfWork.open(app.extensions["outreach"].session_factory)) as uow:
        uow.after_commit.append(lambda session: ran.append("rolled back"))
        uow.rollback()
        uow.after_commit.append(lambda session: ran.append(session.in_transaction()))
        uow.commit()
        assert ran == [False]  # a transaction of its own, after the commit


def test_a_failing_after_commit_action_is_logged_not_raised(app, site_key, caplog):
    def broken(session):
        session.execute(text("SELECT * FROM no_such_table"))

    with closing(UnitOfWork.open(app.extensions["outreach"].session_factory)) as uow:
        _site(uow.session).name = "Renamed"
        uow.after_commit.append(broken)
        uow.commit()
        assert _site(uow.session).name == "Renamed"
    assert "an after-commit action failed" in caplog.text


def test_retry_runs_the_work_again_after_a_database_error(app, site_key):
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("UPDATE", {}, RuntimeError("deadlock detected"))
        return "done"

    with closing(UnitOfWork.open(app.extensions["outreach"].session_factory)) as uow:
        assert uow.retry(flaky, 3) == "done" and len(calls) == 3
