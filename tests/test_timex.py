"""Time expressions resolve against the publication date."""

import pytest

from kg.extract.timex import normalise_date


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("Thursday", "2007-06-08", "2007-06-07"),  # the day before a Friday paper
    ("Friday", "2007-06-08", "2007-06-08"),  # the same day
    ("on Sunday", "2001-07-22", "2001-07-22"),
    ("Tuesday", "2001-07-22", "2001-07-17"),
    ("last month", "2001-07-22", "2001-06"),
    ("last year", "2015-07-14", "2014"),
    ("yesterday", "2018-06-12", "2018-06-11"),
    ("June 7", "2007-06-08", "2007-06-07"),
    ("June 8, 2007", None, "2007-06-08"),
    ("in 1997", None, "1997"),
    ("1997", "2001-07-22", "1997"),
])
def test_timex_resolves(text, published, expected):
    assert normalise_date(text, published) == expected


@pytest.mark.parametrize(("text", "published"), [
    ("Thursday", None),  # no anchor: a weekday cannot be pinned down
    ("last month", None),
    ("the 21st century", "2007-06-08"),
    ("days", "2007-06-08"),
    ("", "2007-06-08"),
    ("this fall", "2001-07-22"),
])
def test_timex_refuses_what_it_cannot_pin_down(text, published):
    assert normalise_date(text, published) is None
