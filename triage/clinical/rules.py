"""The decision rules of the assessment contract (v2): findings in, assessment out.

``shared/clinical/assessment-contract.md`` is normative; each function below implements one of
its paragraphs and says so. Where the contract is silent the code takes the more escalating
choice, and each such choice is listed under *Decisions where the contract is silent* in
``docs/hazard-log.md``.

Three principles run through it. A missing finding is "not assessed", never "normal": rules
that need a finding to be *true* simply do not fire, and the warnings say what was not checked.
Reassurance (the ``transient_pain`` pathway) is offered only to a completely examined patient
with nothing else found. And a scan excludes only what it could show: only a scan made after
the current symptoms rules anything out, and only an MRI rules out cord compression.

Each red flag and pathway carries ``reason`` (the findings in a nurse's words) and ``because``
(machine-readable traces, for the stored snapshot and the API, never for the page).

>>> from triage.clinical.findings import parse_findings
>>> a = assess(parse_findings({
...     "symptoms": {"chest_pain": True},
...     "vitals": {"respiratory_rate": 23},
... }))
>>> [(flag.code, flag.reason) for flag in a.red_flags]
[('respiratory_distress', 'New chest pain; Fast breathing (respiratory rate 23/min)')]
>>> [(p.code, p.status) for p in a.pathways], a.imaging.code, a.escalation.code
([('cement_embolism', 'suspected')], 'emergency', 'emergency')
>>> a.not_assessed, a.incomplete
(('procedure', 'neuro', 'imaging'), ('symptoms', 'vitals'))
"""

from __future__ import annotations

from functools import lru_cache
from operator import attrgetter

from triage.clinical import explain
from triage.clinical.assessment import (
    Assessment,
    DerivedSigns,
    Escalation,
    ImagingAdvice,
    Pathway,
    RedFlag,
)
from triage.clinical.early_warning import News2, missing_parameters, news2, temperature_tenths
from triage.clinical.findings import (
    NEURO_REQUIRED,
    NEWS2_PARAMETERS,
    SYMPTOM_FIELDS,
    UPPER_LIMB_LEVELS,
    Findings,
    Imaging,
    Neuro,
    Symptoms,
    Vitals,
    needs_upper_limb,
)

TACHYPNOEA_ABOVE = 20
BRADYPNOEA_AT_MOST = 8
TACHYCARDIA_ABOVE = 100
HYPOXIA_BELOW = {1: 94, 2: 88}  # by SpO2 scale
SHOCK_SYSTOLIC_AT_MOST = 90
SHOCK_PULSE_AT_MOST = 40
SHOCK_PULSE_FROM = 131
FEVER_FROM_TENTHS = 381  # 38.1 °C, after rounding half up to one decimal
ROUTINE_OXYGEN_MAX_HOURS = 6
SEVERE_PAIN_FROM = 7
NEWS2_HIGH_FROM = 7
TRANSIENT_PAIN_MAX_HOURS = 72
LATE_PAIN_AFTER_HOURS = 72

_DEFICITS = frozenset(("new_deficit", "worsening_deficit"))
_DYSFUNCTIONS = frozenset(("new_dysfunction", "worsening_dysfunction"))
_NEURAL_LEAKS = ("foraminal_leak", "epidural_leak")
_EMBOLISMS = ("pulmonary_cement_embolism", "cardiac_cement_embolism", "cerebral_cement_embolism")
_SYSTEMIC_EMBOLISMS = ("cardiac_cement_embolism", "cerebral_cement_embolism")
# Red flags whose systemic signs suspect a cement embolism (contract: cement_embolism).
_EMBOLISM_SIGNS = (
    "stroke_signs",
    "altered_consciousness",
    "respiratory_distress",
    "circulatory_compromise",
)
_EMBOLISM_SIGN_TITLES = {code: explain.RED_FLAG_TITLES[code] + ": " for code in _EMBOLISM_SIGNS}
_EMBOLISM_SIGN_BECAUSE = {code: f"red_flags includes {code}" for code in _EMBOLISM_SIGNS}
# Red flags beside which a neural leak may need decompression, not an injection.
_DEFICIT_FLAGS = frozenset(("cord_compression", "progressive_neuro_deficit"))
# Confirmed pathways that reassurance may stand beside: usually asymptomatic.
_BENIGN_CONFIRMED = frozenset(("cement_leak_venous", "cement_leak_intradiscal"))
# The further study each suspected pathway needs (imaging stays urgent until it is done).
_NEXT_STUDY = {
    "cord_compression": "MRI of the spine",
    "cement_embolism": "CT pulmonary angiogram",
    "cement_leak_neural": "CT or MRI of the treated level",
    "infection": "MRI with contrast",
    "adjacent_fracture": "MRI with STIR or T2 fat-saturated sequences",
}
_NO_FINDINGS: tuple[str, ...] = ()

