"""The names this product gives its FHIR artefacts, and the standard codes it uses.

Our own names (the Questionnaire's canonical URL, the code systems of the contract's codes)
live under the reserved ``.example`` domain: they are identifiers that stay the same in every
hospital's installation, not addresses to fetch. The Questionnaire itself is served at
``/fhir/Questionnaire/vertebroplasty-pain-triage``.

Standard codes, and where they come from:

* Vital signs: LOINC, as the FHIR R4 vital signs profiles require (respiratory rate 9279-1,
  oxygen saturation 59408-5 by pulse oximetry with 2708-6, systolic 8480-6, heart rate 8867-4,
  body temperature 8310-5), with UCUM units (``/min``, ``%``, ``mm[Hg]``, ``Cel``).
* ACVPU, air or oxygen, the NEWS2 total and its sub-scores: SNOMED CT UK edition codes, as
  the NHS NEWS2 FHIR guidance (INTEROPen / NHS Digital CareConnect NEWS2 profiles) fixes
  them: ACVPU 1104441000000107 with 248234008, 130987000, 300202002, 450847001, 422768004 as
  its values; "Patient on oxygen" 371825009 or "Breathing room air" 722742002 as a code-only
  observation; the total 1104051000000101 (a SNOMED CT concept, not a LOINC code) and one
  SNOMED CT code per sub-score. LOINC's 67775-7 (level of responsiveness) is not used for
  ACVPU: the NHS guidance codes it in SNOMED CT, with a value for C (new confusion), which
  NEWS2 scores 3 as it scores V, P and U.
* The NEWS2 score's unit is UCUM's ``{score}``.

Pure: the standard library only.

>>> answer_system("neuro.motor")
'https://vertebroplasty-triage.example/fhir/CodeSystem/neuro.motor'
>>> VITAL_SIGNS["vitals.spo2"].codings[0].code, VITAL_SIGNS["vitals.spo2"].ucum
('59408-5', '%')
"""

from __future__ import annotations

from dataclasses import dataclass

BASE = "https://vertebroplasty-triage.example/fhir"
QUESTIONNAIRE_ID = "vertebroplasty-pain-triage"
QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/{QUESTIONNAIRE_ID}"
FHIR_JSON = "application/fhir+json"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
DOCUMENT_COMPLETION = "http://terminology.hl7.org/CodeSystem/v3-DocumentCompletion"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ITEM_UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"


def code_system(name: str) -> str:
    """The canonical URL of one of our code systems."""
    return f"{BASE}/CodeSystem/{name}"


def answer_system(path: str) -> str:
    """The code system of a findings key's codes (``neuro.motor``, ``procedure.levels``...)."""
    return code_system(path)


RED_FLAG = code_system("red-flag")
PATHWAY = code_system("pathway")
PATHWAY_STATUS = code_system("pathway-status")
ESCALATION = code_system("escalation")
NEWS2_BAND = code_system("news2-band")
RULES_VERSION = code_system("rules-version")
GUIDANCE_VERSION = code_system("guidance-version")
TRIAGE = code_system("triage")
ESCALATION_EXTENSION = f"{BASE}/StructureDefinition/escalation"
ENCOUNTER_ID = f"{BASE}/encounter"
USER_NAME = f"{BASE}/user"


@dataclass(frozen=True, slots=True)
class Code:
    system: str
    code: str
    display: str

    def coding(self) -> dict[str, str]:
        return {"system": self.system, "code": self.code, "display": self.display}


@dataclass(frozen=True, slots=True)
class VitalSign:
    """How one numeric vital sign is coded: its codes (the first is the one to look for), and
    its unit as shown and in UCUM."""

    codings: tuple[Code, ...]
    unit: str
    ucum: str


VITAL_SIGNS: dict[str, VitalSign] = {
    "vitals.respiratory_rate": VitalSign(
        (Code(LOINC, "9279-1", "Respiratory rate"),), "breaths/minute", "/min"
    ),
    "vitals.spo2": VitalSign(
        (
            Code(LOINC, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
            Code(LOINC, "2708-6", "Oxygen saturation in Arterial blood"),
            Code(SNOMED, "103228002", "Hemoglobin saturation with oxygen"),
        ),
        "%",
        "%",
    ),
    "vitals.systolic_bp": VitalSign(
        (Code(LOINC, "8480-6", "Systolic blood pressure"),), "mmHg", "mm[Hg]"
    ),
    "vitals.heart_rate": VitalSign((Code(LOINC, "8867-4", "Heart rate"),), "beats/minute", "/min"),
    "vitals.temperature": VitalSign((Code(LOINC, "8310-5", "Body temperature"),), "°C", "Cel"),
}
# Units of the other numeric keys, for the Questionnaire.
UNITS: dict[str, tuple[str, str]] = {
    "procedure.hours_since": ("hours", "h"),
    **{path: (sign.unit, sign.ucum) for path, sign in VITAL_SIGNS.items()},
}

ACVPU = Code(
    SNOMED, "1104441000000107", "ACVPU (Alert Confusion Voice Pain Unresponsive) scale score"
)
ACVPU_VALUES: dict[str, Code] = {
    "A": Code(SNOMED, "248234008", "Mentally alert"),
    "C": Code(SNOMED, "130987000", "Acute confusion"),
    "V": Code(SNOMED, "300202002", "Responds to voice"),
    "P": Code(SNOMED, "450847001", "Responds to pain"),
    "U": Code(SNOMED, "422768004", "Unresponsive"),
}
ON_OXYGEN = Code(SNOMED, "371825009", "Patient on oxygen")
ON_AIR = Code(SNOMED, "722742002", "Breathing room air")

_NEWS2 = "Royal College of Physicians NEWS2 (National Early Warning Score 2)"
NEWS2_TOTAL = Code(SNOMED, "1104051000000101", f"{_NEWS2} total score")
# The sub-scores, by the engine's names (``early_warning.SUB_SCORES``); SpO2 by its scale.
NEWS2_SUB_SCORES: dict[str, Code] = {
    "respiratory_rate": Code(SNOMED, "1104301000000104", f"{_NEWS2} - respiration rate score"),
    "spo2": Code(SNOMED, "1104311000000102", f"{_NEWS2} - oxygen saturation scale 1 score"),
    "spo2_scale_2": Code(SNOMED, "1104321000000108", f"{_NEWS2} - oxygen saturation scale 2 score"),
    "air_or_oxygen": Code(SNOMED, "1104331000000105", f"{_NEWS2} - air or oxygen score"),
    "systolic_bp": Code(SNOMED, "1104341000000101", f"{_NEWS2} - systolic blood pressure score"),
    "heart_rate": Code(SNOMED, "1104351000000103", f"{_NEWS2} - pulse score"),
    "consciousness": Code(SNOMED, "1104361000000100", f"{_NEWS2} - consciousness score"),
    "temperature": Code(SNOMED, "1104371000000107", f"{_NEWS2} - temperature score"),
}
