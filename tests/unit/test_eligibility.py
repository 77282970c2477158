"""Eligibility rules, one row per rule: the result, the deciding rule and its source."""

from __future__ import annotations

import pytest

from bot.eligibility import RESULTS, Answers, assess
from bot.knowledge import load_knowledge

K = load_knowledge()
BE = "belgium"

CASES = [
    # answers, result, rule, support
    (
        Answers(BE, "TR", "asylum_pending"),
        "likely_eligible",
        "asylum_pending",
        ("support_depends_on_country",),
    ),
    (
        Answers(BE, "SY", "asylum_rejected"),
        "likely_eligible",
        "asylum_rejected",
        ("premium_visa_required", "reintegration_available"),
    ),
    (
        Answers(BE, None, "undocumented"),
        "likely_eligible",
        "undocumented",
        ("support_depends_on_country",),
    ),
    (
        Answers(BE, "BR", "undocumented"),
        "likely_eligible",
        "visa_free_journey_only",
        ("premium_small", "reintegration_ended"),
    ),
    (
        Answers(BE, "GE", "asylum_rejected"),
        "likely_eligible",
        "visa_free_journey_only",
        ("premium_small", "reintegration_vulnerable_only"),
    ),
    (
        Answers(BE, "RO", None),
        "likely_eligible",
        "eu_citizen",
        ("premium_small", "reintegration_eu_excluded"),
    ),
    (
        Answers(BE, None, "eu_citizen"),
        "likely_eligible",
        "eu_citizen",
        ("premium_small", "reintegration_eu_excluded"),
    ),
    (Answers(BE, "PT", "eu_citizen"), "likely_not_eligible", "old_eu_citizen", ()),
    (
        Answers(BE, "MN", "undocumented", earlier_help=True),
        "likely_not_eligible",
        "earlier_help_5_years",
        (),
    ),
    (Answers(BE, "MA", "undocumented", belgian=True), "likely_not_eligible", "became_belgian", ()),
    (Answers(BE, "AF", "detention"), "needs_counsellor", "detention", ()),
    (Answers(BE, "AF", "dublin"), "needs_counsellor", "dublin", ()),
    (Answers(BE, "ER", "asylum_pending", minor_alone=True), "needs_counsellor", "minor_alone", ()),
    (Answers(BE, "SY", "asylum_pending", medical=True), "needs_counsellor", "medical", ()),
    (Answers("luxembourg", "SY", "asylum_rejected"), "needs_counsellor", "luxembourg", ()),
    (Answers(BE, "CO", "permit_valid"), "needs_counsellor", "permit_valid", ()),
    (Answers(BE, "CO", "permit_expired"), "needs_counsellor", "permit_expired", ()),
    (Answers(BE, "CO", None), "needs_counsellor", "status_unknown", ()),
    (Answers(), "needs_counsellor", "status_unknown", ()),
]


@pytest.mark.parametrize(("answers", "result", "rule", "support"), CASES)
def test_rule(answers, result, rule, support):
    decided = assess(answers, K)
    assert (decided.result, decided.rule) == (result, rule)
    assert decided.source == K.fact(decided.fact).source
    assert decided.source.startswith("https://") or decided.source.startswith("http://")
    if support:
        assert decided.support == support


def test_a_minor_alone_always_goes_to_a_counsellor_whatever_else_was_said():
    for status in (None, "asylum_rejected", "undocumented", "eu_citizen", "detention"):
        assert assess(Answers(BE, "GE", status, earlier_help=True, minor_alone=True), K).rule == (
            "minor_alone"
        )


def test_family_changes_no_result():
    for answers, *_ in CASES:
        with_family = Answers(**{**answers.__dict__, "family": True})
        assert assess(with_family, K).result == assess(answers, K).result


def test_every_rule_has_an_explanation_in_every_language():
    from bot.responses import load_catalog

    rules = {assess(answers, K).rule for answers, *_ in CASES}
    for lang, responses in load_catalog().items():
        for rule in rules:
            assert f"utter_rule_{rule}" in responses, (lang, rule)
    assert {assess(a, K).result for a, *_ in CASES} == set(RESULTS)