# A trigger is (human text, machine-readable "because" entry).
_Trigger = tuple[str, str]


def _join(triggers: list[_Trigger]) -> tuple[str, tuple[str, ...]]:
    if len(triggers) == 1:  # the usual case, without zip's cost
        text, why = triggers[0]
        return text, (why,)
    texts, because = zip(*triggers, strict=True)
    return "; ".join(texts), because


def _hours_since(findings: Findings) -> float | None:
    procedure = findings.procedure
    return None if procedure is None else procedure.hours_since


# --- Derived signs -------------------------------------------------------------------------


def derive_signs(findings: Findings) -> DerivedSigns:
    """The contract's derived signs; ``None`` when the observation they need is missing
    (which the rules read as false).

    >>> from triage.clinical.findings import Findings, Vitals
    >>> s = derive_signs(Findings(vitals=Vitals(respiratory_rate=8, heart_rate=96,
    ...     systolic_bp=95, on_oxygen=True, oxygen_reason="long_term", temperature=38.05)))
    >>> s.bradypnoea, s.shock, s.new_oxygen_requirement, s.fever, s.hypoxia
    (True, True, False, True, None)
    """
    imaging = findings.imaging
    scan_done = imaging is not None and imaging.excludes
    mri_done = scan_done and imaging is not None and imaging.mri_excludes
    vitals = findings.vitals
    if vitals is None:
        return DerivedSigns(None, None, None, None, None, None, None, None, scan_done, mri_done)
    rr, spo2, hr, sbp = vitals.respiratory_rate, vitals.spo2, vitals.heart_rate, vitals.systolic_bp
    temperature, consciousness = vitals.temperature, vitals.consciousness
    if sbp is None and hr is None:
        shock = None
    else:
        shock = (
            (sbp is not None and sbp <= SHOCK_SYSTOLIC_AT_MOST)
            or (hr is not None and (hr <= SHOCK_PULSE_AT_MOST or hr >= SHOCK_PULSE_FROM))
            or (hr is not None and sbp is not None and hr >= sbp)
        )
    tachypnoea = None if rr is None else rr > TACHYPNOEA_ABOVE
    bradypnoea = None if rr is None else rr <= BRADYPNOEA_AT_MOST
    hypoxia = None if spo2 is None else spo2 < HYPOXIA_BELOW[vitals.effective_spo2_scale]
    new_oxygen_requirement = _new_oxygen_requirement(vitals, _hours_since(findings))
    tachycardia = None if hr is None else hr > TACHYCARDIA_ABOVE
    fever = None if temperature is None else temperature_tenths(temperature) >= FEVER_FROM_TENTHS
    altered_consciousness = None if consciousness is None else consciousness != "A"
    # Positional, in field order: keyword arguments cost a dictionary per call.
    return DerivedSigns(
        tachypnoea,
        bradypnoea,
        hypoxia,
        new_oxygen_requirement,
        tachycardia,
        shock,
        fever,
        altered_consciousness,
        scan_done,
        mri_done,
    )


def _new_oxygen_requirement(vitals: Vitals, hours: float | None) -> bool | None:
    """On oxygen, unless it is home oxygen, or routine oxygen in the first 6 hours after the
    procedure. A missing reason counts as oxygen started for a falling saturation."""
    if vitals.on_oxygen is None:
        return None
    if not vitals.on_oxygen:
        return False
    reason = vitals.oxygen_reason
    if reason == "long_term":
        return False
    return not (reason == "routine" and hours is not None and hours <= ROUTINE_OXYGEN_MAX_HOURS)


# --- Red flags -------------------------------------------------------------------------------
#
# The words of a trigger that reads a single observation depend on that value alone, and
# formatting them is a good part of an assessment's cost; the range of each observation is
# small, so each text is written once per value and kept. ``typed``: True and 1, or 90 and
# 90.0, are equal keys but are written differently.


@lru_cache(maxsize=128, typed=True)  # respiratory rate 0-80
def _fast_breathing(rr: int) -> _Trigger:
    return (
        f"Fast breathing (respiratory rate {rr}/min)",
        f"vitals.respiratory_rate = {rr} (> {TACHYPNOEA_ABOVE})",
    )


@lru_cache(maxsize=128, typed=True)  # respiratory rate 0-80
def _slow_breathing(rr: int) -> tuple[str, tuple[str, ...]]:
    return (
        f"Slow breathing (respiratory rate {rr}/min)",
        (f"vitals.respiratory_rate = {rr} (<= {BRADYPNOEA_AT_MOST})",),
    )


