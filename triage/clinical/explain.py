"""The words of the assessment: titles, recommended actions, citations and guidance keys.

Kept apart from the decision rules (``rules.py``) so that a clinician can review every sentence
the app says in one place. The actions paraphrase the clinical source
(``shared/seed/post-vertebroplasty-pain-guidance.txt``, whose own reference numbers 1-7 are
cited) and, for NEWS2 and the red flags added by clinical safety review, the RCP's 2017 NEWS2
guidance and common emergency practice; none of it is copied verbatim (a test checks that no
run of eight words of the source appears here).

Actions are what the nurse does now, and they fit the danger: each red flag has its own list,
and a pathway's list can depend on what else was found (its *variant*): a confirmed embolism in
a distressed patient is an emergency, not "usually harmless", and an epidural steroid injection
is not offered beside a deficit that may need decompression.

A guidance key (``red_flag.<code>``, ``pathway.<code>``, ``imaging.<code>``,
``escalation.<code>``, ``general``) is a stable name for each piece of advice, so local
guidance text written by admins can be attached to it without depending on the wording here.

>>> describe_finding("neuro.motor", "new_deficit")
'New leg weakness'
>>> describe_finding("vitals.respiratory_rate", 23)
'Respiratory rate 23/min'
>>> guidance_key("pathway", "transient_pain")
'pathway.transient_pain'
"""

from __future__ import annotations

from triage.clinical.early_warning import REFERENCE as NEWS2_REFERENCE

RED_FLAG_CODES = (
    "cord_compression",
    "systemic_embolism",
    "progressive_neuro_deficit",
    "stroke_signs",
    "altered_consciousness",
    "respiratory_distress",
    "respiratory_depression",
    "circulatory_compromise",
    "news2_high",
    "uncontrolled_pain",
)
PATHWAY_CODES = (
    "cord_compression",
    "cement_embolism",
    "cement_leak_neural",
    "infection",
    "adjacent_fracture",
    "cement_leak_venous",
    "cement_leak_intradiscal",
    "transient_pain",
)
IMAGING_CODES = ("emergency", "urgent", "done")
ESCALATION_CODES = ("emergency", "urgent", "routine")

# The seed does not name its sources; the labels stay numbers until titles are added here.
SOURCES: dict[int, str] = {n: f"[{n}]" for n in range(1, 8)}
SAFETY_REVIEW = "Added by clinical safety review of the assessment rules (contract v2)."

# What each citation number of the clinical source backs, in our words. The source numbers
# its citations 1-7 but lists no references, so no author or publication can be named.
SOURCE_SUPPORTS: dict[int, str] = {
    1: (
        "Scanning promptly when pain increases; examining the legs for new nerve or cord "
        "signs; a new fracture next to the treated vertebra (suspected from a sudden rise in "
        "pain after a spell of improvement, shown on MRI with fat-suppressed or STIR images, "
        "treated again if it does not settle); the first day or two of monitoring; follow-up, "
        "teaching the patient to report new back pain, and bone-strengthening treatment; the "
        "red flags of a worsening deficit and of pain that analgesia does not control."
    ),
    2: "How often cement escapes the vertebra: often, and mostly without symptoms.",
    3: (
        "Cement leaks and what they cause: a leak by a nerve root (radiating pain, treated with "
        "an epidural steroid injection or surgery if weakness progresses), cement pressing on "
        "the cord (emergency decompression), cement travelling to the lungs, heart or brain "
        "(rare, can kill; in the lungs usually silent, supportive care and anticoagulation "
        "when it causes symptoms); watching the pulse, oxygen saturation and chest pain; the "
        "red flags of a worsening deficit and of breathing trouble; short-lived pain as a "
        "minor complication."
    ),
    4: "Cement leaking into the disc: usually silent, sometimes a cause of disc pain.",
    5: "Short-lived pain after the procedure: pain relief, a day or two of bed rest, reassurance.",
    6: "Walking with supervision after a period of observation; home the same day or next.",
    7: "How many patients still need pain relief at first, and how many stop within a day.",
}
SOURCES_NOTE = (
    "The clinical source behind this product numbers its citations [1] to [7] but gives no "
    "reference list, so the authors and publications behind each number are not known to "
    "the product and are not named here. Each number is listed with what it supports."
)


