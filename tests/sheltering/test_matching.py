"""Finding the resident at the desk: exact, width/kana variants, old characters, ambiguous,
unknown."""

from __future__ import annotations

from datetime import date

import pytest
from sheltering.desk import URAYASU, People
from sqlalchemy.orm import Session

from sonae.errors import NotFoundError
from sonae.registry.models import Sex
from sonae.sheltering import matching


def test_name_normalisation_folds_width_kana_and_old_characters() -> None:
    assert (
        matching.normalise_name("髙橋　花子") == matching.normalise_name("高橋 花子") == "高橋花子"
    )
    assert matching.normalise_name("ﾀｶﾊｼ ﾊﾅｺ") == "タカハシハナコ"
    assert matching.normalise_name("たかはし　はなこ") == "タカハシハナコ"
    assert matching.normalise_name("サトウ キョウコ") == matching.normalise_name("さとう きようこ")


def test_by_address_number_exact_and_full_width(session: Session, people: People) -> None:
    found = matching.by_address_number(
        session=session, municipality_code=URAYASU, number=people.taro.address_number
    )
    assert found == people.taro.id
    wide = people.taro.address_number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert matching.by_address_number(session=session, municipality_code=URAYASU, number=wide) \
        == people.taro.id  # fmt: skip


def test_a_moved_out_person_is_not_matched(session: Session, people: People) -> None:
    with pytest.raises(NotFoundError):
        matching.by_address_number(
            session=session, municipality_code=URAYASU, number=people.gone.address_number
        )


def test_card_facts_match_across_old_characters_and_address_notation(
    session: Session, people: People
) -> None:
    found = matching.by_facts(
        session=session,
        municipality_code=URAYASU,
        name="高橋花子",  # the registry holds 髙橋
        address="千葉県浦安市当代島１丁目５－６　コーポ浦安101",  # with the 方書 the card carries
        birth_date=date(1980, 2, 3),
        sex=Sex.female,
    )
    assert found.id == people.hanako.id


def test_card_facts_with_the_wrong_sex_or_a_longer_house_number_do_not_match(
    session: Session, people: People
) -> None:
    with pytest.raises(NotFoundError):
        matching.by_facts(session=session, municipality_code=URAYASU, name="髙橋花子",
                          address="当代島1-5-6", birth_date=date(1980, 2, 3),
                          sex=Sex.male)  # fmt: skip
    with pytest.raises(NotFoundError):  # 2-35 is not 2-3
        matching.by_facts(session=session, municipality_code=URAYASU, name="浦安太郎",
                          address="浦安市当代島1丁目2-35", birth_date=date(1975, 4, 1))  # fmt: skip


@pytest.mark.parametrize("kana", ["ｻﾄｳ ｷｮｳｺ", "さとう きようこ", "サトウキョウコ"])
def test_typed_kana_in_any_width_or_script(session: Session, people: People, kana: str) -> None:
    found = matching.by_facts(
        session=session, municipality_code=URAYASU, name_kana=kana, birth_date=date(1985, 5, 5)
    )
    assert found.id == people.kyoko.id


def test_two_residents_with_the_same_name_and_birth_date_are_candidates(
    session: Session, people: People
) -> None:
    with pytest.raises(matching.Ambiguous) as caught:
        matching.by_facts(session=session, municipality_code=URAYASU, name="山田一郎",
                          birth_date=date(1990, 1, 1))  # fmt: skip
    candidates = caught.value.candidates
    assert [c.person_id for c in candidates] == sorted([people.ichiro_a.id, people.ichiro_b.id])
    assert {c.town for c in candidates} == {"当代島", "猫実"}
    assert all(c.name_hint == "山＊＊＊" and c.kana_hint == "ヤ＊＊＊＊＊＊" for c in candidates)
    assert "山田一郎" not in str(caught.value)


def test_the_address_or_a_chosen_candidate_settles_it(session: Session, people: People) -> None:
    by_address = matching.by_facts(session=session, municipality_code=URAYASU, name="山田一郎",
                                   birth_date=date(1990, 1, 1), address="猫実3-1-1")  # fmt: skip
    assert by_address.id == people.ichiro_b.id
    chosen = matching.by_facts(session=session, municipality_code=URAYASU, name="山田一郎",
                               birth_date=date(1990, 1, 1), chosen=people.ichiro_a.id)  # fmt: skip
    assert chosen.id == people.ichiro_a.id
    with pytest.raises(NotFoundError):  # a chosen id outside the candidates is not taken
        matching.by_facts(session=session, municipality_code=URAYASU, name="山田一郎",
                          birth_date=date(1990, 1, 1), chosen=people.kyoko.id)  # fmt: skip


def test_unknown_person_is_no_match_and_the_message_names_nobody(
    session: Session, people: People
) -> None:
    with pytest.raises(NotFoundError) as caught:
        matching.by_facts(session=session, municipality_code=URAYASU, name="存在　しない",
                          birth_date=date(1975, 4, 1))  # fmt: skip
    assert "存在" not in str(caught.value)
    assert "1975" not in str(caught.value)