@lru_cache(maxsize=128, typed=True)  # SpO2 50-100 on one of two scales
def _low_saturation(spo2: int, scale: int) -> _Trigger:
    return (
        f"Low oxygen saturation (SpO2 {spo2}% on scale {scale})",
        f"vitals.spo2 = {spo2} (< {HYPOXIA_BELOW[scale]} on scale {scale})",
    )


@lru_cache(maxsize=128, typed=True)  # systolic 40-90
def _low_blood_pressure(sbp: int) -> _Trigger:
    return (
        f"Low blood pressure (systolic {sbp} mmHg)",
        f"vitals.systolic_bp = {sbp} (<= {SHOCK_SYSTOLIC_AT_MOST})",
    )


@lru_cache(maxsize=256, typed=True)  # pulse 20-40 or 131-250
def _abnormal_pulse(hr: int) -> _Trigger:
    if hr <= SHOCK_PULSE_AT_MOST:
        return (f"Slow pulse ({hr}/min)", f"vitals.heart_rate = {hr} (<= {SHOCK_PULSE_AT_MOST})")
    return (f"Very fast pulse ({hr}/min)", f"vitals.heart_rate = {hr} (>= {SHOCK_PULSE_FROM})")


@lru_cache(maxsize=32, typed=True)  # NEWS2 7-20
def _high_news2(score: int) -> tuple[str, tuple[str, ...]]:
    return (
        f"NEWS2 score {score} (high)",
        (f"news2.score = {score} (>= {NEWS2_HIGH_FROM})",),
    )


@lru_cache(maxsize=16, typed=True)  # pain score 7-10
def _uncontrolled_pain(pain_score: int) -> tuple[str, tuple[str, ...]]:
    return (
        f"Pain {pain_score}/10 not controlled despite adequate analgesia",
        (
            f"symptoms.pain_score = {pain_score} (>= {SEVERE_PAIN_FROM})",
            "symptoms.uncontrolled_despite_analgesia = true",
        ),
    )


_PROGRESSION_FIELDS = ("motor", "sensory", "upper_limb", "bowel_bladder")
_progression_values = attrgetter(*_PROGRESSION_FIELDS)
# The trigger of each new or worsening neuro finding; its words depend only on the field and
# the value, so they are written once.
_PROGRESSION_TRIGGERS: dict[tuple[str, str], _Trigger] = {
    (name, value): (explain.describe_finding(f"neuro.{name}", value), f"neuro.{name} = {value}")
    for name in _PROGRESSION_FIELDS
    for value in sorted(_DYSFUNCTIONS if name == "bowel_bladder" else _DEFICITS)
}
_PROGRESSIONS = _DEFICITS | _DYSFUNCTIONS


def _neuro_triggers(neuro: Neuro | None) -> list[_Trigger]:
    if neuro is None:
        return []
    values = _progression_values(neuro)
    if _PROGRESSIONS.isdisjoint(values):  # most patients: nothing new or worse
        return []
    return [
        _PROGRESSION_TRIGGERS[name, value]
        for name, value in zip(_PROGRESSION_FIELDS, values, strict=True)
        if (name, value) in _PROGRESSION_TRIGGERS
    ]


_FOCAL_SIGNS_TRIGGER: _Trigger = (
    explain.describe_finding("neuro.focal_signs", True),
    "neuro.focal_signs = true",
)


def _stroke_triggers(findings: Findings) -> list[_Trigger]:
    neuro = findings.neuro
    if neuro is None:
        return []
    triggers: list[_Trigger] = []
    if neuro.focal_signs:
        triggers.append(_FOCAL_SIGNS_TRIGGER)
    levels = findings.procedure.levels if findings.procedure is not None else None
    if (
        neuro.upper_limb in _DEFICITS
        and levels is not None
        and UPPER_LIMB_LEVELS.isdisjoint(levels)
    ):
        triggers.append(
            (
                explain.describe_finding("neuro.upper_limb", neuro.upper_limb)
                + ", which the treated level ("
                + ", ".join(levels)
                + ") cannot explain",
                f"neuro.upper_limb = {neuro.upper_limb} with procedure.levels "
                f"{','.join(levels)} (none C1-T1)",
            )
        )
    return triggers


def _oxygen_text(vitals: Vitals, hours: float | None) -> str:
    reason = vitals.oxygen_reason
    if reason == "routine":
        if hours is None:
            return "routine oxygen, time since the procedure not recorded"
        return (
            f"routine oxygen still needed {explain.format_number(hours)} hours after the procedure"
        )
    if reason == "low_saturation":
        return "oxygen started or increased for a low SpO2"
    return "on oxygen, reason not recorded"


