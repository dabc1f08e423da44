"""The words of the assessment: titles, recommended actions, citations and guidance keys.

Kept apart from the decision rules (``rules.py``) so that a clinician can review every sentence
the app says in one place. The actions paraphrase the clinical source
(``shared/seed/post-vertebroplasty-pain-guidance.txt``, sources numbered 1-7) and, for NEWS2,
the RCP's 2017 guidance; none of it is copied verbatim.

A guidance key (``red_flag.<code>``, ``pathway.<code>``, ``imaging.<code>``, ``general``) is a
stable name for each piece of advice, so local guidance text written by admins can be attached
to it without depending on the wording here.

>>> describe_finding("neuro.motor", "new_deficit")
'New lower-limb weakness'
>>> describe_finding("vitals.respiratory_rate", 23)
'Respiratory rate 23/min'
>>> guidance_key("pathway", "transient_pain")
'pathway.transient_pain'
"""

from __future__ import annotations

RED_FLAG_CODES = (
    "cord_compression",
    "progressive_neuro_deficit",
    "respiratory_distress",
    "news2_high",
    "uncontrolled_pain",
)
PATHWAY_CODES = (
    "cord_compression",
    "cement_embolism",
    "cement_leak_neural",
    "adjacent_fracture",
    "cement_leak_venous",
    "cement_leak_intradiscal",
    "transient_pain",
)
IMAGING_CODES = ("emergency", "urgent", "done")

# The seed does not name its sources; the labels stay numbers until titles are added here.
SOURCES: dict[int, str] = {n: f"[{n}]" for n in range(1, 8)}


def guidance_key(kind: str, code: str) -> str:
    return f"{kind}.{code}"


GENERAL_KEY = "general"
GUIDANCE_KEYS: tuple[str, ...] = (
    *(guidance_key("red_flag", code) for code in RED_FLAG_CODES),
    *(guidance_key("pathway", code) for code in PATHWAY_CODES),
    *(guidance_key("imaging", code) for code in IMAGING_CODES),
    GENERAL_KEY,
)

RED_FLAG_TITLES: dict[str, str] = {
    "cord_compression": "Spinal cord compression",
    "progressive_neuro_deficit": "Progressive neurological deficit",
    "respiratory_distress": "Respiratory distress",
    "news2_high": "High NEWS2 score",
    "uncontrolled_pain": "Severe pain uncontrolled despite analgesia",
}
RED_FLAG_SOURCES: dict[str, tuple[int, ...]] = {
    "cord_compression": (3,),
    "progressive_neuro_deficit": (1, 3),
    "respiratory_distress": (3,),
    # NEWS2 is not in the seed document; the red flag cites the RCP (see news2.REFERENCE).
    "news2_high": (),
    "uncontrolled_pain": (1,),
}
RED_FLAG_ACTIONS: dict[str, tuple[str, ...]] = {
    "cord_compression": (
        "Call the on-call spinal surgical team now: cord compression needs emergency "
        "surgical decompression",
        "Repeat and record the lower-limb neurological examination while the team comes",
    ),
    "progressive_neuro_deficit": (
        "Call the on-call spinal team now",
        "Emergency MRI (or CT if MRI is not possible) to look for cement in the spinal canal "
        "or foramina",
        "Repeat the neurological examination (power, sensation, bowel and bladder) and record "
        "the time; any further change is a new escalation",
    ),
    "respiratory_distress": (
        "Ask for an urgent medical review now: pulmonary cement embolism must be excluded",
        "Repeat the full set of observations and the NEWS2 score",
        "Look for tachycardia, hypoxia and chest pain, the signs of embolism",
    ),
    "news2_high": (
        "Emergency response: call the critical-care outreach or emergency team now",
        "Monitor vital signs continuously",
    ),
    "uncontrolled_pain": (
        "Arrange urgent CT or MRI: severe pain despite adequate analgesia suggests a "
        "significant complication",
        "Ask the responsible clinician to review the analgesia",
    ),
}