def guidance_key(kind: str, code: str) -> str:
    return f"{kind}.{code}"


GENERAL_KEY = "general"
GUIDANCE_KEYS: tuple[str, ...] = (
    *(guidance_key("escalation", code) for code in ESCALATION_CODES),
    *(guidance_key("red_flag", code) for code in RED_FLAG_CODES),
    *(guidance_key("pathway", code) for code in PATHWAY_CODES),
    *(guidance_key("imaging", code) for code in IMAGING_CODES),
    GENERAL_KEY,
)

# --- Red flags --------------------------------------------------------------------------------

RED_FLAG_TITLES: dict[str, str] = {
    "cord_compression": "Spinal cord compression",
    "systemic_embolism": "Cement embolism to the heart or brain",
    "progressive_neuro_deficit": "Progressive neurological deficit",
    "stroke_signs": "Signs of a stroke",
    "altered_consciousness": "Altered consciousness",
    "respiratory_distress": "Respiratory distress",
    "respiratory_depression": "Slow breathing (respiratory depression)",
    "circulatory_compromise": "Signs of shock (circulatory compromise)",
    "news2_high": "High NEWS2 score",
    "uncontrolled_pain": "Severe pain uncontrolled despite analgesia",
}
# Numbers are the clinical source's own references; a red flag the source does not name also
# carries a reference (RED_FLAG_REFERENCES) saying where it comes from.
RED_FLAG_SOURCES: dict[str, tuple[int, ...]] = {
    "cord_compression": (3,),
    "systemic_embolism": (3,),
    "progressive_neuro_deficit": (1, 3),
    "stroke_signs": (3,),
    "altered_consciousness": (3,),
    "respiratory_distress": (3,),
    "respiratory_depression": (),
    "circulatory_compromise": (3,),
    "news2_high": (),
    "uncontrolled_pain": (1,),
}
RED_FLAG_REFERENCES: dict[str, str] = {
    "systemic_embolism": SAFETY_REVIEW,
    "stroke_signs": SAFETY_REVIEW,
    "altered_consciousness": f"{SAFETY_REVIEW} {NEWS2_REFERENCE}",
    "respiratory_depression": f"{SAFETY_REVIEW} {NEWS2_REFERENCE}",
    "circulatory_compromise": f"{SAFETY_REVIEW} {NEWS2_REFERENCE}",
    "news2_high": NEWS2_REFERENCE,
}
# Who the nurse calls first, for the one-line escalation summary ("Emergency: call ... now").
RED_FLAG_CALLS: dict[str, str] = {
    "cord_compression": "the spinal surgeons",
    "systemic_embolism": "the emergency team",
    "progressive_neuro_deficit": "the spinal team",
    "stroke_signs": "the emergency team",
    "altered_consciousness": "the emergency team",
    "respiratory_distress": "the emergency team",
    "respiratory_depression": "the emergency team",
    "circulatory_compromise": "the emergency team",
    "news2_high": "the emergency team",
    "uncontrolled_pain": "the responsible doctor",
}
RED_FLAG_ACTIONS: dict[str, tuple[str, ...]] = {
    "cord_compression": (
        "Call the on-call spinal surgeons now: cement pressing on the spinal cord needs "
        "emergency surgical decompression",
        "Repeat and record the neurological examination, with the time, until the team takes over",
    ),
    "systemic_embolism": (
        "Resuscitate: ABCDE assessment and call the emergency team now; cement in the heart "
        "or brain is a medical emergency",
        "Brain: start the stroke pathway and arrange a CT of the head at once",
        "Heart: record a 12-lead ECG and ask for an echocardiogram",
    ),
    "progressive_neuro_deficit": (
        "Call the on-call spinal team now",
        "Emergency MRI of the spine; CT only if MRI is impossible, since a CT cannot rule out "
        "cord compression",
        "Repeat and record power, sensation and bowel and bladder function with the time; any "
        "further change is a new escalation",
    ),
    "stroke_signs": (
        "Call the emergency team now and start the stroke pathway; note when the signs were "
        "first seen",
        "CT of the head at once: cement embolism to the brain, or a stroke",
        "Record a 12-lead ECG and ask for an echocardiogram: cement may have passed through "
        "the heart",
    ),
    "altered_consciousness": (
        "ABCDE assessment now and call the emergency team",
        "Check the capillary blood glucose",
        "Review the opioids and sedatives given; give naloxone as the local protocol says if "
        "opioid toxicity is possible",
        "CT of the head if a cerebral event (cement embolism, stroke) is possible",
    ),
    "respiratory_distress": (
        # The same first words as the other ABCDE emergencies, so that the summary of a
        # patient with several says it once.
        "ABCDE assessment now and call the emergency team",
        "Give oxygen to the target saturation (94-98%, or 88-92% for a patient on SpO2 scale 2)",
        "Arrange a CT pulmonary angiogram: a pulmonary cement embolism must be ruled out",
        "Record a 12-lead ECG",
    ),
    "respiratory_depression": (
        "Stop opioids and other sedatives now",
        "Support the breathing and give naloxone as the local protocol says",
        "Ask for a senior medical review at once",
    ),
    "circulatory_compromise": (
        "ABCDE assessment now and call the emergency team",
        "Put in IV access and take bloods",
        "Record a 12-lead ECG and consider an echocardiogram (cement embolism to the heart)",
        "Look for bleeding and for sepsis",
    ),
    "news2_high": (
        "Emergency response: call the critical-care outreach or emergency team now",
        "Monitor the vital signs continuously",
    ),
    "uncontrolled_pain": (
        "Arrange emergency CT or MRI: severe pain despite adequate analgesia points to a "
        "significant complication",
        "Ask the responsible doctor to review the analgesia now",
    ),
}