def _respiratory_triggers(
    findings: Findings, signs: DerivedSigns, hours: float | None
) -> list[_Trigger]:
    triggers: list[_Trigger] = []
    symptoms = findings.symptoms
    if symptoms is not None:
        if symptoms.chest_pain:
            triggers.append(("New chest pain", "symptoms.chest_pain = true"))
        if symptoms.dyspnoea:
            triggers.append(("New or worse breathlessness", "symptoms.dyspnoea = true"))
    vitals = findings.vitals
    if vitals is None:
        return triggers
    if signs.tachypnoea:
        triggers.append(_fast_breathing(vitals.respiratory_rate))
    if signs.hypoxia:
        triggers.append(_low_saturation(vitals.spo2, vitals.effective_spo2_scale))
    if signs.new_oxygen_requirement:
        reason = vitals.oxygen_reason or "not recorded"
        triggers.append(
            (
                f"New oxygen requirement ({_oxygen_text(vitals, hours)})",
                f"vitals.on_oxygen = true, oxygen_reason = {reason}",
            )
        )
    return triggers


def _shock_triggers(vitals: Vitals) -> list[_Trigger]:
    sbp, hr = vitals.systolic_bp, vitals.heart_rate
    triggers: list[_Trigger] = []
    if sbp is not None and sbp <= SHOCK_SYSTOLIC_AT_MOST:
        triggers.append(_low_blood_pressure(sbp))
    if hr is not None and (hr <= SHOCK_PULSE_AT_MOST or hr >= SHOCK_PULSE_FROM):
        triggers.append(_abnormal_pulse(hr))
    if hr is not None and sbp is not None and hr >= sbp:
        index = f"{hr / sbp:.1f}"
        triggers.append(
            (
                f"Pulse {hr}/min at or above the systolic {sbp} mmHg (shock index {index})",
                f"vitals.heart_rate = {hr} >= vitals.systolic_bp = {sbp}",
            )
        )
    return triggers


def red_flags(
    findings: Findings, score: News2 | None, signs: DerivedSigns, hours: float | None
) -> tuple[RedFlag, ...]:
    """The contract's red flags, in contract order."""
    flags: list[RedFlag] = []
    imaging = findings.imaging
    found = (imaging.findings or _NO_FINDINGS) if imaging is not None else _NO_FINDINGS
    if "cord_compression" in found:
        flags.append(
            RedFlag(
                "cord_compression",
                "Spinal cord compression on imaging",
                ("imaging.findings includes cord_compression",),
            )
        )
    # (Most patients have no scan findings: "if found" skips building an empty list.)
    systemic = [code for code in _SYSTEMIC_EMBOLISMS if code in found] if found else []
    if systemic:
        flags.append(
            RedFlag(
                "systemic_embolism",
                " and ".join(explain.IMAGING_FINDING_TEXT[code] for code in systemic)
                + " on imaging",
                tuple(f"imaging.findings includes {code}" for code in systemic),
            )
        )
    neuro = _neuro_triggers(findings.neuro)
    if neuro:
        flags.append(RedFlag("progressive_neuro_deficit", *_join(neuro)))
    stroke = _stroke_triggers(findings)
    if stroke:
        flags.append(RedFlag("stroke_signs", *_join(stroke)))
    vitals = findings.vitals
    if signs.altered_consciousness and vitals is not None:
        level = vitals.consciousness
        flags.append(
            RedFlag(
                "altered_consciousness",
                f"{explain.describe_finding('vitals.consciousness', level)} (ACVPU {level})",
                (f"vitals.consciousness = {level}",),
            )
        )
    respiratory = _respiratory_triggers(findings, signs, hours)
    if respiratory:
        flags.append(RedFlag("respiratory_distress", *_join(respiratory)))
    if signs.bradypnoea and vitals is not None:
        flags.append(RedFlag("respiratory_depression", *_slow_breathing(vitals.respiratory_rate)))
    if signs.shock and vitals is not None:
        flags.append(RedFlag("circulatory_compromise", *_join(_shock_triggers(vitals))))
    if score is not None and score.score >= NEWS2_HIGH_FROM:
        flags.append(RedFlag("news2_high", *_high_news2(score.score)))
    symptoms = findings.symptoms
    if (
        symptoms is not None
        and symptoms.pain_score is not None
        and symptoms.pain_score >= SEVERE_PAIN_FROM
        and symptoms.uncontrolled_despite_analgesia
    ):
        flags.append(RedFlag("uncontrolled_pain", *_uncontrolled_pain(symptoms.pain_score)))
    return tuple(flags)


# --- Pathways --------------------------------------------------------------------------------


def _scan_gap(imaging: Imaging | None) -> tuple[str, str]:
    """Why the scan so far does not rule a pathway out: (human text, "because" entry)."""
    if imaging is None or imaging.status is None:
        return "no scan recorded", "imaging.status not recorded (not done)"
    if imaging.status != "done":
        text = "scan requested, not yet done" if imaging.status == "requested" else "no scan yet"
        return text, f"imaging.status = {imaging.status} (not done)"
    if imaging.after_current_symptoms is not True:
        return (
            "the scan is not known to be from after the current symptoms began",
            "imaging.after_current_symptoms is not true (the scan excludes nothing)",
        )
    # Done after the symptoms, but without an MRI, where an MRI is needed.
    return "a CT cannot rule it out", f"imaging.modality = {imaging.modality} (no MRI)"


