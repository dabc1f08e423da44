"""The decision rules of the assessment contract (v1): findings in, assessment out.

``shared/clinical/assessment-contract.md`` is normative; each function below implements one of
its paragraphs and says so. Where the contract is silent the code takes the more escalating
choice, and each such choice is listed in ``docs/hazard-log-engine-notes.md``.

Two principles run through it. A missing finding is "not assessed", never "normal": rules
that need a finding to be *true* simply do not fire, and the warnings say what was not
checked. And reassurance (the ``transient_pain`` pathway) is only offered when symptoms,
neurological examination and vital signs were all checked and nothing else was found.

>>> from triage.clinical.findings import parse_findings
>>> a = assess(parse_findings({
...     "symptoms": {"chest_pain": True},
...     "vitals": {"respiratory_rate": 23},
... }))
>>> [(flag.code, flag.reason) for flag in a.red_flags]
[('respiratory_distress', 'Chest pain; Tachypnoea (respiratory rate 23/min)')]
>>> [(p.code, p.status) for p in a.pathways], a.imaging.code, a.not_assessed
([('cement_embolism', 'suspected')], 'emergency', ('neuro', 'imaging'))
"""

from __future__ import annotations

from triage.clinical import explain
from triage.clinical.assessment import Assessment, DerivedSigns, ImagingAdvice, Pathway, RedFlag
from triage.clinical.early_warning import News2, missing_parameters, news2
from triage.clinical.findings import (
    NEURO_FIELDS,
    SYMPTOM_FIELDS,
    Findings,
    Imaging,
    Neuro,
    Symptoms,
    Vitals,
)

TACHYPNOEA_ABOVE = 20
TACHYCARDIA_ABOVE = 100
HYPOXIA_BELOW = {1: 94, 2: 88}  # by SpO2 scale
SEVERE_PAIN_FROM = 7
NEWS2_HIGH_FROM = 7
TRANSIENT_PAIN_MAX_HOURS = 72

_DEFICITS = ("new_deficit", "worsening_deficit")
_NEURAL_LEAKS = ("foraminal_leak", "epidural_leak")
_NO_FINDINGS: tuple[str, ...] = ()

# A trigger is (human text, machine-readable "because" entry).
_Trigger = tuple[str, str]


def _join(triggers: list[_Trigger]) -> tuple[str, tuple[str, ...]]:
    return "; ".join([text for text, _ in triggers]), tuple([why for _, why in triggers])


def derive_signs(vitals: Vitals | None) -> DerivedSigns:
    """Tachypnoea (RR > 20), hypoxia (SpO2 < 94 on scale 1, < 88 on scale 2), tachycardia
    (HR > 100); each ``None`` when its observation is missing.

    >>> derive_signs(Vitals(respiratory_rate=21, spo2=90, spo2_scale=2))
    DerivedSigns(tachypnoea=True, hypoxia=False, tachycardia=None)
    """
    if vitals is None:
        return DerivedSigns(None, None, None)
    rr, spo2, hr = vitals.respiratory_rate, vitals.spo2, vitals.heart_rate
    return DerivedSigns(
        tachypnoea=None if rr is None else rr > TACHYPNOEA_ABOVE,
        hypoxia=None if spo2 is None else spo2 < HYPOXIA_BELOW[2 if vitals.spo2_scale == 2 else 1],
        tachycardia=None if hr is None else hr > TACHYCARDIA_ABOVE,
    )


def _neuro_triggers(neuro: Neuro | None) -> list[_Trigger]:
    if neuro is None:
        return []
    triggers: list[_Trigger] = []
    if neuro.motor in _DEFICITS:
        triggers.append(
            (explain.describe_finding("neuro.motor", neuro.motor), f"neuro.motor = {neuro.motor}")
        )
    if neuro.sensory in _DEFICITS:
        triggers.append(
            (
                explain.describe_finding("neuro.sensory", neuro.sensory),
                f"neuro.sensory = {neuro.sensory}",
            )
        )
    if neuro.bowel_bladder == "new_dysfunction":
        triggers.append(
            ("New bowel or bladder dysfunction", "neuro.bowel_bladder = new_dysfunction")
        )
    return triggers


