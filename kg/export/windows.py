"""Time windows on every network and table export.

``Period`` (``kg export --from/--to/--window``) keeps only the records dated inside it;
undated records are left out when a period is given. A record's date is its own resolved
time, else its article's publication date. ``windowed`` wraps a source so that every view
and table sees the period alone.

Example:
    >>> network(windowed(store, Period(start="2014-01-01", end="2014-12-31")), "conflict")
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any, BinaryIO

from kg.errors import ConfigError
from kg.export.source import POSITIONS_QUERY, RELATIONS_QUERY, GraphSource, iso_date


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Period:
    """A time window: ISO dates, inclusive; ``window`` days long when given.

    With ``window`` the period ends at ``end`` (or ``start + window - 1`` days, or the
    latest date in the data) and starts ``window - 1`` days before; in GEXF every edge
    then lasts ``window`` days, so Gephi's timeline replays a moving window.
    """

    start: str | None = None
    end: str | None = None
    window: int | None = None

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None and iso_date(value) != value:
                raise ConfigError(f"--{'from' if name == 'start' else 'to'}: {value!r} is not an "
                                  f"ISO date (YYYY-MM-DD)")
        if self.window is not None and self.window < 1:
            raise ConfigError(f"--window: {self.window} is not a number of days (1 or more)")
        if self.window is not None and self.start and self.end:
            raise ConfigError("--window takes --from or --to, not both")
        if self.start and self.end and self.start > self.end:
            raise ConfigError(f"--from {self.start} is after --to {self.end}")

    @property
    def is_open(self) -> bool:
        """No bound at all: every record, dated or not."""
        return self.start is None and self.end is None and self.window is None

    def bounds(self, latest: str | None) -> tuple[str | None, str | None]:
        """The first and last day kept, given the latest date in the data."""
        if self.window is None:
            return self.start, self.end
        days = datetime.timedelta(days=self.window - 1)
        if self.start and not self.end:
            return self.start, (datetime.date.fromisoformat(self.start) + days).isoformat()
        end = self.end or latest
        if end is None:
            return None, None
        return (datetime.date.fromisoformat(end) - days).isoformat(), end


# the SELECTs whose rows are records with a date, and the columns that date them: a
# record's own time, else its article's publication date
_DATED_QUERIES: dict[str, tuple[str, ...]] = {
    RELATIONS_QUERY: ("time", "published"),
    POSITIONS_QUERY: ("date", "published"),
}


class _Windowed:
    """A GraphSource that sees only the records dated inside a period."""

    def __init__(self, source: GraphSource, period: Period) -> None:
        self.source = source
        self.period = period
        self._bounds: tuple[str | None, str | None] | None = None

    def serialize(self, fmt: str, out: BinaryIO) -> None:
        raise ConfigError(f"--from/--to/--window apply to network and table formats, not {fmt}")

    def select(self, sparql: str) -> list[dict[str, Any]]:
        rows = self.source.select(sparql)
        keys = _DATED_QUERIES.get(sparql)
        if keys is None:
            return rows
        start, end = self.bounds()
        kept = []
        for row in rows:
            date = _date_of(row, keys)
            if date is not None and (start is None or date >= start) and (
                    end is None or date <= end):
                kept.append(row)
        return kept

    def bounds(self) -> tuple[str | None, str | None]:
        if self._bounds is None:
            latest = None
            if self.period.window is not None and not (self.period.end or self.period.start):
                dates = [d for sparql, keys in _DATED_QUERIES.items()
                         for row in self.source.select(sparql)
                         if (d := _date_of(row, keys))]
                latest = max(dates, default=None)
            self._bounds = self.period.bounds(latest)
        return self._bounds


def _date_of(row: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    """A row's date: the first of its ``keys`` that holds one, as an ISO date."""
    return next((d for d in (iso_date(row.get(k)) for k in keys) if d), None)


def windowed(source: GraphSource, period: Period | None) -> GraphSource:
    """Wrap a source so that views and tables see only the records dated in ``period``.

    Example:
        >>> network(windowed(store, Period(start="2014-01-01", end="2014-12-31")), "conflict")
    """
    if period is None or period.is_open:
        return source
    return _Windowed(source, period)  # type: ignore[return-value]


def period_of(source: GraphSource) -> Period | None:
    """The period a source was wrapped in by ``windowed``, else None."""
    return source.period if isinstance(source, _Windowed) else None