# What a confirming finding says, fixed per finding: written once.
_CONFIRMED_BY: dict[str, tuple[str, tuple[str, ...]]] = {
    finding: (text + " on imaging", (f"imaging.findings includes {finding}",))
    for finding, text in explain.IMAGING_FINDING_TEXT.items()
}


def _confirmed(code: str, finding: str) -> Pathway:
    return Pathway(code, "confirmed", *_CONFIRMED_BY[finding])


# The courses that suspect a fracture whatever the time since the procedure, in words.
_FRACTURE_COURSES: dict[str, _Trigger] = {
    course: (
        explain.describe_finding("symptoms.pain_course", course),
        f"symptoms.pain_course = {course}",
    )
    for course in ("sudden_increase_after_improvement", "new_back_pain")
}


def _adjacent_fracture_trigger(symptoms: Symptoms | None, hours: float | None) -> _Trigger | None:
    course = symptoms.pain_course if symptoms is not None else None
    if course in ("sudden_increase_after_improvement", "new_back_pain"):
        return _FRACTURE_COURSES[course]
    if course == "worse_since_procedure":
        if hours is None:
            return (
                "Pain worse since the procedure, at an unknown time after it",
                "symptoms.pain_course = worse_since_procedure, procedure.hours_since not recorded",
            )
        if hours > LATE_PAIN_AFTER_HOURS:
            return (
                f"Pain worse since the procedure, {explain.format_number(hours)} hours after "
                f"it (more than {LATE_PAIN_AFTER_HOURS})",
                f"symptoms.pain_course = worse_since_procedure, procedure.hours_since = "
                f"{explain.format_number(hours)} (> {LATE_PAIN_AFTER_HOURS})",
            )
    return None


def causes(
    findings: Findings,
    flag_by_code: dict[str, RedFlag],
    signs: DerivedSigns,
    hours: float | None,
) -> list[Pathway]:
    """The contract's pathways but transient pain, in contract order; confirmed beats
    suspected for one code. ``flag_by_code``: the red flags, by code."""
    imaging = findings.imaging
    symptoms = findings.symptoms
    found = (imaging.findings or _NO_FINDINGS) if imaging is not None else _NO_FINDINGS
    deficit = not _DEFICIT_FLAGS.isdisjoint(flag_by_code)
    result: list[Pathway] = []

    # cord_compression [3]: suspected on a progressive deficit until an MRI has looked.
    if "cord_compression" in found:
        result.append(_confirmed("cord_compression", "cord_compression"))
    elif "progressive_neuro_deficit" in flag_by_code and not signs.mri_done:
        gap, gap_because = _scan_gap(imaging)
        result.append(
            Pathway(
                "cord_compression",
                "suspected",
                f"{flag_by_code['progressive_neuro_deficit'].reason}; {gap}",
                ("red_flags includes progressive_neuro_deficit", gap_because),
            )
        )

    # cement_embolism [3]: any embolism on imaging; suspected on systemic signs.
    embolisms = [code for code in _EMBOLISMS if code in found] if found else []
    if embolisms:
        result.append(
            Pathway(
                "cement_embolism",
                "confirmed",
                " and ".join(explain.IMAGING_FINDING_TEXT[code] for code in embolisms)
                + " on imaging",
                tuple(f"imaging.findings includes {code}" for code in embolisms),
                "distressed" if flag_by_code else "",
            )
        )
    else:
        texts: list[str] = []
        because: list[str] = []
        for code in _EMBOLISM_SIGNS:
            if code in flag_by_code:
                texts.append(_EMBOLISM_SIGN_TITLES[code] + flag_by_code[code].reason)
                because.append(_EMBOLISM_SIGN_BECAUSE[code])
        if "paravertebral_venous_leak" in found and (signs.tachycardia or signs.hypoxia):
            vitals = findings.vitals
            sign = (
                f"a fast pulse ({vitals.heart_rate}/min)"
                if signs.tachycardia and vitals is not None
                else "a low oxygen saturation"
            )
            texts.append(f"Paravertebral venous cement leak with {sign}")
            because.append("imaging.findings includes paravertebral_venous_leak")
            because.append(
                "derived_signs.tachycardia = true"
                if signs.tachycardia
                else "derived_signs.hypoxia = true"
            )
        if texts:
            result.append(Pathway("cement_embolism", "suspected", "; ".join(texts), tuple(because)))

    # cement_leak_neural [3]: suspected on radicular pain until a scan has looked.
    neural = [finding for finding in _NEURAL_LEAKS if finding in found] if found else []
    if neural:
        result.append(
            Pathway(
                "cement_leak_neural",
                "confirmed",
                " and ".join(explain.IMAGING_FINDING_TEXT[f] for f in neural) + " on imaging",
                tuple(f"imaging.findings includes {f}" for f in neural),
                "deficit" if deficit else "",
            )
        )
    elif symptoms is not None and symptoms.radicular_pain and not signs.scan_done:
        gap, gap_because = _scan_gap(imaging)
        result.append(
            Pathway(
                "cement_leak_neural",
                "suspected",
                f"Pain radiating into a limb; {gap}",
                ("symptoms.radicular_pain = true", gap_because),
                "deficit" if deficit else "",
            )
        )

    # infection (clinical safety review): suspected on fever.
    if "infection" in found:
        result.append(_confirmed("infection", "infection"))
    elif signs.fever and findings.vitals is not None and findings.vitals.temperature is not None:
        # (A fever is derived from a temperature, so there is always one here.)
        temperature = explain.format_number(findings.vitals.temperature)
        result.append(
            Pathway(
                "infection",
                "suspected",
                f"Fever (temperature {temperature} °C)",
                (f"vitals.temperature = {temperature} (>= 38.1 after rounding)",),
            )
        )

    # adjacent_fracture [1]: suspected on the pain's course until an MRI has looked.
    if "new_adjacent_fracture" in found:
        result.append(_confirmed("adjacent_fracture", "new_adjacent_fracture"))
    elif not signs.mri_done:
        trigger = _adjacent_fracture_trigger(symptoms, hours)
        if trigger is not None:
            gap, gap_because = _scan_gap(imaging)
            result.append(
                Pathway(
                    "adjacent_fracture",
                    "suspected",
                    f"{trigger[0]}; {gap}",
                    (trigger[1], gap_because),
                )
            )

    # cement_leak_venous [3], cement_leak_intradiscal [4]: confirmed only.
    if "paravertebral_venous_leak" in found:
        result.append(_confirmed("cement_leak_venous", "paravertebral_venous_leak"))
    if "intradiscal_leak" in found:
        result.append(_confirmed("cement_leak_intradiscal", "intradiscal_leak"))

    return result