def _respiratory_triggers(
    symptoms: Symptoms | None, vitals: Vitals | None, signs: DerivedSigns
) -> list[_Trigger]:
    triggers: list[_Trigger] = []
    if symptoms is not None:
        if symptoms.chest_pain:
            triggers.append(("Chest pain", "symptoms.chest_pain = true"))
        if symptoms.dyspnoea:
            triggers.append(("Breathlessness", "symptoms.dyspnoea = true"))
    if vitals is not None:
        if signs.tachypnoea:
            rr = vitals.respiratory_rate
            triggers.append(
                (
                    f"Tachypnoea (respiratory rate {rr}/min)",
                    f"vitals.respiratory_rate = {rr} (> {TACHYPNOEA_ABOVE})",
                )
            )
        if signs.hypoxia:
            scale = vitals.effective_spo2_scale
            triggers.append(
                (
                    f"Hypoxia (SpO2 {vitals.spo2}% on scale {scale})",
                    f"vitals.spo2 = {vitals.spo2} (< {HYPOXIA_BELOW[scale]} on scale {scale})",
                )
            )
    return triggers


def red_flags(findings: Findings, score: News2 | None, signs: DerivedSigns) -> tuple[RedFlag, ...]:
    """The contract's red flags [1][3], in contract order."""
    flags: list[RedFlag] = []
    imaging = findings.imaging
    symptoms = findings.symptoms
    if imaging is not None and imaging.has("cord_compression"):
        flags.append(
            RedFlag(
                "cord_compression",
                "Spinal cord compression on imaging",
                ("imaging.findings includes cord_compression",),
            )
        )
    neuro = _neuro_triggers(findings.neuro)
    if neuro:
        flags.append(RedFlag("progressive_neuro_deficit", *_join(neuro)))
    respiratory = _respiratory_triggers(symptoms, findings.vitals, signs)
    if respiratory:
        flags.append(RedFlag("respiratory_distress", *_join(respiratory)))
    if score is not None and score.score >= NEWS2_HIGH_FROM:
        flags.append(
            RedFlag(
                "news2_high",
                f"NEWS2 score {score.score} (high)",
                (f"news2.score = {score.score} (>= {NEWS2_HIGH_FROM})",),
            )
        )
    if (
        symptoms is not None
        and symptoms.pain_score is not None
        and symptoms.pain_score >= SEVERE_PAIN_FROM
        and symptoms.uncontrolled_despite_analgesia
    ):
        flags.append(
            RedFlag(
                "uncontrolled_pain",
                f"Pain {symptoms.pain_score}/10 not controlled despite adequate analgesia",
                (
                    f"symptoms.pain_score = {symptoms.pain_score} (>= {SEVERE_PAIN_FROM})",
                    "symptoms.uncontrolled_despite_analgesia = true",
                ),
            )
        )
    return tuple(flags)


def _imaging_not_done(imaging: Imaging | None) -> str:
    """The "because" entry for a scan that is not done (absent status counts as not done)."""
    if imaging is None or imaging.status is None:
        return "imaging.status not recorded (not done)"
    return f"imaging.status = {imaging.status} (not done)"


def _confirmed(code: str, finding: str) -> Pathway:
    return Pathway(
        code,
        "confirmed",
        explain.IMAGING_FINDING_TEXT[finding] + " on imaging",
        (f"imaging.findings includes {finding}",),
    )


