"""Dependencies shared by every router: one session, one transaction per request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker


def get_db(request: Request) -> Iterator[Session]:
    """The request's unit of work: committed once when the handler returns, else rolled back."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": the commit happens when the handler returns, before the response is sent.
# With the default (request) scope FastAPI runs the code after `yield` once the response has
# gone, so a client could be told 201 for a write whose commit then failed.
DbSession = Annotated[Session, Depends(get_db, scope="function")]
