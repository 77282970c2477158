"""The danger safety net: it fires on danger, and on none of the ordinary training questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.danger import default_detector
from bot.lexicon import load_lexicons
from bot.nlu_data import examples_in

ROOT = Path(__file__).resolve().parents[2]


def test_every_language_has_danger_phrases():
    for lang, lexicon in load_lexicons().items():
        assert len(lexicon.get("danger") or []) >= 40, lang


@pytest.mark.parametrize(
    "text",
    [
        "my boss took my passport and I cannot leave",
        "they beat me last night",
        "i want to kill myself",
        "mon patron a pris mon passeport",
        "je veux mourir",
        "ik wil dood",
        "quero me matar",
        "меня избили",
    ],
)
def test_danger_is_found(text):
    assert default_detector().find(text), text


@pytest.mark.parametrize(
    "text",
    [
        "my passport expired, what now?",
        "I am sick, can I still travel?",
        "is it dangerous to go back to Syria?",
        "I am 16 and alone here, can I go home?",
        "mon passeport est perdu",
    ],
)
def test_ordinary_questions_are_not_danger(text):
    assert default_detector().find(text) == [], text


def test_no_danger_phrase_fires_on_a_training_example_of_another_label():
    fired = [
        f"{e.language} {e.label}: {e.text} <- {hits[0].text}"
        for e in examples_in(ROOT / "data" / "nlu")
        if e.label != "urgent_help" and (hits := default_detector().find(e.text))
    ]
    assert fired == []


def _parsed(text: str, ranking: list[tuple[str, float]], rejected: bool = True):
    from rasa.shared.nlu.training_data.message import Message

    # What the FallbackClassifier leaves when it rejects: nlu_fallback first, then the classifier's.
    intents = [{"name": name, "confidence": p} for name, p in ranking]
    if rejected:
        intents.insert(0, {"name": "nlu_fallback", "confidence": 0.4})
    message = Message(data={"text": text})
    message.set("intent", intents[0])
    message.set("intent_ranking", intents)
    return message


@pytest.mark.parametrize(
    "ranking, label",
    [
        ([("urgent_help", 0.34), ("ask_minor", 0.33)], "urgent_help"),  # too close: still urgent
        ([("urgent_help", 0.26), ("ask_family", 0.2)], "urgent_help"),  # unsure: still urgent
        ([("urgent_help", 0.2), ("ask_family", 0.19)], "nlu_fallback"),  # below the floor
        ([("ask_medical", 0.29), ("urgent_help", 0.28)], "nlu_fallback"),  # not first
        ([("ask_minor", 0.39), ("urgent_help", 0.36)], "urgent_help"),  # not first, but likely
    ],
)
def test_urgent_ranked_first_wins_over_the_fallback(ranking, label):
    from bot.nlu.danger_override import DangerOverride

    message = _parsed("what do i do now", ranking)  # no danger phrase: the ranking decides
    DangerOverride(urgent_floor=0.25).process([message])
    assert message.get("intent")["name"] == label
    assert message.get("intent_ranking")[0]["name"] == label
    if label == "urgent_help":
        assert message.get("intent")["confidence"] == dict(ranking)["urgent_help"]


def test_urgent_that_is_likely_wins_over_an_accepted_label():
    from bot.nlu.danger_override import DangerOverride

    # "a minor alone at the station, a man wants to take him": ask_minor won, danger is likely.
    accepted = _parsed("what do i do now", [("ask_minor", 0.51), ("urgent_help", 0.39)], False)
    unlikely = _parsed("what do i do now", [("ask_minor", 0.6), ("urgent_help", 0.3)], False)
    DangerOverride().process([accepted, unlikely])
    assert accepted.get("intent") == {"name": "urgent_help", "confidence": 0.39}
    assert [r["name"] for r in accepted.get("intent_ranking")] == ["urgent_help", "ask_minor"]
    assert unlikely.get("intent")["name"] == "ask_minor"


def test_a_danger_phrase_wins_whatever_the_classifier_says():
    from bot.nlu.danger_override import DangerOverride

    message = _parsed("i want to kill myself", [("ask_medical", 0.6), ("urgent_help", 0.1)])
    DangerOverride().process([message])
    assert message.get("intent") == {"name": "urgent_help", "confidence": 1.0}


def test_a_longer_ordinary_phrase_leaves_the_message_to_the_classifier(tmp_path):
    from bot.danger import DangerDetector

    (tmp_path / "es.yml").write_text(
        "danger: [no quiero vivir, me quiero matar]\n"
        "not_danger: [no quiero vivir aqui, no quiero vivir en belgica]\n",
        encoding="utf-8",
    )
    detector = DangerDetector(tmp_path)
    assert detector.find("ya no quiero vivir aquí, quiero volver a Colombia") == []
    assert detector.find("No quiero vivir en Bélgica") == []
    assert [m.text for m in detector.find("ya no quiero vivir")] == ["no quiero vivir"]
    assert [m.text for m in detector.find("no quiero vivir en este mundo")] == ["no quiero vivir"]
    # Within one clause only: punctuation reads as a space in matching, not here.
    assert detector.find("No quiero vivir aqui") == []
    assert [m.text for m in detector.find("no quiero vivir. aqui nadie me quiere")] == [
        "no quiero vivir"
    ]
    assert [m.text for m in detector.find("no quiero vivir, aqui nadie me ayuda")] == [
        "no quiero vivir"
    ]
    # Another danger phrase in the same message still fires.
    hits = detector.find("no quiero vivir aqui, me quiero matar")
    assert [m.text for m in hits] == ["me quiero matar"]


def test_every_not_danger_phrase_is_a_longer_form_of_a_danger_phrase():
    from bot.phrases import normalise

    useless = []
    for lang, lexicon in load_lexicons().items():
        danger = {f" {normalise(str(p)).strip()} " for p in lexicon.get("danger") or []}
        for phrase in lexicon.get("not_danger") or []:
            words = f" {normalise(str(phrase)).strip()} "
            if words in danger or not any(d in words for d in danger):
                useless.append(f"{lang}: {phrase}")
    assert useless == []


def test_no_not_danger_phrase_hides_a_danger_example_of_the_training_data():
    from bot.danger import DangerDetector

    detector = DangerDetector()
    hidden = [
        f"{e.language}: {e.text}"
        for e in examples_in(ROOT / "data" / "nlu")
        if e.label == "urgent_help" and detector.danger.find(e.text) and not detector.find(e.text)
    ]
    assert hidden == []


@pytest.mark.parametrize(
    "text",
    [
        "ya no quiero vivir aqui, quiero volver a colombia",
        "I don't want to live here anymore, I want to go home",
        "não quero mais viver aqui, quero voltar pro brasil",
        "не хочу больше жить в бельгии, хочу домой",
        "nu mai vreau sa traiesc aici, vreau acasa",
        "nuk dua te jetoj ketu me, dua te kthehem",
    ],
)
def test_not_wanting_to_live_here_is_not_danger(text):
    assert default_detector().find(text) == [], text


@pytest.mark.parametrize(
    "text",
    ["ya no quiero vivir", "não quero mais viver", "не хочу больше жить", "nuk dua te jetoj"],
)
def test_not_wanting_to_live_is_still_danger(text):
    assert default_detector().find(text), text


def test_a_message_that_is_only_a_cry_for_help_is_danger(tmp_path):
    from bot.danger import DangerDetector

    (tmp_path / "en.yml").write_text(
        "danger: [kill myself]\n"
        "cry_for_help: [help, help me, sos, urgent]\n"
        "cry_words: [please, pls, quickly, someone, now]\n",
        encoding="utf-8",
    )
    (tmp_path / "fr.yml").write_text(
        "danger: [me tuer]\ncry_for_help: [au secours, aidez moi]\n"
        "cry_words: [svp, vite, s'il vous plait]\n",
        encoding="utf-8",
    )
    detector = DangerDetector(tmp_path)
    for cry in [
        "HELP!!",
        "help me please, quickly",
        "Someone help me NOW",
        "sos svp vite",
        "Au secours, s'il vous plaît",
    ]:
        assert [m.text for m in detector.find(cry)] == [cry], cry
    for ordinary in [
        "please help me find the nearest ATM",
        "help with my passport please",
        "please quickly",  # no cry in it
        "help me " * 5,  # ten words: the classifier reads it
        "aidez moi à remplir le formulaire svp",
        "s'il vous plaît",  # a cry word, no cry
        "vous",  # one word of a cry phrase is not the phrase
    ]:
        assert detector.find(ordinary) == [], ordinary


def test_every_language_has_cries_for_help_and_their_words():
    for lang, lexicon in load_lexicons().items():
        assert len(lexicon.get("cry_for_help") or []) >= 10, lang
        assert len(lexicon.get("cry_words") or []) >= 10, lang


def test_every_language_has_words_that_may_stand_inside_a_danger_phrase():
    for lang, lexicon in load_lexicons().items():
        assert len(lexicon.get("danger_modifiers") or []) >= 8, lang


@pytest.mark.parametrize(
    "text",
    [
        "HELP!!",
        "au secours svp vite",
        "ayuda por favor",
        "помогите пожалуйста быстрее",
        "yardım edin lütfen",
        "کمکم کنید لطفا",
        "ndihmë ju lutem shpejt",
    ],
)
def test_bare_cries_of_the_lexicons_are_danger(text):
    assert default_detector().find(text), text


@pytest.mark.parametrize(
    "text",
    [
        "help me find a pharmacy please",
        "ayuda con mi pasaporte por favor",
        "помогите заполнить анкету пожалуйста",
        "por favor",
    ],
)
def test_a_request_for_help_with_something_is_not_a_cry(text):
    assert default_detector().find(text) == [], text


def test_a_word_that_only_says_little_or_newborn_may_stand_inside_a_danger_phrase(tmp_path):
    from bot.danger import DangerDetector

    phrases = (
        "danger: [street with my baby, not breathing, tired of living]\n"
        "not_danger: [not breathing well at night, little tired of living here]\n"
    )
    for folder, extra in [("plain", ""), ("modifiers", "danger_modifiers: [little, new-born]\n")]:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "en.yml").write_text(phrases + extra, encoding="utf-8")
    text = "I am on the street with my little baby, it is so cold"
    assert DangerDetector(tmp_path / "plain").find(text) == []

    detector = DangerDetector(tmp_path / "modifiers")
    assert [m.text for m in detector.find(text)] == ["street with my little baby"]
    assert detector.find("on the STREET with my little new-born baby")
    for ordinary in [
        "my little baby is not breathing well at night, can she fly?",
        "little new-born",  # modifiers alone are nothing
        "my little brother lives on this street",  # no phrase of the list
        "I am a little tired of living here",  # a not_danger phrase keeps its modifier
    ]:
        assert detector.find(ordinary) == [], ordinary


@pytest.mark.parametrize(
    "text",
    ["we are on the street with my little kids", "je suis dans la rue avec mon petit bébé"],
)
def test_the_lexicons_modifiers_keep_a_danger_phrase_whole(text):
    assert default_detector().find(text), text