def pathways(
    findings: Findings,
    flags: tuple[RedFlag, ...],
    signs: DerivedSigns,
    not_assessed: tuple[str, ...],
) -> tuple[Pathway, ...]:
    """The contract's pathways, in contract order; confirmed beats suspected for one code."""
    imaging = findings.imaging
    symptoms = findings.symptoms
    found = (imaging.findings or _NO_FINDINGS) if imaging is not None else _NO_FINDINGS
    imaging_done = imaging is not None and imaging.status == "done"
    flag_by_code = {flag.code: flag for flag in flags}
    result: list[Pathway] = []

    # cord_compression [3]: suspected on a progressive deficit until a scan has looked.
    if "cord_compression" in found:
        result.append(_confirmed("cord_compression", "cord_compression"))
    elif "progressive_neuro_deficit" in flag_by_code and not imaging_done:
        neuro = flag_by_code["progressive_neuro_deficit"]
        result.append(
            Pathway(
                "cord_compression",
                "suspected",
                f"{neuro.reason}, with no completed scan",
                ("red_flags includes progressive_neuro_deficit", _imaging_not_done(imaging)),
            )
        )

    # cement_embolism [3]
    if "pulmonary_cement_embolism" in found:
        result.append(_confirmed("cement_embolism", "pulmonary_cement_embolism"))
    else:
        texts: list[str] = []
        because: list[str] = []
        if "respiratory_distress" in flag_by_code:
            texts.append("Respiratory distress: " + flag_by_code["respiratory_distress"].reason)
            because.append("red_flags includes respiratory_distress")
        if "paravertebral_venous_leak" in found and signs.tachycardia:
            hr = findings.vitals.heart_rate if findings.vitals is not None else None
            texts.append(f"Paravertebral venous cement leak with tachycardia (heart rate {hr}/min)")
            because.append("imaging.findings includes paravertebral_venous_leak")
            because.append(f"vitals.heart_rate = {hr} (> {TACHYCARDIA_ABOVE})")
        if texts:
            result.append(Pathway("cement_embolism", "suspected", "; ".join(texts), tuple(because)))

    # cement_leak_neural [3]
    neural = [finding for finding in _NEURAL_LEAKS if finding in found]
    if neural:
        result.append(
            Pathway(
                "cement_leak_neural",
                "confirmed",
                " and ".join(explain.IMAGING_FINDING_TEXT[f] for f in neural) + " on imaging",
                tuple(f"imaging.findings includes {f}" for f in neural),
            )
        )
    elif symptoms is not None and symptoms.radicular_pain and not imaging_done:
        result.append(
            Pathway(
                "cement_leak_neural",
                "suspected",
                "Radicular pain, with no completed scan",
                ("symptoms.radicular_pain = true", _imaging_not_done(imaging)),
            )
        )

    # adjacent_fracture [1]
    if "new_adjacent_fracture" in found:
        result.append(_confirmed("adjacent_fracture", "new_adjacent_fracture"))
    elif symptoms is not None and symptoms.pain_course == "sudden_increase_after_improvement":
        result.append(
            Pathway(
                "adjacent_fracture",
                "suspected",
                "Sudden increase in pain after initial improvement",
                ("symptoms.pain_course = sudden_increase_after_improvement",),
            )
        )

    # cement_leak_venous [3], cement_leak_intradiscal [4]: confirmed only.
    if "paravertebral_venous_leak" in found:
        result.append(_confirmed("cement_leak_venous", "paravertebral_venous_leak"))
    if "intradiscal_leak" in found:
        result.append(_confirmed("cement_leak_intradiscal", "intradiscal_leak"))

    transient = _transient_pain(findings, flags, result, not_assessed)
    if transient is not None:
        result.append(transient)
    return tuple(result)


def _hours_since(findings: Findings) -> float | None:
    procedure = findings.procedure
    return None if procedure is None else procedure.hours_since


def _transient_pain(
    findings: Findings,
    flags: tuple[RedFlag, ...],
    others: list[Pathway],
    not_assessed: tuple[str, ...],
) -> Pathway | None:
    """Transient post-procedural pain [1][3][5], only for a fully checked patient.

    Suspected when symptoms, neuro and vitals were all assessed, there is no red flag and no
    other pathway, and the procedure was at most 72 hours ago (or the time is unknown).
    """
    if flags or others:
        return None
    if "symptoms" in not_assessed or "neuro" in not_assessed or "vitals" in not_assessed:
        return None
    hours = _hours_since(findings)
    if hours is not None and hours > TRANSIENT_PAIN_MAX_HOURS:
        return None
    if hours is None:
        when = "time since the procedure not recorded"
        hours_because = "procedure.hours_since not recorded"
    else:
        when = f"{explain.format_number(hours)} hours after the procedure"
        hours_because = (
            f"procedure.hours_since = {explain.format_number(hours)} "
            f"(<= {TRANSIENT_PAIN_MAX_HOURS})"
        )
    return Pathway(
        "transient_pain",
        "suspected",
        "Symptoms, neurological examination and vital signs checked with no red flag and no "
        f"other cause found; {when}",
        (
            "symptoms, neuro and vitals assessed",
            "no red flag",
            "no other pathway",
            hours_because,
        ),
    )


