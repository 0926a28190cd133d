"""Dependencies shared by every router: one session, one transaction per request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated
from weakref import WeakKeyDictionary

import anyio
from fastapi import Depends, FastAPI, Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from sonae.config import get_settings

_gates: WeakKeyDictionary[FastAPI, dict[asyncio.AbstractEventLoop, asyncio.Semaphore]] = (
    WeakKeyDictionary()
)


def _gate(app: FastAPI) -> asyncio.Semaphore:
    """The app's admission gate on this event loop (a TestClient runs its own loop)."""
    per_loop = _gates.setdefault(app, {})
    loop = asyncio.get_running_loop()
    if loop not in per_loop:
        per_loop[loop] = asyncio.Semaphore(get_settings().db_pool_size)
    return per_loop[loop]


def _commit(session: Session) -> None:
    try:
        session.commit()
    finally:
        session.close()


def _roll_back(session: Session) -> None:
    try:
        session.rollback()
    finally:
        session.close()


async def get_db(request: Request) -> AsyncIterator[Session]:
    """The request's unit of work: committed once when the handler returns, else rolled back.

    At most SONAE_DB_POOL_SIZE requests per process hold a session; the others wait here,
    holding no thread and no connection (waiting inside the pool would hold a worker thread,
    and could starve the requests that hold connections of the threads they need to finish).
    Opening the session does no I/O, so it happens on the event loop; the commit (or the
    rollback) and the close run in one worker thread, shielded so that a client hanging up
    cannot leave the connection checked out.
    """
    factory: sessionmaker[Session] = request.app.state.session_factory
    async with _gate(request.app):
        session = factory()
        try:
            yield session
        except BaseException:
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(_roll_back, session)
            raise
        if not session.in_transaction():
            # Committed by the handler (commit_in_handler), or no statement ran: closing does
            # no I/O, so no thread hop.
            session.close()
            return
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(_commit, session)


def commit_in_handler(session: Session) -> None:
    """Commit the request's unit of work from a sync handler, as its last database act.

    The commit then runs in the handler's own worker thread, and get_db finds nothing left to
    commit: one thread hop fewer per request (a check-in made three: the token lookup, the
    handler, the commit). It is still the one commit of the request, before the answer is
    sent; an exception raised after it would find nothing to roll back, so call it last.
    """
    session.commit()


# scope="function": the commit happens when the handler returns, before the response is sent.
# With the default (request) scope FastAPI runs the code after `yield` once the response has
# gone, so a client could be told 201 for a write whose commit then failed.
DbSession = Annotated[Session, Depends(get_db, scope="function")]
