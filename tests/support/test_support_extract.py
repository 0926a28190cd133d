"""Consent, district extracts in normal and disaster mode, and the export files read back."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pyogrio
import pytest
from sqlalchemy import select

from sonae import japan_time
from sonae.audit.models import AuditEntry
from sonae.errors import (
    ImportRejectedError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from sonae.registry.models import Person, ResidentStatus
from sonae.support.build import build_support_list
from sonae.support.models import ConsentScope, ConsentStatus, SupportListBuild
from sonae.support_extract import consent
from sonae.support_extract.disaster_mode import disaster_mode_active, set_disaster_mode
from sonae.support_extract.export import ExportFormat, export_bytes, write_export
from sonae.support_extract.extract import Extract, ExtractMode, extract_districts
from support.factory import AS_OF, Town

YOUNG = date(1990, 6, 1)
SHARING = ConsentScope.list_sharing


def agree(town: Town, label: str, status: ConsentStatus, on: date | None = None) -> None:
    consent.record_consent(
        session=town.session,
        municipality_code=town.code,
        person_id=town.people[label].id,
        scope=SHARING,
        status=status,
        decided_on=on,
        recorded_by="test",
        principal=None,
    )


@pytest.fixture
def listed(town: Town) -> SupportListBuild:
    """北町: agreed, refused, never asked, agreed-then-refused, refused-then-agreed, no place;
    南町: agreed. Everyone needs care level 3 or more."""
    for label in ("agreed", "refused", "never", "withdrew", "changed_mind"):
        town.person(label, born=YOUNG, care_level="care_3", at=(100, 100), phone="047-000-0000")
    town.person("吉田𠮷", born=date(1944, 2, 3), care_level="care_4", at=(150, 100))
    town.person("nowhere", born=YOUNG, care_level="care_5", at=None, chome="13102001001")
    town.person("south", born=YOUNG, care_level="care_3", at=(100, -100))
    agree(town, "agreed", ConsentStatus.agreed, date(2026, 1, 5))
    agree(town, "refused", ConsentStatus.refused)
    agree(town, "withdrew", ConsentStatus.agreed)
    agree(town, "withdrew", ConsentStatus.refused)
    agree(town, "changed_mind", ConsentStatus.refused)
    agree(town, "changed_mind", ConsentStatus.agreed)
    for label in ("吉田𠮷", "nowhere", "south"):
        agree(town, label, ConsentStatus.agreed)
    return build_support_list(
        session=town.session, municipality_code=town.code, built_by="test", as_of=AS_OF
    )


def extract(town: Town, build: SupportListBuild, mode: ExtractMode, *districts: str) -> Extract:
    return extract_districts(
        session=town.session,
        municipality_code=town.code,
        build_id=build.id,
        districts=list(districts) or None,
        mode=mode,
        principal=None,
        username="test-operator",
    )


def names(result: Extract) -> set[str]:
    return {row.name.removeprefix("試験　") for row in result.rows}


def test_latest_consent_wins_and_never_asked_is_not_asked(town: Town, listed: object) -> None:
    found = consent.latest_consents(
        session=town.session, municipality_code=town.code, scope=SHARING
    )
    by_label = {label: found.get(p.id) for label, p in town.people.items()}
    assert by_label["withdrew"] == ConsentStatus.refused
    assert by_label["changed_mind"] == ConsentStatus.agreed
    assert by_label["never"] is None
    status = consent.consent_status(
        session=town.session,
        municipality_code=town.code,
        person_id=town.people["never"].id,
        scope=SHARING,
    )
    assert status == ConsentStatus.not_asked


def test_normal_mode_gives_only_people_who_agreed(town: Town, listed: SupportListBuild) -> None:
    result = extract(town, listed, ExtractMode.normal, "北町")
    assert names(result) == {"agreed", "changed_mind", "吉田𠮷", "nowhere"}
    assert result.left_out_without_consent == 3
    assert result.districts == ["北町"]
    entry = next(r for r in result.rows if r.name.endswith("agreed"))
    assert entry.phone == "047-000-0000" and entry.reasons == ["要介護3〜5"]


def test_disaster_mode_extract_needs_disaster_mode_and_then_gives_everyone_audited(
    town: Town, listed: SupportListBuild
) -> None:
    with pytest.raises(PermissionDeniedError, match="disaster mode"):
        extract(town, listed, ExtractMode.disaster, "北町")
    set_disaster_mode(
        session=town.session,
        municipality_code=town.code,
        active=True,
        switched_by="test",
        reason="地震発生",
    )
    town.people["refused"].status = ResidentStatus.deceased  # died after the build
    town.session.flush()
    assert disaster_mode_active(session=town.session, municipality_code=town.code)
    result = extract(town, listed, ExtractMode.disaster, "北町")
    assert names(result) == {"agreed", "never", "withdrew", "changed_mind", "吉田𠮷", "nowhere"}
    assert result.left_out_not_resident == 1
    trail = town.session.scalars(
        select(AuditEntry).where(
            AuditEntry.municipality_code == town.code,
            AuditEntry.resource == f"support_list_build/{listed.id}/extract",
        )
    ).all()
    assert len(trail) == 1
    assert trail[0].detail["mode"] == "disaster" and trail[0].username == "test-operator"
    assert sorted(trail[0].person_ids) == sorted(r.person_id for r in result.rows)
    set_disaster_mode(
        session=town.session, municipality_code=town.code, active=False, switched_by="t", reason="-"
    )
    assert not disaster_mode_active(session=town.session, municipality_code=town.code)


def test_a_district_the_city_does_not_have_is_not_found_rather_than_empty(
    town: Town, listed: SupportListBuild
) -> None:
    with pytest.raises(NotFoundError, match="no district 北待"):
        extract(town, listed, ExtractMode.normal, "北町", "北待")
    assert extract(town, listed, ExtractMode.normal, "南町").districts == ["南町"]


def test_all_districts_when_none_is_named(town: Town, listed: SupportListBuild) -> None:
    result = extract(town, listed, ExtractMode.normal)
    assert result.districts == ["北町", "南町"] or set(result.districts) == {"北町", "南町"}
    assert "south" in names(result)


def test_csv_in_utf8_with_bom_and_in_cp932_read_back(town: Town, listed: SupportListBuild) -> None:
    result = extract(town, listed, ExtractMode.normal, "北町")
    utf8 = export_bytes(result, ExportFormat.csv, municipality_name="テスト町")
    assert utf8.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(utf8.decode("utf-8-sig"))))
    assert len(rows) == 4
    assert list(rows[0])[:4] == ["地区", "氏名", "フリガナ", "生年月日"]
    yoshida = next(r for r in rows if "吉田" in r["氏名"])
    assert yoshida["氏名"] == "試験　吉田𠮷"
    assert yoshida["生年月日（和暦）"] == "昭和19年2月3日"
    assert yoshida["避難支援等を必要とする事由"] == "要介護3〜5・75歳以上のひとり暮らし"
    sjis = export_bytes(result, ExportFormat.csv_cp932, municipality_name="テスト町")
    rows = list(csv.DictReader(io.StringIO(sjis.decode("cp932"))))
    assert next(r for r in rows if "吉田" in r["氏名"])["氏名"] == "試験　吉田〓"
    assert {r["名簿提供の同意"] for r in rows} == {"同意"}


def test_geopackage_read_back_with_pyogrio(
    town: Town, listed: SupportListBuild, tmp_path: Path
) -> None:
    result = extract(town, listed, ExtractMode.normal, "北町")
    out = tmp_path / "list.gpkg"
    write_export(result, ExportFormat.gpkg, out, municipality_name="テスト町")
    frame = pyogrio.read_dataframe(out)
    assert len(frame) == 4
    assert frame.crs.to_epsg() == 6668
    assert "避難支援等を必要とする事由" in frame.columns
    located = frame[frame["氏名"] != "試験　nowhere"]
    assert located.geometry.notna().all()
    assert frame[frame["氏名"] == "試験　nowhere"].geometry.isna().all()


def test_printable_html_has_the_district_header_and_the_confidentiality_notice(
    town: Town, listed: SupportListBuild
) -> None:
    result = extract(town, listed, ExtractMode.normal)
    html = export_bytes(result, ExportFormat.html, municipality_name="テスト町").decode()
    assert "地区：北町" in html and "地区：南町" in html
    assert "第49条の12" in html and "秘密" in html
    assert f"第{listed.id}版" in html and "令和8年4月1日" in html
    assert "size: A4 landscape" in html and "break-after: page" in html
    assert "http" not in html  # no CDN, no web fonts: prints on a closed network
    assert "&lt;" not in html.split("<body>")[0]
    assert html.count('<section class="district">') == 2


def test_the_printed_list_gives_japan_dates_and_times_on_a_utc_server(
    town: Town, listed: SupportListBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    evening_utc = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # 05:00 on the 24th in Japan
    monkeypatch.setattr(japan_time, "now", lambda: evening_utc)  # a clock that answers in UTC
    listed.built_at = evening_utc
    result = extract(town, listed, ExtractMode.normal)
    html = export_bytes(result, ExportFormat.html, municipality_name="テスト町").decode()
    assert "<dt>作成日</dt><dd>令和8年11月24日</dd>" in html
    assert "<dt>出力日時</dt><dd>令和8年11月24日 05:00</dd>" in html


def test_consent_csv_import_in_utf8_and_cp932_with_wareki_dates(town: Town) -> None:
    a = town.person("a", born=YOUNG)
    b = town.person("b", born=YOUNG)
    text = (
        "宛名番号,同意,同意日\r\n"
        f"{a.address_number},同意,令和6年4月1日\r\n"
        f"{b.address_number},不同意,R6.4.2\r\n"
    )
    for encoding in ("utf-8-sig", "cp932"):
        summary = consent.import_consent_csv(
            session=town.session,
            municipality_code=town.code,
            name="consent.csv",
            content=text.encode(encoding),
            scope=SHARING,
            recorded_by="test",
            principal=None,
        )
        assert summary.rows == 2 and summary.by_status == {"agreed": 1, "refused": 1}
    history = consent.consent_history(
        session=town.session, municipality_code=town.code, person_id=a.id
    )
    assert [h.decided_on for h in history] == [date(2024, 4, 1)] * 2


def test_a_consent_date_says_what_is_wrong_and_may_not_be_after_today(
    town: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(japan_time, "today", lambda: date(2026, 11, 24))
    a = town.person("a", born=YOUNG)
    text = (
        "宛名番号,同意,同意日\n"
        f"{a.address_number},同意,平成32年4月1日\n"
        f"{a.address_number},同意,令和8年11月25日\n"
        f"{a.address_number},同意,令和8年11月24日\n"
    )
    with pytest.raises(ImportRejectedError) as refused:
        consent.import_consent_csv(
            session=town.session,
            municipality_code=town.code,
            name="dates.csv",
            content=text.encode(),
            scope=SHARING,
            recorded_by="test",
            principal=None,
        )
    problems = {(p.feature, p.reason) for p in refused.value.problems}
    assert problems == {(2, "平成 ended on 2019-04-30"), (3, consent.AFTER_TODAY)}
    with pytest.raises(InvalidInputError, match="decided_on"):
        consent.record_consent(
            session=town.session,
            municipality_code=town.code,
            person_id=a.id,
            scope=SHARING,
            status=ConsentStatus.agreed,
            decided_on=date(2026, 11, 25),
            recorded_by="test",
            principal=None,
        )
    assert (
        consent.consent_history(session=town.session, municipality_code=town.code, person_id=a.id)
        == []
    )


def test_a_consent_file_with_one_bad_row_is_refused_whole(town: Town) -> None:
    a = town.person("a", born=YOUNG)
    text = (
        "宛名番号,同意,同意日\n"
        f"{a.address_number},同意,2024-04-01\n"
        "9999999999,同意,\n"
        f"{a.address_number},たぶん,\n"
    )
    with pytest.raises(ImportRejectedError) as refused:
        consent.import_consent_csv(
            session=town.session,
            municipality_code=town.code,
            name="bad.csv",
            content=text.encode(),
            scope=SHARING,
            recorded_by="test",
            principal=None,
        )
    message = str(refused.value)
    assert "line 3, field 宛名番号" in message and "line 4, field 同意" in message
    assert "9999999999" not in message
    assert (
        consent.consent_history(session=town.session, municipality_code=town.code, person_id=a.id)
        == []
    )
    assert town.session.scalar(select(Person.id).where(Person.id == a.id)) == a.id