def reassurance_withheld(
    findings: Findings,
    flag_codes: tuple[str, ...],
    others: list[Pathway],
    score: News2 | None,
    incomplete: tuple[str, ...],
    not_assessed: tuple[str, ...],
    hours: float | None,
) -> list[str]:
    """Why transient pain (reassurance) cannot be offered, in words; empty when it may be.

    Transient post-procedural pain [1][3][5] needs *all* of: symptoms, neuro and vitals
    complete; no red flag; no other pathway but a confirmed (usually asymptomatic) venous or
    intradiscal leak; a ``low`` NEWS2 band; no radicular pain and no failed analgesia; and
    at most 72 hours since the procedure, or an unknown time with improving pain.
    """
    if flag_codes:
        # Decided already (an emergency); the other reasons would never be shown.
        return [_emergency_words(flag_codes)[1]]
    reasons: list[str] = []
    for name in ("symptoms", "neuro", "vitals"):
        if name in not_assessed:
            reasons.append(f"{explain.SECTION_TITLES[name]} not assessed")
        elif name in incomplete:
            reasons.append(f"{explain.SECTION_TITLES[name]} incomplete")
    for pathway in others:
        if pathway.code not in _BENIGN_CONFIRMED:
            reasons.append(f"{pathway.title} {pathway.status}")
    if score is not None and score.band != "low":
        reasons.append(f"NEWS2 {score.score} ({_BAND_WORDS[score.band]}), not low")
    symptoms = findings.symptoms
    if symptoms is not None:
        if symptoms.radicular_pain:
            reasons.append("Pain radiating into a limb")
        if symptoms.uncontrolled_despite_analgesia:
            reasons.append("Pain not controlled by adequate analgesia")
    if hours is None:
        if symptoms is None or symptoms.pain_course != "improving":
            reasons.append("Time since the procedure unknown, and the pain is not improving")
    elif hours > TRANSIENT_PAIN_MAX_HOURS:
        reasons.append(
            f"{explain.format_number(hours)} hours since the procedure, beyond the "
            f"{TRANSIENT_PAIN_MAX_HOURS} hours of transient pain"
        )
    if reasons and not others:
        reasons.append("nothing found explains the pain")
    return reasons


_BAND_WORDS = {
    "low": "low",
    "low_medium": "a single parameter scored 3",
    "medium": "medium",
    "high": "high",
}