# --- Pathways ---------------------------------------------------------------------------------

PATHWAY_TITLES: dict[str, str] = {
    "cord_compression": "Spinal cord compression",
    "cement_embolism": "Cement embolism (lungs, heart or brain)",
    "cement_leak_neural": "Cement leak into the foramina or epidural space",
    "infection": "Infection (spondylodiscitis or epidural abscess)",
    "adjacent_fracture": "New fracture at another level",
    "cement_leak_venous": "Cement leak into paravertebral veins",
    "cement_leak_intradiscal": "Cement leak into the disc",
    "transient_pain": "Transient post-procedural pain",
}
PATHWAY_SOURCES: dict[str, tuple[int, ...]] = {
    "cord_compression": (3,),
    "cement_embolism": (3,),
    "cement_leak_neural": (3,),
    "infection": (),
    "adjacent_fracture": (1,),
    "cement_leak_venous": (3,),
    "cement_leak_intradiscal": (4,),
    "transient_pain": (1, 3, 5),
}
PATHWAY_REFERENCES: dict[str, str] = {
    "infection": f"{SAFETY_REVIEW} Infection is a known complication that the source omits.",
}
ANTICOAGULATION_CAVEAT = (
    "Anticoagulation only if the embolism causes symptoms, and only once the medical team has "
    "weighed the bleeding risk: the spinal procedure is fresh and cement may lie near the "
    "epidural space"
)
# Actions per (pathway, status, variant). The variant is "" unless the rules chose another:
# "distressed" (cement embolism confirmed beside a red flag), "deficit" (a neural leak beside a
# new or worsening deficit, which may need decompression, not an injection).
PATHWAY_ACTIONS: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("cord_compression", "confirmed", ""): (
        "Refer to the spinal surgeons at once for emergency surgical decompression",
    ),
    ("cord_compression", "suspected", ""): (
        "Emergency MRI of the spine to confirm or rule out cord compression; a CT cannot rule "
        "it out",
        "Tell the spinal surgical team now, before the scan",
    ),
    ("cement_embolism", "confirmed", ""): (
        "Most pulmonary cement emboli cause no symptoms: supportive care and close observation",
        "Score NEWS2 at every set of observations; escalate at once on breathlessness, chest "
        "pain, a fast pulse or a falling saturation",
        ANTICOAGULATION_CAVEAT,
    ),
    ("cement_embolism", "confirmed", "distressed"): (
        "Treat as an emergency: ABCDE assessment, oxygen to target and the emergency team now",
        "Heart or brain: 12-lead ECG and echocardiogram; stroke pathway and CT of the head",
        ANTICOAGULATION_CAVEAT,
    ),
    ("cement_embolism", "suspected", ""): (
        "CT pulmonary angiogram to confirm or rule out a pulmonary cement embolism",
        "12-lead ECG; an echocardiogram, and a CT of the head, if the heart or brain may be "
        "involved",
        "Repeat the full set of observations and the NEWS2 score",
    ),
    ("cement_leak_neural", "confirmed", ""): (
        "For pain radiating along a nerve, an epidural steroid injection can be considered",
        "Repeat the neurological examination regularly; call the spinal team at once if any "
        "new weakness, numbness or bowel or bladder change appears",
    ),
    ("cement_leak_neural", "confirmed", "deficit"): (
        "Call the spinal surgeons now: cement at a nerve root with a new or worsening deficit "
        "may need surgical decompression",
        "Repeat and record the neurological examination with the time",
    ),
    ("cement_leak_neural", "suspected", "deficit"): (
        "Emergency MRI of the treated level: cement at a nerve root may be causing the deficit",
        "The spinal surgeons decide on surgical decompression",
    ),
    ("cement_leak_neural", "suspected", ""): (
        "CT or MRI of the treated level to look for cement in the foramina or epidural space",
        "Repeat the neurological examination regularly; call the spinal team at once if any "
        "new weakness, numbness or bowel or bladder change appears",
    ),
    ("infection", "confirmed", ""): (
        "Ask the spinal team to review today: spondylodiscitis or an epidural abscess needs "
        "specialist treatment",
        "Blood tests, including inflammatory markers, and blood cultures",
    ),
    ("infection", "suspected", ""): (
        "Blood tests, including inflammatory markers, and blood cultures",
        "MRI with contrast to look for spondylodiscitis or an epidural abscess",
        "Look for another source of fever (wound, urine, chest)",
    ),
    ("adjacent_fracture", "confirmed", ""): (
        "Conservative treatment first; if the pain does not settle, vertebroplasty of the "
        "newly fractured vertebra can be considered",
        "Start or review osteoporosis treatment to prevent further fractures",
    ),
    ("adjacent_fracture", "suspected", ""): (
        "MRI with STIR or T2 fat-saturated sequences to look for an acute fracture at another "
        "level",
    ),
    ("cement_leak_venous", "confirmed", ""): (
        "Watch for signs of cement embolism: breathlessness, chest pain, a fast pulse, a "
        "falling saturation",
        "Score NEWS2 at every set of observations",
    ),
    ("cement_leak_intradiscal", "confirmed", ""): (
        "Usually harmless, but it can cause discogenic pain: treat the pain conservatively",
        "Review again if the pain persists",
    ),
    ("transient_pain", "suspected", ""): (
        "Adequate analgesia, opioids included when they are needed",
        "Rest in bed for the first 24-48 hours",
        "Explain that a temporary rise in pain is common after the procedure and usually "
        "settles within days",
        "Reassess at once if the pain suddenly increases or any new symptom appears",
    ),
}

