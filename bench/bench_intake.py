"""Shelter intake under load, beside a trivial authenticated GET on the same server, same run.

    SONAE_DATABASE_URL=… .venv/bin/python bench/bench_intake.py

In a temporary database (dropped at the end): Urayasu's reference data, the synthetic registry
(`sonae registry generate --city urayasu --seed 7`, then `sonae registry import`), an event
and every designated shelter opened. Then the real server (uvicorn, 2 workers, loopback) and:
- baseline: GET /api/auth/me (token lookup, one small answer) by CLIENTS closed-loop clients;
- rate: POST …/checkins by 宛名番号, one new person per request, a fresh Idempotency-Key each;
- faults: FAULT_CLIENTS clients work through FAULT_PEOPLE check-ins (a tenth of them then
  moved to another shelter), resending with the same key on any error, while the server is
  killed (SIGKILL) and restarted halfway. Nothing may be lost or doubled: at the end the open
  stays equal the distinct people, and stays equal the requests that made one.
Then the rate runs again, at the same client counts, at Nishinomiya's scale (488k residents,
`--seed 1`) in a second temporary database. The load generator (intake_load: raw keep-alive
HTTP/1.1 on asyncio, a few hundredths of a millisecond of CPU per request) runs on the same
cores as the server and PostgreSQL. Prints Markdown.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2 as httpx
from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPolygon, box
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from intake_load import FaultResult, Request, faults, rate  # noqa: E402
from intake_report import CLIENTS, FAULT_CLIENTS, SECONDS, report  # noqa: E402

from dbtools import create_temporary_database, drop_database  # noqa: E402
from sonae.database import migrate  # noqa: E402
from sonae.database.core import app_engine, transaction  # noqa: E402
from sonae.event.models import DisasterEvent, EventHazard, EventPhase  # noqa: E402
from sonae.importing.bundle import load_city  # noqa: E402
from sonae.logging import configure_logging  # noqa: E402
from sonae.registry.models import Person, ResidentStatus  # noqa: E402
from sonae.security import users  # noqa: E402
from sonae.security.roles import Role  # noqa: E402
from sonae.shelter.models import Shelter, ShelterKind  # noqa: E402
from sonae.sheltering.models import ShelterStay  # noqa: E402
from sonae.sheltering.openings import open_shelter  # noqa: E402

CODE = "122271"
# (bundle, municipality code, registry seed, a box in the city for the event's affected area)
URAYASU = ("urayasu", CODE, 7, (139.85, 35.6, 139.95, 35.7))
NISHINOMIYA = ("nishinomiya", "282049", 1, (135.3, 34.7, 135.4, 34.8))
SWEEP_CLIENTS = (4, 8, 16, CLIENTS)
"""Closed-loop clients: throughput and latency at each (Little's law ties them together)."""
FAULT_PEOPLE = 3000
PASSWORD = "bench-" + uuid.uuid4().hex
VENV = Path(sys.executable).parent


City = tuple[str, str, int, tuple[float, float, float, float]]


def prepare(url: str, workdir: Path, city: City = URAYASU) -> tuple[int, list[int], list[str]]:
    """(event id, open shelter ids, 宛名番号 of residents) in a fresh database."""
    bundle, code, seed, area = city
    migrate.upgrade(url)
    engine = app_engine(url)
    with transaction(engine) as session:
        load_city(
            session=session,
            city_dir=ROOT / "data" / "cities" / bundle,
            capacity_rules=ROOT / "data" / "reference" / "shelter_capacity_rules.csv",
        )
    registry = workdir / "registry.csv"
    env = {**os.environ, "SONAE_DATABASE_URL": url}
    sonae = str(VENV / "sonae")
    subprocess.run(
        [
            sonae,
            "registry",
            "generate",
            "--city",
            bundle,
            "--seed",
            str(seed),
            "--out",
            str(registry),
            "--welfare-out",
            str(workdir / "welfare.csv"),
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    subprocess.run(
        [sonae, "registry", "import", str(registry), "-m", code],
        check=True,
        capture_output=True,
        env=env,
    )
    with transaction(engine) as session:
        users.create_user(
            session=session,
            new=users.NewUser(
                username="bench-hq", municipality_code=code, roles=[Role.hq], password=PASSWORD
            ),
        )
        event = DisasterEvent(
            municipality_code=code,
            name="ベンチ地震",
            hazard=EventHazard.earthquake,
            started_at=datetime.now(UTC),
            phase=EventPhase.initial_response,
            affected_chome=[],
            affected_area=from_shape(MultiPolygon([box(*area)]), srid=6668),
            declared_by="bench",
        )
        session.add(event)
        session.flush()
        shelter_ids = list(
            session.scalars(
                select(Shelter.id).where(
                    Shelter.municipality_code == code,
                    Shelter.kind == ShelterKind.designated_shelter,
                )
            )
        )
        for shelter_id in shelter_ids:
            open_shelter(session=session, event=event, shelter_id=shelter_id, opened_by="bench")
        numbers = list(
            session.scalars(
                select(Person.address_number).where(
                    Person.municipality_code == code, Person.status == ResidentStatus.resident
                )
            )
        )
        event_id = event.id
    engine.dispose()
    random.Random(seed).shuffle(numbers)
    return event_id, shelter_ids, numbers


class Server:
    def __init__(self, url: str, port: int) -> None:
        self.url, self.port = url, port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            str(VENV / "uvicorn"),
            "sonae.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            "2",
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        env = {**os.environ, "SONAE_DATABASE_URL": self.url, "SONAE_LOG_LEVEL": "WARNING"}
        self.process = subprocess.Popen(
            command,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        """SIGKILL to the whole group: a crash, not a graceful stop."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def login(base: str) -> str:
    response = httpx.post(
        f"{base}/api/auth/token", data={"username": "bench-hq", "password": PASSWORD}
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def checkin_path(event_id: int, shelter_id: int) -> str:
    return f"/api/events/{event_id}/shelters/{shelter_id}/checkins"


def by_number(number: str) -> dict[str, Any]:
    return {"people": [{"identity": {"method": "address_number", "address_number": number}}]}


def checkins(event_id: int, shelters: list[int], numbers: Iterator[str]) -> Iterator[Request]:
    for i, number in enumerate(numbers):
        path = checkin_path(event_id, shelters[i % len(shelters)])
        yield "POST", path, by_number(number), {"Idempotency-Key": str(uuid.uuid4())}


def fault_tasks(event_id: int, shelters: list[int], numbers: list[str]) -> list[Any]:
    tasks = [
        (checkin_path(event_id, shelters[i % len(shelters)]), by_number(n))
        for i, n in enumerate(numbers)
    ]
    moves = [
        (checkin_path(event_id, shelters[(i + 1) % len(shelters)]), by_number(n))
        for i, n in enumerate(numbers[: len(numbers) // 10])
    ]
    return tasks + moves  # the moves come last: by then most first check-ins are done


def tally(url: str, event_id: int, numbers: list[str]) -> tuple[int, int, int]:
    """(open stays, all stays, distinct people) of the fault run's people."""
    engine = app_engine(url)
    with Session(engine) as session:
        ids = select(Person.id).where(
            Person.municipality_code == CODE, Person.address_number.in_(numbers)
        )
        stays = (
            select(ShelterStay)
            .where(ShelterStay.event_id == event_id, ShelterStay.person_id.in_(ids))
            .subquery()
        )
        open_count = session.scalar(
            select(func.count()).select_from(stays).where(stays.c.checked_out_at.is_(None))
        )
        all_count = session.scalar(select(func.count()).select_from(stays))
        people = session.scalar(select(func.count(func.distinct(stays.c.person_id))))
        session.execute(text("SELECT 1"))
    engine.dispose()
    return open_count or 0, all_count or 0, people or 0


def main() -> int:
    configure_logging(level="WARNING", json=False)
    url = create_temporary_database("sonae_bench_intake")
    server = Server(url, free_port())
    try:
        with tempfile.TemporaryDirectory() as workdir:
            event_id, shelters, numbers = prepare(url, Path(workdir))
        fault_people = numbers[:FAULT_PEOPLE]
        fresh = iter(numbers[FAULT_PEOPLE:])
        server.start()
        token = login(server.base)
        me: Iterator[Request] = itertools.repeat(("GET", "/api/auth/me", None, {}))
        baseline = asyncio.run(
            rate(base_url=server.base, token=token, requests=me, clients=CLIENTS, seconds=SECONDS)
        )
        sweep = sweep_checkins(server, token, event_id, shelters, fresh)
        tasks = fault_tasks(event_id, shelters, fault_people)

        async def restart_halfway(result: FaultResult) -> None:
            while result.done < len(tasks) // 2:
                await asyncio.sleep(0.05)
            await asyncio.to_thread(server.kill)
            await asyncio.sleep(1.0)
            await asyncio.to_thread(server.start)

        fault = asyncio.run(
            faults(
                base_url=server.base,
                token=token,
                tasks=tasks,
                clients=FAULT_CLIENTS,
                during=restart_halfway,
            )
        )
        loadavg = Path("/proc/loadavg").read_text().strip()
        open_stays, all_stays, people = tally(url, event_id, fault_people)
    finally:
        if server.process is not None and server.process.poll() is None:
            server.kill()
        drop_database(url)
    made = fault.outcomes["checked_in"] + fault.outcomes["transferred"]
    intact = open_stays == people == len(fault_people) and all_stays == made
    larger, residents = at_scale(NISHINOMIYA)
    print(
        report(
            baseline,
            sweep,
            (larger, residents),
            fault,
            len(tasks),
            open_stays,
            all_stays,
            people,
            intact,
            len(shelters),
            loadavg,
        )
    )
    return 0 if intact else 1


def sweep_checkins(
    server: Server, token: str, event_id: int, shelters: list[int], people: Iterator[str]
) -> dict[int, Any]:
    """The check-in rate at each of SWEEP_CLIENTS; each run checks in people none of the
    others did (one iterator of 宛名番号 goes through them all)."""
    return {
        clients: asyncio.run(
            rate(
                base_url=server.base,
                token=token,
                requests=checkins(event_id, shelters, people),
                clients=clients,
                seconds=SECONDS,
            )
        )
        for clients in SWEEP_CLIENTS
    }


def at_scale(city: City) -> tuple[dict[int, Any], int]:
    """The check-in rates (SWEEP_CLIENTS) in another city's database: (results, residents)."""
    url = create_temporary_database(f"sonae_bench_intake_{city[0]}")
    server = Server(url, free_port())
    try:
        with tempfile.TemporaryDirectory() as workdir:
            event_id, shelters, numbers = prepare(url, Path(workdir), city)
        server.start()
        token = login(server.base)
        load = sweep_checkins(server, token, event_id, shelters, iter(numbers))
    finally:
        if server.process is not None and server.process.poll() is None:
            server.kill()
        drop_database(url)
    return load, len(numbers)


if __name__ == "__main__":
    raise SystemExit(main())