def _transient_pain(score: News2 | None, hours: float | None) -> Pathway:
    if hours is None:
        when = "pain improving, time since the procedure not recorded"
        hours_because = "procedure.hours_since not recorded, symptoms.pain_course = improving"
    else:
        when = f"{explain.format_number(hours)} hours after the procedure"
        hours_because = (
            f"procedure.hours_since = {explain.format_number(hours)} "
            f"(<= {TRANSIENT_PAIN_MAX_HOURS})"
        )
    news2_score = score.score if score is not None else None
    return Pathway(
        "transient_pain",
        "suspected",
        "Symptoms, neuro exam and vital signs all checked with no red flag and no other cause "
        f"found; NEWS2 {news2_score} (low); {when}",
        (
            "symptoms, neuro and vitals complete",
            "no red flag",
            "no other pathway but a confirmed venous or intradiscal leak",
            "news2.band = low",
            "symptoms.radicular_pain = false, symptoms.uncontrolled_despite_analgesia = false",
            hours_because,
        ),
    )


# --- Imaging and escalation -------------------------------------------------------------------


def imaging_advice(
    findings: Findings, flag_codes: tuple[str, ...], found: tuple[Pathway, ...], scan_done: bool
) -> ImagingAdvice:
    """Imaging [1]: emergency on any red flag; urgent while no scan is done or a suspected
    pathway needs a further study; otherwise done."""
    imaging = findings.imaging
    if flag_codes:
        _, reason, _, because = _emergency_words(flag_codes)
        return ImagingAdvice("emergency", reason, because)
    waiting = [p for p in found if p.status == "suspected" and p.code in _NEXT_STUDY]
    studies = ", ".join(dict.fromkeys(_NEXT_STUDY[p.code] for p in waiting))
    if not scan_done or imaging is None:
        gap, gap_because = _scan_gap(imaging)
        reason = f"Increased pain after vertebroplasty needs CT or MRI without delay ({gap})"
        return ImagingAdvice(
            "urgent", reason + (f"; needed: {studies}" if studies else ""), (gap_because,)
        )
    if waiting:
        return ImagingAdvice(
            "urgent",
            f"A further study is needed: {studies}",
            tuple(f"pathways includes {p.code} (suspected)" for p in waiting),
        )
    modality = explain.describe_finding("imaging.modality", imaging.modality)
    abnormal = [f for f in (imaging.findings or ()) if f != "no_leak"]
    result = (
        ", ".join(explain.IMAGING_FINDING_TEXT[f] for f in abnormal)
        if abnormal
        else "nothing abnormal found"
    )
    return ImagingAdvice(
        "done",
        f"{modality} done after the current symptoms began: {result}",
        ("imaging.status = done", "imaging.after_current_symptoms = true"),
    )


@lru_cache(maxsize=1024)  # one entry per combination of red flags: at most 2**10
def _emergency_words(codes: tuple[str, ...]) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """An emergency's headline, reason, first actions and "because", which depend only on its
    red flags' codes: who to call, the first action of each red flag (once each).

    >>> _emergency_words(("progressive_neuro_deficit", "respiratory_distress"))[0]
    'Emergency: call the spinal team and the emergency team now'
    """
    calls = explain.join_words(list(dict.fromkeys(explain.RED_FLAG_CALLS[code] for code in codes)))
    return (
        f"Emergency: call {calls} now",
        "Red flag: " + ", ".join([explain.RED_FLAG_TITLES[code] for code in codes]),
        tuple(dict.fromkeys(explain.RED_FLAG_ACTIONS[code][0] for code in codes)),
        tuple([f"red_flags includes {code}" for code in codes]),
    )


def escalation(
    flag_codes: tuple[str, ...],
    found: tuple[Pathway, ...],
    score: News2 | None,
    withheld: list[str],
) -> Escalation:
    """How fast a clinician must see the patient: emergency on any red flag; routine when
    transient pain is offered (the other pathways can then only be confirmed asymptomatic
    leaks); otherwise urgent (something was found, nothing explains the pain, or the patient
    was not fully assessed)."""
    if flag_codes:
        return Escalation("emergency", *_emergency_words(flag_codes))
    if any(p.code == "transient_pain" for p in found):
        checked = "symptoms, neuro exam and vital signs"
        news2_text = f"NEWS2 {score.score}" if score is not None else "NEWS2"
        return Escalation(
            "routine",
            "Routine: no red flag found",
            f"Checked: {checked}, all complete; {news2_text} (low); no red flag and no cause "
            "that needs more than reassurance",
            explain.ESCALATION_ACTIONS["routine"],
            ("pathways includes transient_pain",),
        )
    return Escalation(
        "urgent",
        "Urgent review: ask the responsible doctor to see the patient",
        "Not reassured: " + "; ".join(withheld),
        explain.ESCALATION_ACTIONS["urgent"],
        ("no red flag", "transient_pain withheld"),
    )


