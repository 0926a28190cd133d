"""Engine, sessions and the declarative base.

Services take the session explicitly and never commit: the request (or the CLI command) that
opened the session commits once at the edge, so every request and every import is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from sonae.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

STORAGE_SRID = 6668
"""JGD2011 geographic (lon/lat). Metric work goes through the municipality's plane zone."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


APPLICATION_ROLE = "sonae_app"
"""Created by migration 0004: no UPDATE, DELETE or TRUNCATE on the audit trail."""


def app_engine(url: str, *, pool_size: int | None = None) -> Engine:
    """An engine whose every connection acts as the application role, not the schema owner.

    The pool keeps pool_size connections (SONAE_DB_POOL_SIZE), and api.deps.get_db admits that
    many requests at once: requests never use the overflow, whose connections are opened and
    closed each time (a PostgreSQL backend fork apiece, which under load cost more than the
    requests). The overflow is headroom for other users of the engine (CLI, tests).
    No pre-ping: it was a round trip per request. A connection broken by a database restart
    fails its request once, and SQLAlchemy then recycles every connection older than the error.
    hide_parameters: an error's message (and so a logged traceback) never carries the statement's
    parameters, which hold names, addresses and free text about people.
    """
    engine = create_engine(
        url,
        pool_size=pool_size or get_settings().db_pool_size,
        max_overflow=10,
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _act_as_application(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {APPLICATION_ROLE}")
        dbapi_connection.commit()

    return engine


@lru_cache
def get_engine(url: str | None = None) -> Engine:
    return app_engine(url or get_settings().resolved_database_url())


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def transaction(engine: Engine | None = None) -> Iterator[Session]:
    """One unit of work: commit when the block succeeds, roll everything back when it raises."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
