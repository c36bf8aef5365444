"""What a person does with cards: list, read, create, edit, move, notes, delete, bulk moves
and deletes, and the board with its deltas. Each use case owns its transaction."""

from __future__ import annotations

from datetime import datetime

from service.db.unit_of_work import UnitOfWork
from service.domain.cards import bulk, delta, queries, saved_views, writes
from service.domain.cards.board_filters import BoardQuery
from service.models import Opportunity, SavedView, Site


def list_cards(uow: UnitOfWork, site: Site, args: dict) -> tuple[list[Opportunity], int]:
    """One page of cards (status, q, page, page_size) or the cards for the same page as
    `source_url`; each with its sequence."""
    return queries.page_of_cards(
        uow.session,
        site,
        args.get("status"),
        args.get("q"),
        args["page"],
        args["page_size"],
        args.get("source_url"),
        args.get("project_id"),
    )


def get_card(uow: UnitOfWork, site: Site, card_id: int) -> Opportunity:
    """One live card of the site, with its sequence."""
    return queries.with_sequences(uow.session, site, [queries.get(uow.session, site, card_id)])[0]


def create_card(uow: UnitOfWork, site: Site, values: dict, actor: int, now: datetime):
    """A new card at the end of its column (409 with the existing id on a duplicate)."""
    with uow:
        return _committed(uow, site, writes.create(uow.session, site, values, actor, now))


def edit_card(uow: UnitOfWork, site: Site, card_id: int, values: dict, actor: int, now):
    """Change some fields; a status or position in them is a move."""
    with uow:
        card = queries.get(uow.session, site, card_id)
        writes.update_fields(uow.session, site, card, dict(values), actor, now)
        return _committed(uow, site, card)


def move_card(uow: UnitOfWork, site: Site, card_id: int, status: str, position, actor, now):
    """Move a card to any column, at `position` or the end."""
    with uow:
        card = queries.get(uow.session, site, card_id)
        writes.move(uow.session, site, card, status, position, actor, now)
        return _committed(uow, site, card)


def set_notes(uow: UnitOfWork, site: Site, card_id: int, notes: str, actor: int, now):
    """Replace the notes."""
    with uow:
        card = queries.get(uow.session, site, card_id)
        writes.set_notes(uow.session, site, card, notes, actor, now)
        return _committed(uow, site, card)


def delete_card(uow: UnitOfWork, site: Site, card_id: int, actor: int, now: datetime) -> None:
    """Take a card off the board (its sequence stops; its emails stay in the metrics)."""
    uow.run(
        lambda session: writes.delete(
            session, site, queries.get(session, site, card_id), actor, now
        )
    )


def bulk_move(uow: UnitOfWork, site: Site, ids: list[int], status: str, actor: int, now):
    """Move many cards to the end of a column, each id on its own."""
    return uow.run(bulk.move, site, ids, status, actor, now)


def bulk_assign_project(uow: UnitOfWork, site: Site, ids: list[int], project_id, actor, now):
    """Put many cards in a project (or none), each id on its own."""
    return uow.run(bulk.assign_project, site, ids, project_id, actor, now)


def bulk_delete(uow: UnitOfWork, site: Site, ids: list[int], actor: int, now: datetime):
    """Take many cards off the board, each id on its own."""
    return uow.run(bulk.delete, site, ids, actor, now)


def board_tag(uow: UnitOfWork, site: Site, view: BoardQuery, since: int | None) -> str:
    """The ETag the board would answer now: one read of its clock (the 304 path)."""
    return delta.etag(delta.peek(uow.session, site)[0], view, since)


def read_board(uow: UnitOfWork, site: Site, view: BoardQuery, since: int | None):
    """(ETag, body): the whole board the view shows (searched, filtered, sorted), or with
    `since` what changed since that cursor (the whole board, `full: true`, when the kept
    log cannot answer)."""
    session = uow.session
    delta.read_snapshot(session)  # the clock, the changes and the cards agree
    if since is not None:
        seq, body = delta.delta(session, site, since, view)
    else:
        seq, body = delta.clock(session, site)[0], None
    if body is None:
        body = queries.full_board(session, site, view)
        body["cursor"] = str(seq)
        if since is not None:
            body["full"] = True  # the cursor is older than the kept log: start over
    return delta.etag(seq, view, since), body


def list_views(uow: UnitOfWork, site: Site, user_id: int) -> list[SavedView]:
    """The person's saved board views."""
    return saved_views.mine(uow.session, site, user_id)


def save_view(uow: UnitOfWork, site: Site, user_id: int, name: str, query: dict, now):
    """Save the person's current board query under a name of their own."""
    with uow:
        view = saved_views.add(uow.session, site, user_id, name, query, now)
        uow.commit()
        return view


def delete_view(uow: UnitOfWork, site: Site, user_id: int, view_id: int) -> None:
    """Delete one of the person's saved views."""
    uow.run(saved_views.remove, site, user_id, view_id)


def _committed(uow: UnitOfWork, site: Site, card: Opportunity) -> Opportunity:
    """Commit the card's change and read it back with its sequence."""
    uow.commit()
    return queries.with_sequences(uow.session, site, [card])[0]
