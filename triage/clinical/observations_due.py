"""When the next observations are due, from the latest submitted assessment.

Each rule that applies asks for observations at least every so often; the most frequent one
wins. Vital signs follow the NEWS2 score (RCP NEWS2 2017, in our own words), are monitored
continuously after any red flag (an emergency), and in the first 48 hours after the procedure
are taken at least 4-hourly. Neuro checks are hourly after a red flag or pathway that points
at the spinal cord, nerves or brain, at least 4-hourly in the first 48 hours, and otherwise go
with each set of observations.

>>> from datetime import datetime, timedelta, timezone
>>> at = datetime(2026, 12, 6, 10, 0, tzinfo=timezone.utc)
>>> due = observations_due(at=at, news2_total=5, sub_scores=None, red_flags=(),
...                        pathways=(), procedure_at=at - timedelta(hours=72))
>>> f"{due.vitals_due:%H:%M}", every(due.vitals_interval), f"{due.neuro_due:%H:%M}"
('11:00', 'hourly', '11:00')
>>> due.reasons
('NEWS2 of 5: hourly observations',)
>>> observations_due(at=at, news2_total=7, sub_scores=None, red_flags=(), pathways=(),
...                  procedure_at=None).vitals_due
'continuous'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

CONTINUOUS: Literal["continuous"] = "continuous"
HOURLY = timedelta(hours=1)
FOUR_HOURLY = timedelta(hours=4)
TWELVE_HOURLY = timedelta(hours=12)
# The first 48 hours after the procedure, its last minute included.
EARLY_WINDOW = timedelta(hours=48)

# Red flags and pathways that point at the spinal cord, the nerve roots or the brain: each
# calls for hourly neuro checks. The safer reading takes every one that could mean a change in
# the neurology (an embolism to the brain and altered consciousness too), not only a new
# limb deficit.
NEURO_RED_FLAGS = frozenset(
    {
        "cord_compression",
        "progressive_neuro_deficit",
        "stroke_signs",
        "systemic_embolism",
        "altered_consciousness",
    }
)
NEURO_PATHWAYS = frozenset({"cord_compression", "cement_leak_neural"})
# The sub-scores that count as "a single parameter scoring 3" (air or oxygen scores at most 2).
SINGLE_PARAMETERS = (
    "respiratory_rate",
    "spo2",
    "systolic_bp",
    "heart_rate",
    "consciousness",
    "temperature",
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule that applied: how often it asks for observations (None: continuously), and
    why, in a nurse's words."""

    interval: timedelta | None
    reason: str


@dataclass(frozen=True, slots=True)
class ObservationsDue:
    """When the next vital signs and neuro checks are due, and why.

    ``vitals_due`` is ``"continuous"`` when the patient needs continuous monitoring (then
    ``vitals_interval`` is None). ``reasons`` lists every rule that applied, the most frequent
    first; the first one set the schedule.
    """

    at: datetime
    vitals_due: datetime | Literal["continuous"]
    vitals_interval: timedelta | None
    neuro_due: datetime
    neuro_interval: timedelta
    reasons: tuple[str, ...]

    @property
    def continuous(self) -> bool:
        return self.vitals_due == CONTINUOUS


