"""NEWS2, the Royal College of Physicians' National Early Warning Score 2 (2017).

Seven observations each score 0-3 and the sub-scores are summed. The wizard calls
:func:`news2` live as vital signs are entered, so it takes a :class:`Vitals` on its own and
returns ``None`` until all seven parameters are present: a partial score would look
reassuringly low.

>>> from triage.clinical.findings import Vitals
>>> v = Vitals(respiratory_rate=23, spo2=95, on_oxygen=False, systolic_bp=118,
...            heart_rate=104, consciousness="A", temperature=37.0)
>>> score = news2(v)
>>> score.score, score.band, score.respiratory_rate, score.spo2, score.heart_rate
(4, 'low', 2, 1, 1)
>>> score.monitoring
'Observations at least every 4-6 hours.'
>>> news2(Vitals(respiratory_rate=23)) is None
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, TypeAlias

from triage.clinical.findings import NEWS2_PARAMETERS, Vitals

Band: TypeAlias = Literal["low", "low_medium", "medium", "high"]
BANDS: tuple[Band, ...] = ("low", "low_medium", "medium", "high")
REFERENCE = "Royal College of Physicians. National Early Warning Score (NEWS) 2. London: RCP, 2017."
SUB_SCORES = (
    "respiratory_rate",
    "spo2",
    "air_or_oxygen",
    "systolic_bp",
    "heart_rate",
    "consciousness",
    "temperature",
)

# The clinical response and monitoring frequency each band calls for (RCP NEWS2 2017, in our
# own words). "low" is split by score: a score of 0 calls for routine monitoring only.
RESPONSES: dict[Band, str] = {
    "low": (
        "Ward-based response: a registered nurse assesses the patient and decides whether "
        "observations should be more frequent or care escalated."
    ),
    "low_medium": (
        "Urgent ward-based response: one parameter scores 3, so a registered nurse informs "
        "the medical team caring for the patient, who decide whether escalation is needed."
    ),
    "medium": (
        "Urgent response threshold: a clinician competent in assessing acutely ill patients "
        "reviews the patient urgently and decides whether critical care is needed."
    ),
    "high": (
        "Emergency response: a team with critical-care competencies assesses the patient "
        "at once; transfer to a higher level of care is usually needed."
    ),
}
RESPONSE_SCORE_0 = "Routine monitoring: continue the usual observations."
MONITORING_SCORE_0 = "Observations at least every 12 hours."
MONITORING: dict[Band, str] = {
    "low": "Observations at least every 4-6 hours.",
    "low_medium": "Observations at least every hour.",
    "medium": "Observations at least every hour.",
    "high": "Continuous monitoring of vital signs.",
}

_TENTH = Decimal("0.1")


def round_temperature(value: float) -> Decimal:
    """Round a temperature half up to one decimal, as NEWS2 scores it.

    ``str(value)`` is the shortest text that reads back as the same float, so 38.05 (stored as
    38.04999...) rounds as the clinician typed it, not as its binary approximation.

    >>> round_temperature(38.04), round_temperature(38.05), round_temperature(36)
    (Decimal('38.0'), Decimal('38.1'), Decimal('36.0'))
    """
    return Decimal(str(value)).quantize(_TENTH, rounding=ROUND_HALF_UP)


# How close to a tie (x.x5) ten times a temperature must come before its digits decide: far
# above the float error of ``value * 10 + 0.5`` below 10,000 degrees (under 1e-10), so the
# arithmetic is trusted only where it cannot be wrong, and small enough that only ties and
# near-ties (never a temperature as charted, such as 38.04) take the slower road.
_NEAR_TIE = 1e-9


def temperature_tenths(value: float) -> int:
    """:func:`round_temperature` as whole tenths of a degree, without ``Decimal``: the rules
    and the score compare tenths as integers, on every assessment.

    Away from a tie the arithmetic is exact enough: ``floor(value * 10 + 0.5)`` cannot be
    pushed across a whole number by float error unless its fraction is within ``_NEAR_TIE``
    of one. Near a tie (38.05 is stored as 38.04999...) the digits decide: those of
    ``repr(value)`` (the shortest text that reads back as the same float) are the number as
    written, and rounding half up at the first decimal looks only at the second.
    Temperatures are 30.0-45.0, so the text never has an exponent; anything else takes the
    ``Decimal`` road.

    >>> [temperature_tenths(t) for t in (38.04, 38.05, 36, 35.05, 38.0500001, 38.049999)]
    [380, 381, 360, 351, 381, 380]
    """
    if type(value) is int:
        return value * 10
    if type(value) is float and 0.0 <= value < 10_000.0:
        scaled = value * 10 + 0.5
        tenths = math.floor(scaled)
        if _NEAR_TIE < scaled - tenths < 1 - _NEAR_TIE:
            return tenths
    whole, _, fraction = repr(value).partition(".")
    if not (whole.isdigit() and fraction.isdigit()):
        return int(round_temperature(value).scaleb(1))
    fraction += "00"
    tenths = int(whole) * 10 + ord(fraction[0]) - 48
    return tenths + 1 if fraction[1] >= "5" else tenths


def score_respiratory_rate(rate: int) -> int:
    """
    >>> [score_respiratory_rate(r) for r in (8, 9, 11, 12, 20, 21, 24, 25)]
    [3, 1, 1, 0, 0, 2, 2, 3]
    """
    if rate <= 8:
        return 3
    if rate <= 11:
        return 1
    if rate <= 20:
        return 0
    if rate <= 24:
        return 2
    return 3


def score_spo2(spo2: int, scale: int, on_oxygen: bool) -> int:
    """Score SpO2 on scale 1, or on scale 2 (target 88-92%, hypercapnic respiratory failure).

    On scale 2 a high saturation scores only while on oxygen: over-oxygenation is the risk.

    >>> score_spo2(95, 1, False), score_spo2(95, 2, False), score_spo2(95, 2, True)
    (1, 0, 2)
    """
    if scale == 2:
        if spo2 <= 83:
            return 3
        if spo2 <= 85:
            return 2
        if spo2 <= 87:
            return 1
        if spo2 <= 92 or not on_oxygen:
            return 0
        if spo2 <= 94:
            return 1
        if spo2 <= 96:
            return 2
        return 3
    if spo2 <= 91:
        return 3
    if spo2 <= 93:
        return 2
    if spo2 <= 95:
        return 1
    return 0


def score_air_or_oxygen(on_oxygen: bool) -> int:
    return 2 if on_oxygen else 0


def score_systolic_bp(systolic: int) -> int:
    """
    >>> [score_systolic_bp(s) for s in (90, 91, 100, 101, 110, 111, 219, 220)]
    [3, 2, 2, 1, 1, 0, 0, 3]
    """
    if systolic <= 90:
        return 3
    if systolic <= 100:
        return 2
    if systolic <= 110:
        return 1
    if systolic <= 219:
        return 0
    return 3


def score_heart_rate(rate: int) -> int:
    """
    >>> [score_heart_rate(r) for r in (40, 41, 50, 51, 90, 91, 110, 111, 130, 131)]
    [3, 1, 1, 0, 0, 1, 1, 2, 2, 3]
    """
    if rate <= 40:
        return 3
    if rate <= 50:
        return 1
    if rate <= 90:
        return 0
    if rate <= 110:
        return 1
    if rate <= 130:
        return 2
    return 3


def score_consciousness(level: str) -> int:
    """Alert scores 0; new confusion, voice, pain or unresponsive all score 3."""
    return 0 if level == "A" else 3


def score_temperature(temperature: float) -> int:
    """Score the temperature after rounding half up to one decimal.

    >>> [score_temperature(t) for t in (35.0, 35.05, 36.0, 36.05, 38.0, 38.04, 38.05, 39.1)]
    [3, 1, 1, 0, 0, 0, 1, 2]
    """
    return _score_tenths(temperature_tenths(temperature))


def _score_tenths(tenths: int) -> int:
    # Whole tenths of a degree as an int, so the boundaries compare exactly.
    if tenths <= 350:
        return 3
    if tenths <= 360:
        return 1
    if tenths <= 380:
        return 0
    if tenths <= 390:
        return 1
    return 2


@dataclass(slots=True)
class News2:
    """A complete NEWS2 score with its sub-scores (one attribute per parameter)."""

    score: int
    band: Band
    respiratory_rate: int
    spo2: int
    air_or_oxygen: int
    systolic_bp: int
    heart_rate: int
    consciousness: int
    temperature: int
    spo2_scale: Literal[1, 2]
    temperature_tenths: int  # the temperature as scored, in whole tenths of a degree

    @property
    def temperature_scored(self) -> Decimal:
        return Decimal(self.temperature_tenths).scaleb(-1)

    @property
    def sub_scores(self) -> dict[str, int]:
        return {
            "respiratory_rate": self.respiratory_rate,
            "spo2": self.spo2,
            "air_or_oxygen": self.air_or_oxygen,
            "systolic_bp": self.systolic_bp,
            "heart_rate": self.heart_rate,
            "consciousness": self.consciousness,
            "temperature": self.temperature,
        }

    @property
    def single_parameter_3(self) -> bool:
        return 3 in (
            self.respiratory_rate,
            self.spo2,
            self.systolic_bp,
            self.heart_rate,
            self.consciousness,
            self.temperature,
        )

    @property
    def response(self) -> str:
        if self.score == 0:
            return RESPONSE_SCORE_0
        return RESPONSES[self.band]

    @property
    def monitoring(self) -> str:
        if self.score == 0:
            return MONITORING_SCORE_0
        return MONITORING[self.band]

    def to_dict(self) -> dict[str, object]:
        """The contract's ``news2`` object: exactly ``score`` and ``band``."""
        return {"score": self.score, "band": self.band}

    def detail_dict(self) -> dict[str, object]:
        """Sub-scores and the response the band calls for, for ``news2_detail``.

        The values of the properties above, worked out here without a call each (this runs
        on every assessment).
        """
        score, band = self.score, self.band
        return {
            "score": score,
            "band": band,
            "sub_scores": {
                "respiratory_rate": self.respiratory_rate,
                "spo2": self.spo2,
                "air_or_oxygen": self.air_or_oxygen,
                "systolic_bp": self.systolic_bp,
                "heart_rate": self.heart_rate,
                "consciousness": self.consciousness,
                "temperature": self.temperature,
            },
            "single_parameter_3": 3
            in (
                self.respiratory_rate,
                self.spo2,
                self.systolic_bp,
                self.heart_rate,
                self.consciousness,
                self.temperature,
            ),
            "spo2_scale": self.spo2_scale,
            "temperature_scored": self.temperature_tenths / 10,
            "response": RESPONSE_SCORE_0 if score == 0 else RESPONSES[band],
            "monitoring": MONITORING_SCORE_0 if score == 0 else MONITORING[band],
            "reference": REFERENCE,
        }


