"""Hypothesis strategies for valid findings, including partial and empty sections."""

from __future__ import annotations

from hypothesis import strategies as st

from triage.clinical.findings import (
    BOWEL_BLADDER_STATUSES,
    CONSCIOUSNESS_LEVELS,
    IMAGING_FINDINGS,
    LEVELS,
    MODALITIES,
    NEURO_STATUSES,
    OXYGEN_REASONS,
    PAIN_COURSES,
)

ABNORMAL_IMAGING = tuple(code for code in IMAGING_FINDINGS if code != "no_leak")

temperatures = st.one_of(
    st.integers(300, 450).map(lambda tenths: tenths / 10),  # as charted: one decimal
    st.floats(30.0, 45.0, allow_nan=False),  # any float, including the x.x5 rounding cases
    st.integers(30, 45),
)

procedure = st.fixed_dictionaries(
    {},
    optional={
        "hours_since": st.one_of(st.integers(0, 8760), st.floats(0, 8760, allow_nan=False)),
        "levels": st.lists(st.sampled_from(LEVELS), unique=True, min_size=1, max_size=4),
    },
)
symptoms = st.fixed_dictionaries(
    {},
    optional={
        "pain_score": st.integers(0, 10),
        "pain_course": st.sampled_from(PAIN_COURSES),
        "radicular_pain": st.booleans(),
        "chest_pain": st.booleans(),
        "dyspnoea": st.booleans(),
        "uncontrolled_despite_analgesia": st.booleans(),
    },
)
neuro = st.fixed_dictionaries(
    {},
    optional={
        "motor": st.sampled_from(NEURO_STATUSES),
        "sensory": st.sampled_from(NEURO_STATUSES),
        "upper_limb": st.sampled_from(NEURO_STATUSES),
        "bowel_bladder": st.sampled_from(BOWEL_BLADDER_STATUSES),
        "focal_signs": st.booleans(),
    },
)
VITALS = {
    "respiratory_rate": st.integers(0, 80),
    "spo2": st.integers(50, 100),
    "spo2_scale": st.sampled_from((1, 2)),
    "on_oxygen": st.booleans(),
    "systolic_bp": st.integers(40, 300),
    "heart_rate": st.integers(20, 250),
    "consciousness": st.sampled_from(CONSCIOUSNESS_LEVELS),
    "temperature": temperatures,
}
NEWS2_KEYS = tuple(key for key in VITALS if key != "spo2_scale")


@st.composite
def _with_oxygen_reason(draw: st.DrawFn, base: st.SearchStrategy[dict]) -> dict:
    """Vitals, with a reason for oxygen (sometimes) when the patient is on oxygen."""
    vitals = draw(base)
    if vitals.get("on_oxygen") is True and draw(st.booleans()):
        vitals["oxygen_reason"] = draw(st.sampled_from(OXYGEN_REASONS))
    return vitals


vitals = _with_oxygen_reason(st.fixed_dictionaries({}, optional=VITALS))
# All seven NEWS2 parameters (scale optional), so NEWS2 is always scored.
complete_vitals = _with_oxygen_reason(
    st.fixed_dictionaries(
        {key: VITALS[key] for key in NEWS2_KEYS}, optional={"spo2_scale": VITALS["spo2_scale"]}
    )
)
modalities = st.sampled_from(MODALITIES)
scan_findings = st.one_of(
    st.just(["no_leak"]),
    st.lists(st.sampled_from(ABNORMAL_IMAGING), unique=True, min_size=1, max_size=4),
)
imaging = st.one_of(
    st.just({}),
    st.fixed_dictionaries({}, optional={"modality": modalities}),
    st.fixed_dictionaries({"status": st.just("not_done")}, optional={"modality": modalities}),
    st.fixed_dictionaries({"status": st.just("requested")}, optional={"modality": modalities}),
    st.fixed_dictionaries(
        {"status": st.just("done"), "modality": modalities, "findings": scan_findings},
        optional={"after_current_symptoms": st.booleans()},
    ),
)

findings = st.fixed_dictionaries(
    {},
    optional={
        "procedure": procedure,
        "symptoms": symptoms,
        "neuro": neuro,
        "vitals": vitals,
        "imaging": imaging,
    },
)
# Every section present and scored: the patients transient pain could be offered to.
checked_findings = st.fixed_dictionaries(
    {
        "symptoms": symptoms.filter(bool),
        "neuro": neuro.filter(bool),
        "vitals": complete_vitals,
    },
    optional={"procedure": procedure, "imaging": imaging},
)
# Completely examined patients, mostly unremarkable, so that reassurance is often offered and
# the properties about it are tested where it matters.
_calm = {
    "pain_score": st.integers(0, 10),
    "pain_course": st.sampled_from(PAIN_COURSES),
    "radicular_pain": st.booleans(),
    "chest_pain": st.just(False),
    "dyspnoea": st.just(False),
    "uncontrolled_despite_analgesia": st.booleans(),
}
complete_findings = st.fixed_dictionaries(
    {
        "procedure": st.fixed_dictionaries(
            {"hours_since": st.one_of(st.integers(0, 100), st.floats(0, 100, allow_nan=False))},
            optional={"levels": procedure.map(lambda p: p.get("levels") or ["L1"])},
        ),
        "symptoms": st.fixed_dictionaries(_calm),
        "neuro": st.fixed_dictionaries(
            {
                "motor": st.sampled_from(("normal", "normal", "stable_deficit")),
                "sensory": st.sampled_from(("normal", "normal", "stable_deficit")),
                "bowel_bladder": st.sampled_from(("normal", "stable_dysfunction")),
                "focal_signs": st.just(False),
            },
            optional={"upper_limb": st.sampled_from(("normal", "stable_deficit"))},
        ),
        "vitals": _with_oxygen_reason(
            st.fixed_dictionaries(
                {
                    "respiratory_rate": st.integers(9, 24),
                    "spo2": st.integers(90, 100),
                    "on_oxygen": st.booleans(),
                    "systolic_bp": st.integers(95, 200),
                    "heart_rate": st.integers(45, 120),
                    "consciousness": st.sampled_from("AAAAC"),
                    "temperature": st.integers(355, 390).map(lambda tenths: tenths / 10),
                }
            )
        ),
    },
    optional={"imaging": imaging},
)
