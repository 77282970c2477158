"""Benchmark traffic: conversations built from the held-out NLU files (tests/nlu/<lang>.yml).

Messages are never training examples. Every turn passes through the action server (the `language`
slot's custom mapping runs `action_detect_language`); questions run `action_answer_question`, and
one conversation in four is the eligibility questionnaire (a form validated by the action server).
Intents that hand the person to a counsellor (request_human, urgent_help, ask_minor,
bot_challenge's offer) and bare yes/no answers are left out: a paused conversation gets no answer
and would make later turns cheaper than real ones.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from bot.nlu_data import examples_in
from bot.paths import ROOT

TEST_NLU = ROOT / "tests" / "nlu"
SMALL_TALK = ("greet", "thank", "out_of_scope", "goodbye")
NOT_QUESTIONS = {"ask_minor"}  # answered, then handed to a counsellor

# The questionnaire end to end (as in tests/integration/test_eligibility_dialogue.py), declining the
# counsellor at the end: exactly 10 turns each.
ELIGIBILITY = {
    "en": [
        "can I get help to go home?",
        "/affirm",
        "I live in Belgium",
        "Eritrea",
        "my asylum request is still pending",
        "/deny",
        "/deny",
        "/deny",
        "/deny",
        "/deny",
    ],
    "pt": [
        "oi, eu posso voltar pro Brasil com ajuda?",
        "sim",
        "moro na Bélgica",
        "não tenho documentos",
        "/deny",
        "prefiro não dizer",
        "/deny",
        "/deny",
        "/deny",
        "obrigado",
    ],
}
# The shape of the other conversations: q = a question, the rest small talk.
MIXED_SHAPE = ("greet", "q", "q", "out_of_scope", "q", "q", "thank", "q", "q", "goodbye")


@dataclass
class Conversation:
    sender: str
    language: str
    kind: str  # "mixed", "eligibility", "long" or "warmup"
    turns: list[str] = field(default_factory=list)


class Traffic:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.by_language: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for example in examples_in(TEST_NLU):
            self.by_language[example.language][example.label].append(example.text)
        self.languages = sorted(self.by_language)

    def _pick(self, language: str, slot: str) -> str:
        intents = self.by_language[language]
        if slot == "q":
            questions = sorted(
                i for i in intents if i.startswith("ask_") and i not in NOT_QUESTIONS
            )
            slot = self.rng.choice(questions)
        return self.rng.choice(intents[slot])

    def mixed(self, sender: str, turns: int, language: str | None = None) -> Conversation:
        language = language or self.rng.choice(self.languages)
        shape = [MIXED_SHAPE[i % len(MIXED_SHAPE)] for i in range(turns)]
        return Conversation(sender, language, "mixed", [self._pick(language, s) for s in shape])

    def conversation(self, sender: str, turns: int) -> Conversation:
        if self.rng.random() < 0.25:
            language = self.rng.choice(sorted(ELIGIBILITY))
            return Conversation(sender, language, "eligibility", ELIGIBILITY[language][:turns])
        return self.mixed(sender, turns)

    def plan(self, prefix: str, users: int, messages: int, turns: int) -> list[list[Conversation]]:
        """Conversations per user: each user talks in turn-long conversations (a new sender each)
        until the level's messages are spread over the users (at least one conversation each)."""
        per_user = max(1, round(messages / (users * turns)))
        return [
            [self.conversation(f"{prefix}-u{u}-c{c}", turns) for c in range(per_user)]
            for u in range(users)
        ]

    def warmup(self, prefix: str, messages: int) -> list[list[Conversation]]:
        """One user: every questionnaire script (its first use loads the action server's form
        code and lexicons), then a greeting and questions; none of it is measured."""
        talks = [
            Conversation(f"{prefix}-{language}", language, "eligibility", list(turns))
            for language, turns in sorted(ELIGIBILITY.items())
        ]
        # A greeting and questions only: a handoff here would leave a queued case that the
        # console's watcher polls during every measurement after it.
        language = self.rng.choice(self.languages)
        texts = [self._pick(language, "greet")]
        texts += [self._pick(language, "q") for _ in range(max(0, messages - 1))]
        talks.append(Conversation(f"{prefix}-mixed", language, "warmup", texts))
        return [talks]

    def long(self, sender: str, turns: int, block: int) -> Conversation:
        """One conversation of `turns` turns: the same `block` questions over and over, so the
        first and the last window hold the same messages and differ only by the session's length.
        Questions only: an answer may end with the offer of a counsellor, and small talk after it
        ("hahaha" read as yes) would pause the conversation and make later turns cheaper."""
        language = self.rng.choice(self.languages)
        questions = [self._pick(language, "q") for _ in range(block)]
        return Conversation(sender, language, "long", [questions[i % block] for i in range(turns)])

    def parse_texts(self, count: int) -> list[str]:
        """Texts for /model/parse, every language and intent (all held-out examples qualify)."""
        everything = [
            text
            for language in self.languages
            for texts in self.by_language[language].values()
            for text in texts
        ]
        return [self.rng.choice(everything) for _ in range(count)]
