"""Rasa's log lines that name a conversation are rewritten with a keyed hash before any handler."""

from __future__ import annotations

import logging

from bot.privacy.pseudonym import PseudonymFilter, pseudonym, scrub


def test_a_pseudonym_is_short_stable_and_not_the_id():
    assert pseudonym("123456789") == pseudonym("123456789") != pseudonym("123456780")
    assert "123456789" not in pseudonym("123456789") and len(pseudonym("x")) == 12


def test_rasas_lines_lose_the_conversation_id():
    breaker = "Circuit breaker tripped. Stopped predicting more actions for sender '123456789'."
    assert scrub(breaker) == breaker.replace("123456789", pseudonym("123456789"))
    url = "Exception occurred while handling uri: 'http://h/conversations/web-ab12/tracker?token=x'"
    assert "web-ab12" not in scrub(url) and pseudonym("web-ab12") in scrub(url)
    assert scrub("watcher: {'timed_out': 1}") == "watcher: {'timed_out': 1}"


def test_the_filter_rewrites_a_record_with_arguments(caplog):
    logger = logging.getLogger("test.pseudonym")
    logger.addFilter(PseudonymFilter())
    with caplog.at_level(logging.WARNING, logger="test.pseudonym"):
        logger.warning("more actions for sender '%s'.", "web-secret-id")
    assert "web-secret-id" not in caplog.text and pseudonym("web-secret-id") in caplog.text