PATHWAY_TITLES: dict[str, str] = {
    "cord_compression": "Spinal cord compression",
    "cement_embolism": "Pulmonary cement embolism",
    "cement_leak_neural": "Cement leak into the foramina or epidural space",
    "adjacent_fracture": "New fracture at an adjacent level",
    "cement_leak_venous": "Cement leak into paravertebral veins",
    "cement_leak_intradiscal": "Cement leak into the disc",
    "transient_pain": "Transient post-procedural pain",
}
PATHWAY_SOURCES: dict[str, tuple[int, ...]] = {
    "cord_compression": (3,),
    "cement_embolism": (3,),
    "cement_leak_neural": (3,),
    "adjacent_fracture": (1,),
    "cement_leak_venous": (3,),
    "cement_leak_intradiscal": (4,),
    "transient_pain": (1, 3, 5),
}
# Actions per (pathway, status): a suspected pathway first needs confirming.
PATHWAY_ACTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("cord_compression", "confirmed"): (
        "Refer to the spinal surgeons at once: cord compression from cement needs emergency "
        "surgical decompression",
    ),
    ("cord_compression", "suspected"): (
        "Emergency MRI (or CT if MRI is not possible) to confirm or exclude cord compression",
        "Tell the spinal surgical team now, before the scan",
    ),
    ("cement_embolism", "confirmed"): (
        "Most cement emboli cause no symptoms: give supportive care",
        "If it causes symptoms, the medical team considers anticoagulation",
    ),
    ("cement_embolism", "suspected"): (
        "Check for tachycardia, hypoxia and chest pain and repeat the observations",
        "Ask the medical team to arrange imaging to confirm or exclude cement embolism",
    ),
    ("cement_leak_neural", "confirmed"): (
        "For radicular pain, consider an epidural steroid injection",
        "Surgical decompression if a progressive neurological deficit develops",
        "Repeat the neurological examination at regular intervals",
    ),
    ("cement_leak_neural", "suspected"): (
        "CT or MRI of the treated level to look for cement in the foramina or epidural space",
        "Repeat the neurological examination at regular intervals",
    ),
    ("adjacent_fracture", "confirmed"): (
        "Conservative treatment first; repeat vertebroplasty at the new level is reasonable if "
        "the pain stays refractory",
        "Start or review osteoporosis treatment to prevent further fractures",
    ),
    ("adjacent_fracture", "suspected"): (
        "MRI with STIR or T2 fat-saturated sequences to look for an acute fracture at an "
        "adjacent level",
    ),
    ("cement_leak_venous", "confirmed"): (
        "Watch for signs of cement embolism: tachycardia, hypoxia, chest pain",
        "Score NEWS2 at each set of observations",
    ),
    ("cement_leak_intradiscal", "confirmed"): (
        "Usually harmless, but it can cause discogenic pain: treat the pain conservatively",
        "Review again if the pain persists",
    ),
    ("transient_pain", "suspected"): (
        "Adequate analgesia, with opioids if needed",
        "Bed rest for 24-48 hours",
        "Explain that a temporary rise in pain after the procedure is common and usually "
        "settles within days",
        "Re-assess at once if the pain suddenly increases or any new symptom appears",
    ),
}

IMAGING_SOURCES: dict[str, tuple[int, ...]] = {
    "emergency": (1, 3),
    "urgent": (1, 2),
    "done": (1,),
}
IMAGING_ACTIONS: dict[str, tuple[str, ...]] = {
    "emergency": (
        "Emergency cross-sectional imaging (CT or MRI); MRI first when the spinal cord or "
        "nerves may be compromised, if it is available without delay",
        "Do not wait for a routine imaging slot",
    ),
    "urgent": (
        "Urgent CT or MRI to look for cement leakage and a new fracture",
        "Escalate to emergency imaging if a red flag appears while waiting",
    ),
    "done": (
        "Act on the reported findings",
        "Image again if the clinical picture changes",
    ),
}

GENERAL_ADVICE_TITLE = "After every vertebroplasty"
GENERAL_ADVICE: tuple[str, ...] = (
    "Check vital signs and the neurological examination at regular intervals in the first "
    "24-48 hours",
    "Arrange near-term follow-up of pain, mobility and analgesic needs",
    "Tell the patient to report any sudden or new back pain at once: it may be a new fracture",
    "Start or review osteoporosis treatment to lower the high risk of further fractures",
)
GENERAL_SOURCES: tuple[int, ...] = (1, 6, 7)

# Warnings for sections that were not assessed: absence of a finding is never normality.
NOT_ASSESSED_WARNINGS: dict[str, str] = {
    "symptoms": (
        "Symptoms not assessed: their absence cannot be assumed; ask about pain score and "
        "course, radicular pain, chest pain, breathlessness and response to analgesia"
    ),
    "neuro": (
        "Neuro exam not assessed: a normal result cannot be assumed; examine lower-limb "
        "power, sensation and bowel/bladder function"
    ),
    "vitals": (
        "Vital signs not assessed: NEWS2 cannot be scored and respiratory distress cannot be "
        "excluded; record respiratory rate, SpO2, oxygen, blood pressure, pulse, "
        "consciousness and temperature"
    ),
    "imaging": "Imaging not recorded: it is treated as not done",
}