# --- Imaging and escalation -------------------------------------------------------------------

IMAGING_SOURCES: dict[str, tuple[int, ...]] = {
    "emergency": (1, 3),
    "urgent": (1, 2),
    "done": (1,),
}
IMAGING_TITLES: dict[str, str] = {
    "emergency": "Emergency imaging",
    "urgent": "Urgent imaging",
    "done": "Imaging done",
}
IMAGING_ACTIONS: dict[str, tuple[str, ...]] = {
    "emergency": (
        "Resuscitate an unstable patient first, then image as an emergency",
        "The scan fits the red flag: MRI of the spine for a neurological deficit, CT pulmonary "
        "angiogram for breathing problems or shock, CT of the head for stroke signs or a "
        "change in consciousness",
    ),
    "urgent": (
        "CT or MRI without delay to look for cement leakage and a new fracture; MRI for a "
        "suspected fracture, infection or cord compression",
        "Escalate to emergency imaging if a red flag appears while waiting",
    ),
    "done": (
        "Act on the reported findings",
        "Image again if the clinical picture changes",
    ),
}

ESCALATION_TITLES: dict[str, str] = {
    "emergency": "Emergency",
    "urgent": "Urgent review",
    "routine": "Routine",
}
ESCALATION_SOURCES: dict[str, tuple[int, ...]] = {
    "emergency": (1, 3),
    "urgent": (1,),
    "routine": (1, 3, 5),
}
ESCALATION_ACTIONS: dict[str, tuple[str, ...]] = {
    # Emergency: the first action of each red flag, built by the rules.
    "emergency": (),
    "urgent": (
        "Ask the responsible doctor to review the patient now; do not offer reassurance yet",
        "Repeat the observations and the neurological examination while you wait",
    ),
    "routine": (
        "No red flag was found: manage as transient pain after the procedure",
        "Continue the observations the NEWS2 score asks for, and reassess if anything changes",
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

# --- Sections and fields, in a nurse's words ----------------------------------------------

SECTION_TITLES: dict[str, str] = {
    "procedure": "Procedure",
    "symptoms": "Symptoms",
    "neuro": "Neuro exam",
    "vitals": "Vital signs",
    "imaging": "Imaging",
}
FIELD_LABELS: dict[str, str] = {
    "procedure.hours_since": "time since the procedure",
    "procedure.levels": "treated levels",
    "symptoms.pain_score": "pain score",
    "symptoms.pain_course": "course of the pain",
    "symptoms.radicular_pain": "radiating (radicular) pain",
    "symptoms.chest_pain": "chest pain",
    "symptoms.dyspnoea": "breathlessness",
    "symptoms.uncontrolled_despite_analgesia": "response to analgesia",
    "neuro.motor": "leg power",
    "neuro.sensory": "leg sensation",
    "neuro.upper_limb": "arm power and sensation",
    "neuro.bowel_bladder": "bowel and bladder",
    "neuro.focal_signs": "stroke signs (face, speech, vision)",
    "vitals.respiratory_rate": "respiratory rate",
    "vitals.spo2": "SpO2",
    "vitals.spo2_scale": "SpO2 scale",
    "vitals.on_oxygen": "air or oxygen",
    "vitals.oxygen_reason": "reason for oxygen",
    "vitals.systolic_bp": "systolic blood pressure",
    "vitals.heart_rate": "pulse",
    "vitals.consciousness": "consciousness (ACVPU)",
    "vitals.temperature": "temperature",
    "imaging.status": "imaging status",
    "imaging.modality": "type of scan",
    "imaging.findings": "scan findings",
    "imaging.after_current_symptoms": "whether the scan followed the current symptoms",
}


def join_words(words: list[str] | tuple[str, ...]) -> str:
    """Words joined as a nurse would say them.

    >>> join_words(["SpO2"]), join_words(["SpO2", "air or oxygen", "pulse"])
    ('SpO2', 'SpO2, air or oxygen and pulse')
    """
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def field_labels(section: str, names: tuple[str, ...] | list[str]) -> str:
    """Fields of one section in words.

    >>> field_labels("neuro", ["bowel_bladder", "focal_signs"])
    'bowel and bladder and stroke signs (face, speech, vision)'
    """
    return join_words([FIELD_LABELS.get(f"{section}.{name}", name) for name in names])


# Warnings for sections that were not assessed: absence of a finding is never normality.
NOT_ASSESSED_WARNINGS: dict[str, str] = {
    "procedure": (
        "Procedure not recorded: the time since the procedure and the treated levels are "
        "unknown, so the arms must be examined and reassurance needs the pain to be improving"
    ),
    "symptoms": (
        "Symptoms not assessed: their absence cannot be assumed; ask about the pain score and "
        "course, radiating pain, chest pain, breathlessness and the response to analgesia"
    ),
    "neuro": (
        "Neuro exam not assessed: a normal result cannot be assumed; examine leg (and, after a "
        "neck or upper thoracic level, arm) power and sensation, bowel and bladder function, "
        "and the face, speech and vision"
    ),
    "vitals": (
        "Vital signs not assessed: NEWS2 cannot be scored and respiratory distress or shock "
        "cannot be ruled out; record respiratory rate, SpO2, air or oxygen, blood pressure, "
        "pulse, consciousness and temperature"
    ),
    "imaging": "Imaging not recorded: it is treated as not done",
}

# --- Findings in words ------------------------------------------------------------------------

_NEURO_WORDS = {
    "neuro.motor": "leg weakness",
    "neuro.sensory": "leg sensory loss",
    "neuro.upper_limb": "arm weakness or sensory loss",
}
_NEURO_NORMAL = {
    "neuro.motor": "Normal leg power",
    "neuro.sensory": "Normal leg sensation",
    "neuro.upper_limb": "Normal arm power and sensation",
}
_NEURO_STATUS_WORDS = {
    "stable_deficit": "Known, unchanged {kind}",
    "new_deficit": "New {kind}",
    "worsening_deficit": "Worsening {kind}",
}
_FIXED_DESCRIPTIONS: dict[tuple[str, object], str] = {
    ("neuro.bowel_bladder", "normal"): "Normal bowel and bladder function",
    ("neuro.bowel_bladder", "stable_dysfunction"): "Known, unchanged bowel or bladder problem",
    ("neuro.bowel_bladder", "new_dysfunction"): "New bowel or bladder dysfunction",
    ("neuro.bowel_bladder", "worsening_dysfunction"): "Worsening bowel or bladder dysfunction",
    ("neuro.focal_signs", True): "New facial droop, speech disturbance or loss of vision",
    ("neuro.focal_signs", False): "No new facial, speech or visual signs",
    ("symptoms.chest_pain", True): "New chest pain",
    ("symptoms.chest_pain", False): "No new chest pain",
    ("symptoms.dyspnoea", True): "New or worse breathlessness",
    ("symptoms.dyspnoea", False): "No new breathlessness",
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
    ("symptoms.pain_course", "new_back_pain"): "New back pain at another level of the spine",
    ("vitals.on_oxygen", True): "On supplemental oxygen",
    ("vitals.on_oxygen", False): "Breathing air",
    ("vitals.oxygen_reason", "routine"): "Routine oxygen after sedation",
    ("vitals.oxygen_reason", "long_term"): "The patient's usual home oxygen",
    ("vitals.oxygen_reason", "low_saturation"): "Oxygen started or increased for a low SpO2",
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
    ("imaging.after_current_symptoms", True): "Scanned after the current symptoms began",
    ("imaging.after_current_symptoms", False): "Scanned before the current symptoms began",
}
IMAGING_FINDING_TEXT: dict[str, str] = {
    "no_leak": "No cement leak or other abnormality",
    "foraminal_leak": "Foraminal cement leak",
    "epidural_leak": "Epidural cement leak",
    "paravertebral_venous_leak": "Paravertebral venous cement leak",
    "intradiscal_leak": "Intradiscal cement leak",
    "pulmonary_cement_embolism": "Pulmonary cement embolism",
    "cardiac_cement_embolism": "Cement embolism in the heart",
    "cerebral_cement_embolism": "Cement embolism in the brain",
    "new_adjacent_fracture": "New fracture at another level",
    "cord_compression": "Spinal cord compression",
    "infection": "Infection (spondylodiscitis or epidural abscess)",
}
_UNITS: dict[str, str] = {
    "symptoms.pain_score": "Pain {}/10",
    "vitals.respiratory_rate": "Respiratory rate {}/min",
    "vitals.spo2": "SpO2 {}%",
    "vitals.spo2_scale": "SpO2 scale {}",
    "vitals.systolic_bp": "Systolic BP {} mmHg",
    "vitals.heart_rate": "Pulse {}/min",
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
    'New chest pain'
    >>> describe_finding("imaging.findings", "epidural_leak")
    'Epidural cement leak'
    >>> describe_finding("vitals.temperature", 38.0)
    'Temperature 38 °C'
    >>> describe_finding("neuro.upper_limb", "worsening_deficit")
    'Worsening arm weakness or sensory loss'
    """
    if isinstance(value, str | bool):
        fixed = _FIXED_DESCRIPTIONS.get((path, value))
        if fixed is not None:
            return fixed
    if path in _NEURO_WORDS:
        if value == "normal":
            return _NEURO_NORMAL[path]
        if value in _NEURO_STATUS_WORDS:
            return _NEURO_STATUS_WORDS[value].format(kind=_NEURO_WORDS[path])
    if path == "imaging.findings" and value in IMAGING_FINDING_TEXT:
        return IMAGING_FINDING_TEXT[value]
    if path == "procedure.levels" and isinstance(value, list | tuple):
        return "Treated levels " + ", ".join(str(level) for level in value)
    template = _UNITS.get(path)
    if template is not None and isinstance(value, int | float):
        return template.format(format_number(value))
    return f"{path} = {value}"
