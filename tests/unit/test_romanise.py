"""Latin-typed Mongolian, Georgian, Russian, Ukrainian and Tigrinya meet their own script."""

from __future__ import annotations

import pytest

from bot.intent_model import IntentModel, IntentModelConfig
from bot.paths import ROMANISATION_DIR
from bot.romanise import load_romanisations, skeletons

TABLES = load_romanisations(ROMANISATION_DIR)

# The same words as people type them in the script and in Latin letters on a phone.
SAME_WORDS = [
    ("mn", "хөтөлбөрөөс гарах", "hutulburuus garah"),
    ("mn", "утасны дугаар хэд вэ", "utasnii dugaar hed ve"),
    ("mn", "зөвлөх хэрэггүй", "zuvluh hereggui"),
    ("ka", "ვცხოვრობ ბელგიაში", "vcxovrob belgiashi"),
    ("ka", "ქმარს არ უნდა წასვლა", "qmars ar unda wasvla"),
    ("ka", "ხარ თუ არა", "khar tu ara"),
    ("ru", "хочу вернуться домой", "xochu vernutsya domoj"),
    ("ru", "жена и дети", "zhena i deti"),
    ("uk", "хочу повернутися додому", "hochu povernutysia dodomu"),
    ("uk", "де отримати паспорт", "de otrymaty pasport"),
    ("ti", "ክምለስ ደልየ", "kimeles delye"),
    ("ti", "የቐንየለይ", "yekenyeley"),
    ("ti", "ከመይ ኣለኻ", "kemey aleka"),
]


@pytest.mark.parametrize(("language", "script", "latin"), SAME_WORDS)
def test_both_spellings_have_one_skeleton(language: str, script: str, latin: str) -> None:
    table = TABLES[language]
    assert table.skeleton(script) == table.skeleton(latin)


def test_different_words_keep_different_skeletons() -> None:
    mn = TABLES["mn"]
    assert mn.skeleton("паспорт") != mn.skeleton("мөнгө")
    assert TABLES["ka"].skeleton("პასპორტი") != TABLES["ka"].skeleton("ფული")


def test_a_language_without_a_table_has_no_skeleton() -> None:
    assert "en" not in TABLES
    assert skeletons(["hello", "сайн уу"], ["en", None], TABLES) == ["", ""]


def test_a_latin_message_is_understood_from_examples_in_the_script() -> None:
    # Only Cyrillic examples: the Latin question shares no character n-gram with the right ones.
    data = {
        "ask_costs": ["нислэгийн тийз үнэгүй юу", "хэдэн төгрөг төлөх вэ", "зардлыг хэн төлөх вэ"],
        "ask_travel_documents": ["паспортоо гээчихсэн", "паспорт хэрэгтэй юу", "бичиг баримт"],
        "greet": ["сайн байна уу", "сайн уу", "өглөөний мэнд"],
    }
    texts = [t for label in data for t in data[label]]
    labels = [label for label in data for _ in data[label]]
    config = IntentModelConfig(char_min_df=1, epochs=30)
    with_tables = IntentModel(config, TABLES).fit(texts, labels, ["mn"] * len(texts))
    without = IntentModel(config).fit(texts, labels, ["mn"] * len(texts))
    probes = ["pasport heregtei yu", "heden tugrug tuluh ve", "sain uu"]
    expected = ["ask_travel_documents", "ask_costs", "greet"]
    assert [r[0][0] for r in with_tables.rank(probes, ["mn"] * 3)] == expected
    assert [r[0][0] for r in without.rank(probes, ["mn"] * 3)] != expected
