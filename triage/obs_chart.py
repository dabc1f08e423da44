"""The observation chart: every submitted round's vital signs and NEWS2 laid out as the RCP
NEWS2 chart lays them out (a row per parameter, time across, each cell coloured by its
sub-score), as geometry for a server-drawn SVG and the same figures as a table.

Read from the rounds' stored findings and assessments only (no query, no rule run again): the
chart shows what each round recorded and scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from django.utils import timezone

from triage.content_digest import digest
from triage.models import Round

# (key in the findings' vitals and the NEWS2 sub-scores, row label, unit), in the chart's order.
PARAMETERS: tuple[tuple[str, str, str], ...] = (
    ("respiratory_rate", "Respiration rate", "per min"),
    ("spo2", "SpO2", "%"),
    ("air_or_oxygen", "Air or oxygen", ""),
    ("systolic_bp", "Systolic BP", "mmHg"),
    ("heart_rate", "Pulse", "per min"),
    ("consciousness", "Consciousness", ""),
    ("temperature", "Temperature", "°C"),
)
TOTAL = ("news2", "NEWS2 total", "")
# The NEWS2 total is coloured by its band (a single 3 on its own is the "low, but" band).
TOTAL_BANDS = {"low": 1, "low_medium": 2, "medium": 2, "high": 3}
CONSCIOUSNESS = {"A": "Alert", "C": "New confusion", "V": "Voice", "P": "Pain", "U": "Unresponsive"}

LABEL_WIDTH = 128
COLUMN_WIDTH = 76
HEADER_HEIGHT = 44
ROW_HEIGHT = 34
GAP = 2


@dataclass(frozen=True, slots=True)
class Mark:
    """One round's figure for one parameter: its cell, its text and its sub-score."""

    parameter: str
    round_number: int
    x: int
    y: int
    text: str
    long_text: str  # for the table (consciousness spelled out, the scale of SpO2)
    score: int | None  # None: not recorded or not scored

    @property
    def css_class(self) -> str:
        return "app-obs-unscored" if self.score is None else f"app-obs-score-{self.score}"

    @property
    def text_x(self) -> int:
        return self.x + (COLUMN_WIDTH - 2 * GAP) // 2

    @property
    def text_y(self) -> int:
        return self.y + (ROW_HEIGHT - 2 * GAP) // 2 + 5


@dataclass(frozen=True, slots=True)
class Column:
    round_number: int
    title: str
    day: str
    time: str
    x: int

    @property
    def text_x(self) -> int:
        return self.x + COLUMN_WIDTH // 2


@dataclass(frozen=True, slots=True)
class Row:
    parameter: str
    label: str
    unit: str
    y: int
    marks: tuple[Mark, ...]
    is_total: bool = False

    @property
    def text_y(self) -> int:
        return self.y + ROW_HEIGHT // 2 + 5


# All a chart is drawn from: each submitted round's number, time, vital signs, NEWS2 (score and
# band) and NEWS2 sub-scores, oldest first.
Figures = tuple[tuple[int, datetime | None, dict[str, Any], dict[str, Any], dict[str, Any]], ...]


@dataclass(frozen=True)
class Chart:
    """The rounds' columns (``width`` wide, scrolled on a narrow screen) beside the row labels
    (``label_width`` wide, always in view). Laid out when first drawn: a chart whose rendered
    HTML is kept (under its key) is never laid out."""

    figures: Figures
    # The key of its rendered HTML: a digest of all it is drawn from (its figures, and the time
    # zone its times are written in). The chart is a function of these alone, so two charts
    # share it only when identical.
    key: str

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        columns = []
        for index, (number, submitted_at, *_) in enumerate(self.figures):
            at = timezone.localtime(submitted_at) if submitted_at else None
            columns.append(
                Column(
                    round_number=number,
                    title="First assessment" if number == 1 else f"Reassessment {number}",
                    day=f"{at.day} {at:%b}" if at else "",
                    time=f"{at:%H:%M}" if at else "",
                    x=index * COLUMN_WIDTH,
                )
            )
        return tuple(columns)

    @cached_property
    def rows(self) -> tuple[Row, ...]:
        rows = []
        for row_index, (parameter, label, unit) in enumerate((*PARAMETERS, TOTAL)):
            y = HEADER_HEIGHT + row_index * ROW_HEIGHT
            marks = []
            for column, figures in zip(self.columns, self.figures, strict=True):
                number, _, vitals, news2, sub_scores = figures
                if parameter == "news2":
                    score = news2.get("score")
                    text = long_text = "—" if score is None else str(score)
                    band = (
                        None if score is None else 0 if score == 0 else TOTAL_BANDS[news2["band"]]
                    )
                else:
                    text, long_text = _value_text(parameter, vitals)
                    band = sub_scores.get(parameter)
                marks.append(
                    Mark(parameter, number, column.x + GAP, y + GAP, text, long_text, band)
                )
            rows.append(Row(parameter, label, unit, y, tuple(marks), is_total=parameter == "news2"))
        return tuple(rows)

    @property
    def width(self) -> int:
        return len(self.figures) * COLUMN_WIDTH

    @property
    def height(self) -> int:
        return HEADER_HEIGHT + (len(PARAMETERS) + 1) * ROW_HEIGHT

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH

    @property
    def cell_width(self) -> int:
        return COLUMN_WIDTH - 2 * GAP

    @property
    def cell_height(self) -> int:
        return ROW_HEIGHT - 2 * GAP


def _value_text(parameter: str, vitals: dict[str, Any]) -> tuple[str, str]:
    """A recorded value, short (for the chart cell) and long (for the table)."""
    if parameter == "air_or_oxygen":
        on_oxygen = vitals.get("on_oxygen")
        if on_oxygen is None:
            return "—", "not recorded"
        return ("O2", "Oxygen") if on_oxygen else ("Air", "Air")
    value = vitals.get(parameter)
    if value is None:
        return "—", "not recorded"
    if parameter == "consciousness":
        return str(value), CONSCIOUSNESS.get(str(value), str(value))
    if parameter == "temperature":
        return f"{float(value):.1f}", f"{float(value):.1f} °C"
    if parameter == "spo2" and vitals.get("spo2_scale") == 2:
        return f"{value}", f"{value}% (scale 2)"
    unit = dict((key, unit) for key, _, unit in PARAMETERS)[parameter]
    return str(value), f"{value} {unit}".replace(" %", "%")


def observation_chart(rounds: list[Round]) -> Chart | None:
    """The chart of the submitted rounds, oldest on the left; None when none is submitted."""
    submitted = [r for r in rounds if r.status == Round.Status.SUBMITTED and r.assessment]
    if not submitted:
        return None
    figures: Figures = tuple(
        (
            round.number,
            round.submitted_at,
            (round.findings or {}).get("vitals") or {},
            (round.assessment or {}).get("news2") or {},
            ((round.assessment or {}).get("news2_detail") or {}).get("sub_scores") or {},
        )
        for round in submitted
    )
    return Chart(figures, key=digest((timezone.get_current_timezone_name(), figures)))
