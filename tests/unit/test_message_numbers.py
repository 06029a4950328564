"""Numbers in rendered messages are written by Babel; other placeholders as they are."""

from __future__ import annotations

import flask_babel

from app.domain.messages import Message
from app.messages import fill, render


def test_whole_and_decimal_placeholders_are_written_for_the_locale(app):
    params = {"facility": 0.8512, "count": 12345, "row": 12345, "share": 33.3}
    template = "%(facility).2f · %(count)d · row %(row)s · %(share).0f%%"
    with app.test_request_context():
        assert fill(template, params) == "0.85 · 12,345 · row 12345 · 33%"
        with flask_babel.force_locale("zh_Hans"):
            assert fill(template, params) == "0.85 · 12,345 · row 12345 · 33%"
        with flask_babel.force_locale("de"):  # a locale with other signs shows the difference
            assert fill(template, params) == "0,85 · 12.345 · row 12345 · 33%"


def test_a_rendered_message_keeps_its_words_and_formats_its_figures(app):
    message = Message("items.very_easy", {"facility": 0.951, "limit": 0.9})
    with app.test_request_context():
        assert render(message) == "very easy: facility 0.95 is above 0.90"
    assert render(message) == "very easy: facility 0.95 is above 0.90"  # outside a request too