# --- What was and was not checked -------------------------------------------------------------


def not_assessed_sections(findings: Findings) -> tuple[str, ...]:
    """The sections among procedure, symptoms, neuro, vitals, imaging that are absent or
    empty."""
    result: list[str] = []
    if findings.procedure is None or findings.procedure.is_empty():
        result.append("procedure")
    if findings.symptoms is None or findings.symptoms.is_empty():
        result.append("symptoms")
    if findings.neuro is None or findings.neuro.is_empty():
        result.append("neuro")
    if findings.vitals is None or findings.vitals.is_empty():
        result.append("vitals")
    if findings.imaging is None or findings.imaging.is_empty():
        result.append("imaging")
    return tuple(result)


def missing_keys(findings: Findings, not_assessed: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """For each present, non-empty section among symptoms, neuro and vitals, the keys that
    reassurance needs and that were not recorded (only sections missing some)."""
    # A complete section (the usual case) costs one C call and one test.
    missing: dict[str, tuple[str, ...]] = {}
    if "symptoms" not in not_assessed:
        got = _SYMPTOM_VALUES(findings.symptoms)
        if None in got:
            missing["symptoms"] = _gaps(SYMPTOM_FIELDS, got)
    if "neuro" not in not_assessed:
        levels = findings.procedure.levels if findings.procedure is not None else None
        names: tuple[str, ...]
        if needs_upper_limb(levels):
            names, getter = _NEURO_WITH_ARMS, _NEURO_WITH_ARMS_VALUES
        else:
            names, getter = NEURO_REQUIRED, _NEURO_VALUES
        got = getter(findings.neuro)
        if None in got:
            missing["neuro"] = _gaps(names, got)
    if "vitals" not in not_assessed:
        got = _NEWS2_VALUES(findings.vitals)
        if None in got:
            missing["vitals"] = _gaps(NEWS2_PARAMETERS, got)
    return missing


_NEURO_WITH_ARMS = ("motor", "sensory", "upper_limb", "bowel_bladder", "focal_signs")
_SYMPTOM_VALUES = attrgetter(*SYMPTOM_FIELDS)
_NEURO_VALUES = attrgetter(*NEURO_REQUIRED)
_NEURO_WITH_ARMS_VALUES = attrgetter(*_NEURO_WITH_ARMS)
_NEWS2_VALUES = attrgetter(*NEWS2_PARAMETERS)


def _gaps(names: tuple[str, ...], values: tuple[object, ...]) -> tuple[str, ...]:
    return tuple([name for name, value in zip(names, values, strict=True) if value is None])


def warnings_for(
    not_assessed: tuple[str, ...], missing: dict[str, tuple[str, ...]]
) -> tuple[str, ...]:
    """Warnings in a nurse's words about what was not checked, so no one mistakes silence for
    normality."""
    warnings = [explain.NOT_ASSESSED_WARNINGS[name] for name in not_assessed]
    for section, gaps in missing.items():
        if section == "vitals":
            warnings.append(
                f"Vital signs incomplete: {explain.field_labels('vitals', gaps)} not recorded; "
                "NEWS2 cannot be scored and reassurance cannot be offered"
            )
        else:
            warnings.append(
                f"{explain.SECTION_TITLES[section]} incomplete: "
                f"{explain.field_labels(section, gaps)} not recorded; reassurance cannot be "
                "offered"
            )
    return tuple(warnings)


def assess(findings: Findings) -> Assessment:
    """Apply the contract's decision rules to validated findings."""
    not_assessed = not_assessed_sections(findings)
    missing = missing_keys(findings, not_assessed)
    incomplete = tuple(missing)  # missing_keys lists symptoms, neuro and vitals in that order
    hours = _hours_since(findings)
    vitals = findings.vitals
    score = news2(vitals)
    news2_missing = () if score is not None else missing_parameters(vitals)
    signs = derive_signs(findings)
    flags = red_flags(findings, score, signs, hours)
    flag_by_code = {flag.code: flag for flag in flags}
    flag_codes = tuple(flag_by_code)  # all that reassurance, imaging and escalation read
    found = causes(findings, flag_by_code, signs, hours)
    withheld = reassurance_withheld(
        findings, flag_codes, found, score, incomplete, not_assessed, hours
    )
    if not withheld:
        found.append(_transient_pain(score, hours))
    chosen = tuple(found)
    # Positional, in field order: keyword arguments cost a dictionary per call.
    return Assessment(
        flags,  # red_flags
        chosen,  # pathways
        score,  # news2
        news2_missing,
        imaging_advice(findings, flag_codes, chosen, signs.scan_done),
        escalation(flag_codes, chosen, score, withheld),
        not_assessed,
        incomplete,
        missing,
        signs,
        warnings_for(not_assessed, missing),
    )
