"""Language identification and the choice of the reply language (pure, no Rasa)."""

from __future__ import annotations

import pytest

from bot.language import Detection, LanguageIdentifier, choose_language, load_languages

SUPPORTED = set(load_languages())


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("can I go back home with some help please", "en"),
        ("est-ce que je peux rentrer chez moi avec une aide", "fr"),
        ("ik wil graag terug naar mijn land, kan dat", "nl"),
        ("posso voltar pro brasil com ajuda de voces", "pt"),
        ("хочу вернуться домой, что нужно сделать", "ru"),
        ("хочу повернутися додому, що робити", "uk"),
        ("Би нутагтаа буцмаар байна", "mn"),
        ("მინდა სახლში დაბრუნება", "ka"),
        ("ናብ ዓደይ ክምለስ ደልየ ኣለኹ", "ti"),
        ("زه غواړم بېرته کور ته ولاړ شم", "ps"),
        ("میخواهم به افغانستان برگردم", "fa"),
        ("أريد العودة إلى بلدي مع المساعدة", "ar"),
        ("salam bghit nrje3 l blad dyali", "ar"),
        ("vreau sa ma intorc acasa in moldova", "ro"),
        ("une dua te kthehem ne shtepi", "sq"),
        ("memlekete geri donmek istiyorum yardim var mi", "tr"),
        ("quiero volver a mi pais con ayuda", "es"),
    ],
)
def test_detects_each_supported_language(identifier, text, expected):
    assert identifier.detect(text).code == expected


def test_no_letters_gives_no_language(identifier):
    assert identifier.detect("👍 123 ?!").code is None


def test_explicit_choice_wins_over_detection():
    chosen = choose_language(
        current="ar",
        locked=True,
        detected=Detection("en", 0.99, "detector"),
        channel_hint=None,
        text="where is your office please",
        supported=SUPPORTED,
    )
    assert chosen == "ar"


def test_one_word_message_does_not_switch():
    chosen = choose_language(
        current="nl",
        locked=False,
        detected=Detection("en", 0.9, "detector"),
        channel_hint=None,
        text="hallo",
        supported=SUPPORTED,
    )
    assert chosen == "nl"


def test_confident_sentence_switches():
    chosen = choose_language(
        current="en",
        locked=False,
        detected=Detection("fr", 0.9, "detector"),
        channel_hint=None,
        text="je veux rentrer chez moi",
        supported=SUPPORTED,
    )
    assert chosen == "fr"


def test_channel_hint_is_used_for_a_first_short_message():
    chosen = choose_language(
        current=None,
        locked=False,
        detected=Detection("en", 0.4, "detector"),
        channel_hint="pt-BR",
        text="oi",
        supported=SUPPORTED,
    )
    assert chosen == "pt"


def test_unsupported_hint_falls_back_to_default():
    chosen = choose_language(
        current=None,
        locked=False,
        detected=None,
        channel_hint="de",
        text="hallo",
        supported=SUPPORTED,
    )
    assert chosen == "en"


def test_a_first_one_word_message_does_not_pick_a_language_from_a_guess():
    chosen = choose_language(
        current=None,
        locked=False,
        detected=Detection("es", 0.2, "detector"),
        channel_hint=None,
        text="hello",
        supported=SUPPORTED,
    )
    assert chosen == "en"


def test_a_confident_one_word_greeting_picks_the_first_language():
    chosen = choose_language(
        current=None,
        locked=False,
        detected=LanguageIdentifier().detect("здравствуйте"),
        channel_hint=None,
        text="здравствуйте",
        supported=SUPPORTED,
    )
    assert chosen == "ru"


def test_a_script_rule_decides_even_for_one_word():
    chosen = choose_language(
        current="en",
        locked=False,
        detected=Detection("ka", 0.99, "script"),
        channel_hint=None,
        text="გამარჯობა",
        supported=SUPPORTED,
    )
    assert chosen == "ka"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Ich möchte nach Hause zurückkehren, können Sie mir helfen?", "de"),
        ("Vorrei tornare a casa mia, come posso fare?", "it"),
        ("Chcę wrócić do domu, czy możecie mi pomóc?", "pl"),
        ("我想回家，你能帮我吗", "zh"),
    ],
)
def test_a_language_outside_the_list_is_recognised_as_unsupported(identifier, text, code):
    assert identifier.detect(text) == Detection(code, 0.8, "unsupported")


def test_an_unsupported_detection_never_switches_the_reply_language():
    chosen = choose_language(
        current="fr",
        locked=False,
        detected=Detection("de", 0.8, "unsupported"),
        channel_hint=None,
        text="Ich möchte nach Hause zurückkehren",
        supported=SUPPORTED,
    )
    assert chosen == "fr"


def test_an_unsure_detection_does_not_leave_the_current_language():
    # Seen in the console's browser test: an English speaker's "I am in Liège" scored Romanian.
    detected = LanguageIdentifier().detect("I am in Liège")
    kwargs = {"locked": False, "channel_hint": None, "supported": SUPPORTED}
    assert choose_language(current="en", detected=detected, text="I am in Liège", **kwargs) == "en"
    sure = Detection("ro", 0.8, "detector")
    text = "vreau să mă întorc acasă în Moldova"
    assert choose_language(current="en", detected=sure, text=text, **kwargs) == "ro"
