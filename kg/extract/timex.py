"""Normalise time expressions against the publication date.

News dates events relative to the day it was written: "Thursday" in a Friday paper is the
day before, "last month" the month before. Results are ISO 8601: a day (2007-06-07), a month
(2001-06) or a year (1997), as precise as the text is.

Example:
    >>> normalise_date("Thursday", "2007-06-08")
    '2007-06-07'
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as date_parser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

WEEKDAYS = {"monday": MO, "tuesday": TU, "wednesday": WE, "thursday": TH, "friday": FR,
            "saturday": SA, "sunday": SU}
_YEAR = re.compile(r"^(?:in\s+)?((?:19|20)\d\d)$")
_RELATIVE = {
    "today": relativedelta(), "yesterday": relativedelta(days=-1),
    "tomorrow": relativedelta(days=1),
}
_UNITS = {"day": "days", "week": "weeks", "month": "months", "year": "years"}


def normalise_date(text: str, published: str | None) -> str | None:
    """The ISO date a time expression denotes, or None when it cannot be pinned down.

    Args:
        text: the expression as written ("Sunday", "last month", "June 7", "in 1997").
        published: the article's publication date (YYYY-MM-DD), the anchor for relative
            expressions; without it only absolute dates resolve.
    """
    phrase = re.sub(r"[^\w\s,-]", "", text.lower()).strip()
    phrase = re.sub(r"^(on|the|this|earlier|late|early)\s+", "", phrase)
    if not phrase:
        return None
    match = _YEAR.match(phrase)
    if match:
        return match.group(1)
    anchor = dt.date.fromisoformat(published) if published else None
    if phrase in WEEKDAYS:
        if anchor is None:
            return None
        return (anchor + relativedelta(weekday=WEEKDAYS[phrase](-1))).isoformat()
    if phrase in _RELATIVE:
        return (anchor + _RELATIVE[phrase]).isoformat() if anchor else None
    match = re.match(r"^(last|next)\s+(day|week|month|year)$", phrase)
    if match:
        if anchor is None:
            return None
        step = 1 if match.group(1) == "next" else -1
        when = anchor + relativedelta(**{_UNITS[match.group(2)]: step})
        return {"month": when.strftime("%Y-%m"), "year": str(when.year)}.get(
            match.group(2), when.isoformat())
    if not re.search(r"\d", phrase) and not re.search(
            r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", phrase):
        return None
    default = dt.datetime.combine(anchor, dt.time()) if anchor else dt.datetime(1, 1, 1)
    try:
        when = date_parser.parse(phrase, default=default, fuzzy=False)
    except (ValueError, OverflowError):
        return None
    if anchor is None and when.year == 1:
        return None
    return when.date().isoformat()