def imaging_advice(findings: Findings, flags: tuple[RedFlag, ...]) -> ImagingAdvice:
    """Imaging urgency [1]: emergency on any red flag, else done if done, else urgent."""
    imaging = findings.imaging
    if flags:
        return ImagingAdvice(
            "emergency",
            "Red flag: " + ", ".join(flag.title for flag in flags),
            tuple(f"red_flags includes {flag.code}" for flag in flags),
        )
    if imaging is not None and imaging.status == "done":
        modality = explain.describe_finding("imaging.modality", imaging.modality)
        abnormal = [f for f in (imaging.findings or ()) if f != "no_leak"]
        result = (
            ", ".join(explain.IMAGING_FINDING_TEXT[f] for f in abnormal)
            if abnormal
            else "nothing abnormal recorded"
        )
        return ImagingAdvice("done", f"{modality} done: {result}", ("imaging.status = done",))
    if imaging is not None and imaging.status == "requested":
        reason = (
            "Imaging requested but not yet done: increased pain after vertebroplasty needs "
            "cross-sectional imaging (CT or MRI) without delay"
        )
    else:
        reason = (
            "No cross-sectional imaging yet: increased pain after vertebroplasty needs CT or MRI"
        )
    return ImagingAdvice("urgent", reason, (_imaging_not_done(imaging),))


def not_assessed_sections(findings: Findings) -> tuple[str, ...]:
    """The sections among symptoms, neuro, vitals, imaging that are absent or empty."""
    result: list[str] = []
    if findings.symptoms is None or findings.symptoms.is_empty():
        result.append("symptoms")
    if findings.neuro is None or findings.neuro.is_empty():
        result.append("neuro")
    if findings.vitals is None or findings.vitals.is_empty():
        result.append("vitals")
    if findings.imaging is None or findings.imaging.is_empty():
        result.append("imaging")
    return tuple(result)


def _missing(section: object, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if getattr(section, name) is None]


def warnings_for(
    findings: Findings,
    flags: tuple[RedFlag, ...],
    found: tuple[Pathway, ...],
    not_assessed: tuple[str, ...],
    news2_missing: tuple[str, ...],
) -> tuple[str, ...]:
    """Human warnings about what was not checked, so no one mistakes silence for normality."""
    warnings = [explain.NOT_ASSESSED_WARNINGS[name] for name in not_assessed]
    if "symptoms" not in not_assessed:
        missing = _missing(findings.symptoms, SYMPTOM_FIELDS)
        if missing:
            warnings.append(
                "Symptoms partly recorded: " + ", ".join(missing) + " not recorded; the red "
                "flags and pathways that depend on them cannot be excluded"
            )
    if "neuro" not in not_assessed:
        missing = _missing(findings.neuro, NEURO_FIELDS)
        if missing:
            warnings.append(
                "Neuro exam partly recorded: " + ", ".join(missing) + " not recorded; a "
                "progressive neurological deficit cannot be excluded"
            )
    if "vitals" not in not_assessed and news2_missing:
        warnings.append(
            "NEWS2 not scored: " + ", ".join(news2_missing) + " not recorded; a normal score "
            "cannot be assumed"
        )
    if not flags and not found:
        unchecked = [name for name in ("symptoms", "neuro", "vitals") if name in not_assessed]
        hours = _hours_since(findings)
        if unchecked:
            warnings.append(
                "Transient pain cannot be offered: " + ", ".join(unchecked) + " not assessed; "
                "reassurance needs symptoms, neuro exam and vital signs all checked"
            )
        if hours is not None and hours > TRANSIENT_PAIN_MAX_HOURS:
            warnings.append(
                f"Transient pain cannot be offered: {explain.format_number(hours)} hours since "
                f"the procedure is beyond the {TRANSIENT_PAIN_MAX_HOURS}-hour window for "
                "transient post-procedural pain; look for another cause"
            )
    return tuple(warnings)


def assess(findings: Findings) -> Assessment:
    """Apply the contract's decision rules to validated findings."""
    not_assessed = not_assessed_sections(findings)
    vitals = findings.vitals
    score = news2(vitals)
    news2_missing = () if score is not None else missing_parameters(vitals)
    signs = derive_signs(vitals)
    flags = red_flags(findings, score, signs)
    found = pathways(findings, flags, signs, not_assessed)
    return Assessment(
        red_flags=flags,
        pathways=found,
        news2=score,
        news2_missing=news2_missing,
        imaging=imaging_advice(findings, flags),
        not_assessed=not_assessed,
        signs=signs,
        warnings=warnings_for(findings, flags, found, not_assessed, news2_missing),
    )
