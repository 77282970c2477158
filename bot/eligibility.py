"""Eligibility rules for assisted voluntary return: answers in; result, rule and source out.

Pure (no Rasa). Only rules that a source states clearly decide; detention, Dublin, minors alone,
medical needs, valid permits, Luxembourg (whose rules are not published in detail) and missing
answers go to a counsellor. The result is an estimate: the programme decides, never the bot.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.knowledge import Knowledge, knowledge

LIKELY_ELIGIBLE = "likely_eligible"
LIKELY_NOT_ELIGIBLE = "likely_not_eligible"
NEEDS_COUNSELLOR = "needs_counsellor"
RESULTS = (LIKELY_ELIGIBLE, LIKELY_NOT_ELIGIBLE, NEEDS_COUNSELLOR)
# Statuses for which the Belgian programme is stated to be open (fact be.eligible.groups).
OPEN_STATUSES = ("asylum_pending", "asylum_rejected", "undocumented")


@dataclass(frozen=True)
class Answers:
    """What the person said; None where they skipped or were not asked."""

    lives_in: str | None = None  # "belgium" | "luxembourg"
    country: str | None = None  # ISO 3166-1 alpha-2 of nationality / return
    status: str | None = None  # a residence_status value
    earlier_help: bool | None = None  # return help in the last five years
    family: bool | None = None  # returning with a partner or children
    medical: bool | None = None  # illness or medical needs
    minor_alone: bool | None = None  # under 18 and without parents here
    belgian: bool | None = None  # has become Belgian


@dataclass(frozen=True)
class Result:
    result: str
    rule: str  # the rule that decided: a stable name the responses and the console show
    fact: str  # the knowledge fact behind it
    source: str
    support: tuple[str, ...] = field(default=())  # what may follow: premium and reintegration keys


def _decide(
    result: str, rule: str, fact: str, k: Knowledge, support: tuple[str, ...] = ()
) -> Result:
    return Result(result, rule, fact, k.fact(fact).source, support)


def support_for(answers: Answers, k: Knowledge) -> tuple[str, ...]:
    """Premium level and reintegration outlook, from the country's knowledge file."""
    if answers.status == "eu_citizen" or k.in_group("eu_since_2004", answers.country):
        return ("premium_small", "reintegration_eu_excluded")
    country = k.country(answers.country)
    if country is None:
        return ("support_depends_on_country",)
    premium = "premium_small" if country.visa_free else "premium_visa_required"
    return (premium, f"reintegration_{country.reintegration}")


def assess(answers: Answers, k: Knowledge | None = None) -> Result:
    k = k or knowledge()
    if answers.minor_alone:
        return _decide(NEEDS_COUNSELLOR, "minor_alone", "be.minors", k)
    if answers.lives_in == "luxembourg":
        return _decide(NEEDS_COUNSELLOR, "luxembourg", "lu.concept_2025", k)
    if answers.belgian:
        return _decide(LIKELY_NOT_ELIGIBLE, "became_belgian", "be.excluded", k)
    if k.in_group("old_eu", answers.country):
        return _decide(LIKELY_NOT_ELIGIBLE, "old_eu_citizen", "be.excluded", k)
    if answers.earlier_help:
        return _decide(LIKELY_NOT_ELIGIBLE, "earlier_help_5_years", "be.excluded", k)
    if answers.status == "detention":
        return _decide(NEEDS_COUNSELLOR, "detention", "be.detention", k)
    if answers.status == "dublin":
        return _decide(NEEDS_COUNSELLOR, "dublin", "be.dublin", k)
    if answers.medical:
        return _decide(NEEDS_COUNSELLOR, "medical", "be.medical", k)
    if answers.status == "eu_citizen" or k.in_group("eu_since_2004", answers.country):
        return _decide(LIKELY_ELIGIBLE, "eu_citizen", "be.eu_citizens", k, support_for(answers, k))
    if answers.status in OPEN_STATUSES:
        support = support_for(answers, k)
        country = k.country(answers.country)
        if country is not None and country.visa_free:
            return _decide(
                LIKELY_ELIGIBLE, "visa_free_journey_only", "be.visa_free.journey_only", k, support
            )
        return _decide(LIKELY_ELIGIBLE, answers.status, "be.eligible.groups", k, support)
    if answers.status == "permit_valid":
        return _decide(NEEDS_COUNSELLOR, "permit_valid", "be.eligible.groups", k)
    # An expired permit is not named by any source, and a skipped status leaves nothing to apply.
    return _decide(NEEDS_COUNSELLOR, answers.status or "status_unknown", "be.eligible.groups", k)