def band_for(score: int, single_parameter_3: bool) -> Band:
    """
    >>> band_for(4, False), band_for(4, True), band_for(5, True), band_for(7, False)
    ('low', 'low_medium', 'medium', 'high')
    """
    if score >= 7:
        return "high"
    if score >= 5:
        return "medium"
    if single_parameter_3:
        return "low_medium"
    return "low"


def missing_parameters(vitals: Vitals | None) -> tuple[str, ...]:
    """The NEWS2 parameters not recorded, in NEWS2 order (all seven when vitals is None)."""
    if vitals is None:
        return NEWS2_PARAMETERS
    return tuple(name for name in NEWS2_PARAMETERS if getattr(vitals, name) is None)


def news2(vitals: Vitals | None) -> News2 | None:
    """Score NEWS2, or return ``None`` unless all seven parameters are present."""
    if vitals is None:
        return None
    rr = vitals.respiratory_rate
    spo2 = vitals.spo2
    on_oxygen = vitals.on_oxygen
    systolic = vitals.systolic_bp
    heart_rate = vitals.heart_rate
    consciousness = vitals.consciousness
    temperature = vitals.temperature
    if (
        rr is None
        or spo2 is None
        or on_oxygen is None
        or systolic is None
        or heart_rate is None
        or consciousness is None
        or temperature is None
    ):
        return None
    scale = vitals.effective_spo2_scale
    tenths = temperature_tenths(temperature)
    parts = (
        score_respiratory_rate(rr),
        score_spo2(spo2, scale, on_oxygen),
        score_air_or_oxygen(on_oxygen),
        score_systolic_bp(systolic),
        score_heart_rate(heart_rate),
        score_consciousness(consciousness),
        _score_tenths(tenths),
    )
    total = sum(parts)
    return News2(total, band_for(total, 3 in parts), *parts, scale, tenths)
