"""The contract of ../shared/spec/topics.md: labels, residence statuses and slots (exact names)."""

from __future__ import annotations

QUESTION_LABELS = (
    "ask_eligibility",
    "ask_apply",
    "ask_costs",
    "ask_travel_documents",
    "ask_reintegration",
    "ask_timeline",
    "ask_confidentiality",
    "ask_family",
    "ask_medical",
    "ask_minor",
    "ask_luggage",
    "ask_reentry",
    "ask_contact",
    "ask_withdraw",
)
CONVERSATION_LABELS = (
    "greet",
    "goodbye",
    "affirm",
    "deny",
    "thank",
    "bot_challenge",
    "change_language",
)
# Labels that need the most training data: questions, handoff, danger, out of scope, answers.
MAIN_LABELS = (*QUESTION_LABELS, "request_human", "urgent_help", "out_of_scope", "inform")
LABELS = (*MAIN_LABELS, *CONVERSATION_LABELS)
RESIDENCE_STATUSES = (
    "asylum_pending",
    "asylum_rejected",
    "undocumented",
    "permit_expired",
    "permit_valid",
    "eu_citizen",
    "dublin",
    "detention",
)
SLOTS = (
    "language",
    "country_of_return",
    "residence_status",
    "handoff_case_id",
    "eligibility_result",
)