_NEURO_WORDS = {"motor": "weakness", "sensory": "sensory loss"}
_NEURO_STATUS_WORDS = {
    "normal": "Normal lower-limb {kind}",
    "stable_deficit": "Known, unchanged lower-limb {kind}",
    "new_deficit": "New lower-limb {kind}",
    "worsening_deficit": "Worsening lower-limb {kind}",
}
_FIXED_DESCRIPTIONS: dict[tuple[str, object], str] = {
    ("neuro.motor", "normal"): "Normal lower-limb power",
    ("neuro.sensory", "normal"): "Normal lower-limb sensation",
    ("neuro.bowel_bladder", "normal"): "Normal bowel and bladder function",
    ("neuro.bowel_bladder", "new_dysfunction"): "New bowel or bladder dysfunction",
    ("symptoms.chest_pain", True): "Chest pain",
    ("symptoms.chest_pain", False): "No chest pain",
    ("symptoms.dyspnoea", True): "Breathlessness",
    ("symptoms.dyspnoea", False): "No breathlessness",
    ("symptoms.radicular_pain", True): "Pain radiating into a limb (radicular pain)",
    ("symptoms.radicular_pain", False): "No radicular pain",
    ("symptoms.uncontrolled_despite_analgesia", True): "Pain not controlled despite analgesia",
    ("symptoms.uncontrolled_despite_analgesia", False): "Pain controlled by analgesia",
    ("symptoms.pain_course", "improving"): "Pain improving",
    ("symptoms.pain_course", "unchanged"): "Pain unchanged",
    ("symptoms.pain_course", "worse_since_procedure"): "Pain worse since the procedure",
    ("symptoms.pain_course", "sudden_increase_after_improvement"): (
        "Sudden increase in pain after initial improvement"
    ),
    ("vitals.on_oxygen", True): "On supplemental oxygen",
    ("vitals.on_oxygen", False): "Breathing air",
    ("vitals.consciousness", "A"): "Alert",
    ("vitals.consciousness", "C"): "New confusion",
    ("vitals.consciousness", "V"): "Responds only to voice",
    ("vitals.consciousness", "P"): "Responds only to pain",
    ("vitals.consciousness", "U"): "Unresponsive",
    ("imaging.status", "not_done"): "Imaging not done",
    ("imaging.status", "requested"): "Imaging requested, not yet done",
    ("imaging.status", "done"): "Imaging done",
    ("imaging.modality", "ct"): "CT",
    ("imaging.modality", "mri"): "MRI",
    ("imaging.modality", "ct_and_mri"): "CT and MRI",
}
IMAGING_FINDING_TEXT: dict[str, str] = {
    "no_leak": "No cement leak",
    "foraminal_leak": "Foraminal cement leak",
    "epidural_leak": "Epidural cement leak",
    "paravertebral_venous_leak": "Paravertebral venous cement leak",
    "intradiscal_leak": "Intradiscal cement leak",
    "pulmonary_cement_embolism": "Pulmonary cement embolism",
    "new_adjacent_fracture": "New adjacent-level fracture",
    "cord_compression": "Spinal cord compression",
}
_UNITS: dict[str, str] = {
    "symptoms.pain_score": "Pain {}/10",
    "vitals.respiratory_rate": "Respiratory rate {}/min",
    "vitals.spo2": "SpO2 {}%",
    "vitals.spo2_scale": "SpO2 scale {}",
    "vitals.systolic_bp": "Systolic BP {} mmHg",
    "vitals.heart_rate": "Heart rate {}/min",
    "vitals.temperature": "Temperature {} °C",
    "procedure.hours_since": "{} hours since the procedure",
}


def format_number(value: float) -> str:
    """Whole numbers without a trailing ``.0`` (30.0 -> "30"), others as given."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe_finding(path: str, value: object) -> str:
    """Human text for one finding, for reasons and summaries.

    >>> describe_finding("symptoms.chest_pain", True)
    'Chest pain'
    >>> describe_finding("imaging.findings", "epidural_leak")
    'Epidural cement leak'
    >>> describe_finding("vitals.temperature", 38.0)
    'Temperature 38 °C'
    >>> describe_finding("neuro.sensory", "worsening_deficit")
    'Worsening lower-limb sensory loss'
    """
    if isinstance(value, str | bool):
        fixed = _FIXED_DESCRIPTIONS.get((path, value))
        if fixed is not None:
            return fixed
    if path in ("neuro.motor", "neuro.sensory") and value in _NEURO_STATUS_WORDS:
        return _NEURO_STATUS_WORDS[value].format(kind=_NEURO_WORDS[path[6:]])
    if path == "imaging.findings" and value in IMAGING_FINDING_TEXT:
        return IMAGING_FINDING_TEXT[value]
    if path == "procedure.levels" and isinstance(value, (list, tuple)):
        return "Treated levels " + ", ".join(str(level) for level in value)
    template = _UNITS.get(path)
    if template is not None and isinstance(value, int | float):
        return template.format(format_number(value))
    return f"{path} = {value}"