def every(interval: timedelta) -> str:
    """An interval in words.

    >>> every(HOURLY), every(FOUR_HOURLY), every(timedelta(minutes=30))
    ('hourly', '4-hourly', 'every 30 minutes')
    """
    minutes = int(interval.total_seconds() // 60)
    if minutes == 60:
        return "hourly"
    if minutes % 60 == 0:
        return f"{minutes // 60}-hourly"
    return f"every {minutes} minutes"


def single_parameter_3(sub_scores: Mapping[str, int] | None, band: str | None = None) -> bool:
    """Whether any one parameter scores 3 (from the sub-scores, else from the stored band).

    >>> single_parameter_3({"spo2": 3}), single_parameter_3(None, "low_medium")
    (True, True)
    >>> single_parameter_3({"air_or_oxygen": 2}), single_parameter_3(None, "low")
    (False, False)
    """
    if sub_scores:
        return any(sub_scores.get(name) == 3 for name in SINGLE_PARAMETERS)
    return band == "low_medium"


def news2_rule(total: int | None, single_3: bool) -> Rule:
    """The observations NEWS2 asks for (RCP 2017 chart: 0 → 12-hourly, 1-4 → 4-6-hourly,
    taken as 4, a single 3 or 5-6 → hourly, 7 or more → continuous).

    A round without a complete NEWS2 cannot be banded: its observations are due within the
    hour, so that the score is completed rather than left unknown.

    >>> [news2_rule(t, False).interval for t in (0, 1, 4, 5, 6)] == [
    ...     TWELVE_HOURLY, FOUR_HOURLY, FOUR_HOURLY, HOURLY, HOURLY]
    True
    >>> news2_rule(7, False).interval is None, news2_rule(3, True).interval == HOURLY
    (True, True)
    """
    if total is None:
        return Rule(HOURLY, "NEWS2 not calculated (vital signs incomplete): hourly observations")
    if total >= 7:
        return Rule(None, f"NEWS2 of {total}: continuous monitoring")
    if total >= 5:
        return Rule(HOURLY, f"NEWS2 of {total}: hourly observations")
    if single_3:
        return Rule(HOURLY, f"NEWS2 of {total} with one observation scoring 3: hourly observations")
    if total >= 1:
        return Rule(FOUR_HOURLY, f"NEWS2 of {total}: 4-hourly observations")
    return Rule(TWELVE_HOURLY, "NEWS2 of 0: 12-hourly observations")


def early_rule(at: datetime, procedure_at: datetime | None) -> Rule | None:
    """At least 4-hourly vitals and neuro checks while within 48 hours of the procedure; an
    unknown procedure time counts as within them.

    >>> from datetime import timezone
    >>> t = datetime(2026, 12, 6, tzinfo=timezone.utc)
    >>> early_rule(t, t - timedelta(hours=48)).interval == FOUR_HOURLY
    True
    >>> early_rule(t, t - timedelta(hours=48, minutes=1)) is None
    True
    """
    if procedure_at is None:
        return Rule(
            FOUR_HOURLY,
            "Procedure time not recorded, so treated as within 48 hours: "
            "at least 4-hourly observations and neuro checks",
        )
    if at - procedure_at <= EARLY_WINDOW:
        return Rule(
            FOUR_HOURLY,
            "Within 48 hours of the procedure: at least 4-hourly observations and neuro checks",
        )
    return None


def neuro_rule(red_flags: Iterable[str], pathways: Iterable[str]) -> Rule | None:
    """Hourly neuro checks after a red flag or pathway of the cord, nerves or brain.

    >>> neuro_rule(["progressive_neuro_deficit"], []).reason
    'Weakness, numbness or another change in the nerves found: hourly neuro checks'
    >>> neuro_rule(["uncontrolled_pain"], ["infection"]) is None
    True
    """
    if NEURO_RED_FLAGS.intersection(red_flags) or NEURO_PATHWAYS.intersection(pathways):
        return Rule(
            HOURLY, "Weakness, numbness or another change in the nerves found: hourly neuro checks"
        )
    return None


def emergency_rule(red_flags: Iterable[str]) -> Rule | None:
    """Continuous monitoring after any red flag: the escalation is an emergency, and the
    vital signs are watched until the emergency team has seen the patient (the contract gives
    no schedule; a 4- or 12-hourly time beside "call the emergency team now" would reassure).

    >>> emergency_rule(["uncontrolled_pain"]).interval is None
    True
    >>> emergency_rule([]) is None
    True
    """
    if tuple(red_flags):
        return Rule(
            None,
            "A red flag (emergency): continuous monitoring until the emergency team has seen "
            "the patient",
        )
    return None


def _most_frequent(rules: Iterable[Rule]) -> list[Rule]:
    # Continuous (None) first, then the shortest interval; ties keep their order.
    return sorted(rules, key=lambda rule: (rule.interval is not None, rule.interval or HOURLY))


def observations_due(
    *,
    at: datetime,
    news2_total: int | None,
    sub_scores: Mapping[str, int] | None,
    red_flags: Iterable[str],
    pathways: Iterable[str],
    procedure_at: datetime | None,
    band: str | None = None,
) -> ObservationsDue:
    """The schedule after a round submitted at ``at``: the most frequent rule wins.

    Neuro checks follow the neuro and first-48-hours rules; with neither they go with each set
    of observations, and at least hourly when the vital signs are monitored continuously.
    """
    red_flags, pathways = tuple(red_flags), tuple(pathways)
    news2 = news2_rule(news2_total, single_parameter_3(sub_scores, band))
    emergency = emergency_rule(red_flags)
    early = early_rule(at, procedure_at)
    neuro = neuro_rule(red_flags, pathways)
    vitals_rules = _most_frequent([rule for rule in (emergency, news2, early) if rule])
    vitals_interval = vitals_rules[0].interval
    neuro_rules = [rule for rule in (neuro, early) if rule is not None]
    neuro_interval = min(
        [rule.interval for rule in neuro_rules if rule.interval is not None]
        + [vitals_interval or HOURLY]
    )
    reasons = [
        rule.reason for rule in _most_frequent([r for r in (emergency, news2, *neuro_rules) if r])
    ]
    return ObservationsDue(
        at=at,
        vitals_due=CONTINUOUS if vitals_interval is None else at + vitals_interval,
        vitals_interval=vitals_interval,
        neuro_due=at + neuro_interval,
        neuro_interval=neuro_interval,
        reasons=tuple(dict.fromkeys(reasons)),
    )
