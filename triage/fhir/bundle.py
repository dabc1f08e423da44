"""One encounter as a FHIR R4 ``Bundle`` of type ``collection`` (the API's FHIR export).

What was recorded and shown, never recomputed: each submitted round's stored findings and
assessment, under the rules and guidance versions it was made with (each resource of a round
carries both as ``meta.tag``s). A draft round is not exported: it is not a record yet.

* ``Patient``: the identifier the product stores and nothing else (an NHS number under the NHS
  number system; any other as a hospital number, whose issuing system the product does not
  know). No demographics.
* ``Practitioner``: each user named, by user name only (the product keeps no other).
* per submitted round:
  - ``QuestionnaireResponse``: the findings as given, answering the Questionnaire of the
    round's rules version (``…|v2``), ``authored`` when submitted, ``author`` who submitted;
  - an ``Observation`` per vital sign recorded (codes in ``terminology``), ACVPU and air or
    oxygen coded as the NHS NEWS2 guidance codes them;
  - the NEWS2 total as an ``Observation`` with its sub-scores as components, when it was
    scored;
  - a ``RiskAssessment``: the escalation (an extension), one prediction per pathway with its
    status, what was not assessed, and the physicians' overrides as notes (the assessment
    itself is never changed by them);
  - a ``Flag`` per red flag. Flags stay ``active``: an override or a later round is a note
    for a clinician to read, not a reason for a receiving system to stop alerting.
  - a ``Communication`` per escalation call the nurse recorded (whom they told, how, when,
    and what was said), about the round's ``RiskAssessment``;
  - a ``Provenance`` for a physician's acknowledgement of the escalation, over the round's
    ``RiskAssessment`` and calls.
* ``Provenance``: the sign-off, its signer and time, targeting every round's resources.
* ``CarePlan``: the discharge, as its checklist was completed: the follow-up appointment, the
  osteoporosis treatment, and as notes the mobilisation, pain control and the patient told to
  report new back pain at once (by whom).

References are ``urn:uuid:`` full URLs inside the Bundle, derived from the encounter's id so
that the same encounter always exports the same ids.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.utils import timezone

from triage.clinical.explain import (
    ESCALATION_TITLES,
    PATHWAY_TITLES,
    RED_FLAG_TITLES,
    SECTION_TITLES,
    describe_finding,
)
from triage.clinical.snapshots import stored_escalation
from triage.escalation_record import acknowledgement_of, calls_of
from triage.fhir.questionnaire import option_display
from triage.fhir.response import response_items
from triage.fhir.terminology import (
    ACVPU,
    ACVPU_VALUES,
    DOCUMENT_COMPLETION,
    ENCOUNTER_ID,
    ESCALATION,
    ESCALATION_EXTENSION,
    GUIDANCE_VERSION,
    IDENTIFIER_TYPE,
    NEWS2_BAND,
    NEWS2_SUB_SCORES,
    NEWS2_TOTAL,
    NHS_NUMBER,
    OBSERVATION_CATEGORY,
    ON_AIR,
    ON_OXYGEN,
    PARTICIPANT_TYPE,
    PATHWAY,
    PATHWAY_STATUS,
    QUESTIONNAIRE_URL,
    RED_FLAG,
    RULES_VERSION,
    TRIAGE,
    UCUM,
    USER_NAME,
    VITAL_SIGNS,
    answer_system,
)
from triage.forms.wizard import nhs_number
from triage.models import Discharge, Encounter, EscalationCall, Override, Round, User
from triage.presenters import NEWS2_BAND_LABELS
from triage.record_parts import rounds_with_overrides, sign_off_and_addenda

Resource = dict[str, Any]
Reference = dict[str, str]

FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"


def category(code: str, display: str) -> list[Resource]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": code, "display": display}]}]


VITAL_SIGNS_CATEGORY = category("vital-signs", "Vital Signs")
SURVEY_CATEGORY = category("survey", "Survey")


def at(value: datetime) -> str:
    return value.isoformat()


def patient_identifier(stored: str) -> Resource:
    """The identifier as the product stores it: an NHS number (kept as its 10 digits once its
    check digit is right) or a hospital number as written."""
    try:
        digits = nhs_number(stored)
    except ValueError:
        digits = None
    if digits is not None:
        return {"system": NHS_NUMBER, "value": digits}
    medical_record = {"system": IDENTIFIER_TYPE, "code": "MR", "display": "Medical record number"}
    return {"type": {"coding": [medical_record], "text": "Hospital number"}, "value": stored}


class BundleBuilder:
    """Collects the entries of one encounter's Bundle."""

    def __init__(self, encounter: Encounter) -> None:
        self.encounter = encounter
        self.entries: list[Resource] = []
        self.practitioners: dict[str, Reference] = {}

    def add(self, name: str, resource: Resource, display: str | None = None) -> Reference:
        """Add `resource` under a stable id derived from `name`; return a reference to it."""
        ident = str(uuid.uuid5(self.encounter.pk, name))
        url = f"urn:uuid:{ident}"
        self.entries.append({"fullUrl": url, "resource": {**resource, "id": ident}})
        return {"reference": url, "display": display} if display else {"reference": url}

    def practitioner(self, user: User) -> Reference:
        name = user.get_username()
        if name not in self.practitioners:
            resource = {
                "resourceType": "Practitioner",
                "identifier": [{"system": USER_NAME, "value": name}],
            }
            self.practitioners[name] = self.add(f"practitioner/{name}", resource, name)
        return self.practitioners[name]

    def bundle(self) -> Resource:
        return {
            "resourceType": "Bundle",
            "identifier": {"system": ENCOUNTER_ID, "value": str(self.encounter.pk)},
            "type": "collection",
            "timestamp": at(timezone.now()),
            "entry": self.entries,
        }


def verifier(who: Reference) -> Resource:
    """A Provenance agent: the physician who verified (signed off, acknowledged)."""
    coding = {"system": PARTICIPANT_TYPE, "code": "verifier", "display": "Verifier"}
    return {"type": {"coding": [coding]}, "who": who}


def tags(round: Round) -> Resource:
    versions = [
        {
            "system": RULES_VERSION,
            "code": round.rules_version,
            "display": f"Assessment rules {round.rules_version}",
        }
    ]
    if round.guidance_version is not None:
        number = round.guidance_version.number
        versions.append(
            {
                "system": GUIDANCE_VERSION,
                "code": str(number),
                "display": f"Guidance version {number}",
            }
        )
    return {"tag": versions}


class RoundResources:
    """The resources of one submitted round."""

    def __init__(self, builder: BundleBuilder, round: Round, patient: Reference) -> None:
        assert round.submitted_at is not None and round.submitted_by is not None
        self.builder = builder
        self.round = round
        self.name = f"round/{round.number}"
        self.patient = patient
        self.when = at(round.submitted_at)
        self.nurse = builder.practitioner(round.submitted_by)
        self.meta = tags(round)
        self.findings: dict[str, Any] = round.findings or {}
        self.assessment: dict[str, Any] = round.assessment or {}
        self.targets: list[Reference] = []

    def add(self, name: str, resource: Resource) -> Reference:
        reference = self.builder.add(f"{self.name}/{name}", {**resource, "meta": self.meta})
        self.targets.append({"reference": reference["reference"]})
        return reference

    def observation(self, name: str, resource: Resource, based_on: Reference) -> Reference:
        return self.add(
            name,
            {
                "resourceType": "Observation",
                "status": "final",
                **resource,
                "subject": self.patient,
                "effectiveDateTime": self.when,
                "performer": [self.nurse],
                "derivedFrom": [based_on],
            },
        )

    def response(self) -> Reference:
        return self.add(
            "response",
            {
                "resourceType": "QuestionnaireResponse",
                "questionnaire": f"{QUESTIONNAIRE_URL}|{self.round.rules_version}",
                "status": "completed",
                "subject": self.patient,
                "authored": self.when,
                "author": self.nurse,
                "item": response_items(self.findings, display=option_display),
            },
        )

    def vital_signs(self, response: Reference) -> list[Reference]:
        vitals: dict[str, Any] = self.findings.get("vitals") or {}
        made = []
        for key, value in vitals.items():
            path = f"vitals.{key}"
            if path in VITAL_SIGNS:
                sign = VITAL_SIGNS[path]
                resource = {
                    "category": VITAL_SIGNS_CATEGORY,
                    "code": {"coding": [code.coding() for code in sign.codings]},
                    "valueQuantity": {
                        "value": value,
                        "unit": sign.unit,
                        "system": UCUM,
                        "code": sign.ucum,
                    },
                }
            elif key == "consciousness" and value in ACVPU_VALUES:
                ours = {"system": answer_system(path), "code": value}
                resource = {
                    "category": SURVEY_CATEGORY,
                    "code": {"coding": [ACVPU.coding()]},
                    "valueCodeableConcept": {
                        "coding": [ACVPU_VALUES[value].coding(), ours],
                        "text": describe_finding(path, value),
                    },
                }
            elif key == "on_oxygen" and isinstance(value, bool):
                # Code-only, as the NHS NEWS2 guidance records air or oxygen.
                resource = {"code": {"coding": [(ON_OXYGEN if value else ON_AIR).coding()]}}
                reason = vitals.get("oxygen_reason")
                if value and reason:
                    resource["note"] = [{"text": describe_finding("vitals.oxygen_reason", reason)}]
            else:
                continue  # the SpO2 scale and the reason for oxygen qualify the others
            made.append(self.observation(key, resource, response))
        return made

    def news2(self, vital_signs: list[Reference]) -> Reference | None:
        scored = self.assessment.get("news2")
        if not scored:
            return None
        detail = self.assessment.get("news2_detail") or {}
        scale_2 = (self.findings.get("vitals") or {}).get("spo2_scale") == 2
        components = []
        for name, value in (detail.get("sub_scores") or {}).items():
            code = NEWS2_SUB_SCORES.get("spo2_scale_2" if name == "spo2" and scale_2 else name)
            if code is not None:
                components.append(
                    {"code": {"coding": [code.coding()]}, "valueQuantity": score(value)}
                )
        band = scored["band"]
        resource: Resource = {
            "resourceType": "Observation",
            "status": "final",
            "category": SURVEY_CATEGORY,
            "code": {"coding": [NEWS2_TOTAL.coding()]},
            "subject": self.patient,
            "effectiveDateTime": self.when,
            "performer": [self.nurse],
            "valueQuantity": score(scored["score"]),
            "interpretation": [
                {
                    "coding": [{"system": NEWS2_BAND, "code": band}],
                    "text": f"NEWS2 {NEWS2_BAND_LABELS.get(band, band)}",
                }
            ],
            "derivedFrom": vital_signs,
        }
        if components:
            resource["component"] = components
        return self.add("news2", resource)

    def risk_assessment(self, basis: list[Reference], overrides: list[Override]) -> Reference:
        escalation = stored_escalation(self.assessment)
        headline = (self.assessment.get("escalation_detail") or {}).get("headline")
        predictions = [
            {
                "outcome": {
                    "coding": [
                        {
                            "system": PATHWAY,
                            "code": pathway["code"],
                            "display": PATHWAY_TITLES.get(pathway["code"], pathway["code"]),
                        }
                    ]
                },
                "qualitativeRisk": {
                    "coding": [
                        {
                            "system": PATHWAY_STATUS,
                            "code": pathway["status"],
                            "display": pathway["status"].capitalize(),
                        }
                    ]
                },
                **({"rationale": pathway["reason"]} if pathway.get("reason") else {}),
            }
            for pathway in self.assessment.get("pathways") or ()
        ]
        notes = [{"text": text} for text in self.gaps()] + [
            {
                "authorReference": self.builder.practitioner(override.by),
                "time": at(override.created_at),
                "text": (
                    f"Physician's override of the {override.get_kind_display().lower()} "
                    f"{override.code}: {override.original} -> {override.decision}. "
                    f"Reason: {override.reason}"
                ),
            }
            for override in overrides
        ]
        resource: Resource = {
            "resourceType": "RiskAssessment",
            "extension": [
                {
                    "url": ESCALATION_EXTENSION,
                    "valueCodeableConcept": {
                        "coding": [
                            {
                                "system": ESCALATION,
                                "code": escalation,
                                "display": ESCALATION_TITLES.get(escalation, escalation),
                            }
                        ]
                    },
                }
            ],
            "status": "final",
            "method": {
                "coding": [
                    {
                        "system": RULES_VERSION,
                        "code": self.round.rules_version,
                        "display": f"Assessment rules {self.round.rules_version}",
                    }
                ]
            },
            "code": {
                "coding": [
                    {
                        "system": TRIAGE,
                        "code": "post-vertebroplasty-pain",
                        "display": "Post-vertebroplasty pain triage",
                    }
                ]
            },
            "subject": self.patient,
            "occurrenceDateTime": self.when,
            "performer": self.nurse,
            "basis": basis,
        }
        if predictions:
            resource["prediction"] = predictions
        if headline:
            resource["mitigation"] = headline
        if notes:
            resource["note"] = notes
        return self.add("risk-assessment", resource)

    def escalation(self, risk: Reference) -> None:
        """The round's escalation record: each call, and the acknowledgement over them."""
        about = [risk]
        for index, call in enumerate(calls_of(self.round), start=1):
            about.append(self.add(f"escalation-call/{index}", self.communication(call, risk)))
        acknowledgement = acknowledgement_of(self.round)
        if acknowledgement is None:
            return
        self.builder.add(
            f"{self.name}/escalation-acknowledgement",
            {
                "resourceType": "Provenance",
                "meta": self.meta,
                "target": [{"reference": ref["reference"]} for ref in about],
                "recorded": at(acknowledgement.acknowledged_at),
                "activity": {"text": "Escalation acknowledged by a physician"},
                "agent": [verifier(self.builder.practitioner(acknowledgement.by))],
            },
        )

    def communication(self, call: EscalationCall, risk: Reference) -> Resource:
        role = EscalationCall.InformedRole(call.informed_role).label
        response = EscalationCall.Response(call.response).label
        said = f"{response}: {call.response_detail}" if call.response_detail else response
        return {
            "resourceType": "Communication",
            "status": "completed",
            "category": [{"text": "Escalation of an emergency or urgent assessment"}],
            "subject": self.patient,
            "about": [risk],
            "sent": at(call.called_at),
            "sender": self.builder.practitioner(call.recorded_by),
            "recipient": [{"display": f"{call.informed_name} ({role})"}],
            "medium": [{"text": EscalationCall.Method(call.method).label}],
            "payload": [{"contentString": said}],
        }

    def gaps(self) -> list[str]:
        """What the assessment could not judge, in words."""
        words = []
        for key, what in (("not_assessed", "Not assessed"), ("incomplete", "Incomplete")):
            sections = self.assessment.get(key) or []
            if sections:
                names = ", ".join(SECTION_TITLES.get(s, s).lower() for s in sections)
                words.append(f"{what}: {names}.")
        return words

    def flags(self) -> None:
        for flag in self.assessment.get("red_flags") or ():
            code = flag["code"]
            title = flag.get("title") or RED_FLAG_TITLES.get(code, code)
            self.add(
                f"flag/{code}",
                {
                    "resourceType": "Flag",
                    "status": "active",
                    "category": [
                        {
                            "coding": [
                                {"system": FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}
                            ]
                        }
                    ],
                    "code": {
                        "coding": [{"system": RED_FLAG, "code": code, "display": title}],
                        "text": flag.get("reason") or title,
                    },
                    "subject": self.patient,
                    "period": {"start": self.when},
                    "author": self.nurse,
                },
            )


def score(value: int) -> Resource:
    return {"value": value, "unit": "score", "system": UCUM, "code": "{score}"}


# How far each osteoporosis choice has got, as a CarePlan activity's status.
OSTEOPOROSIS_STATUS = {
    Discharge.Osteoporosis.BISPHOSPHONATE: "in-progress",
    Discharge.Osteoporosis.DENOSUMAB: "in-progress",
    Discharge.Osteoporosis.TERIPARATIDE: "in-progress",
    Discharge.Osteoporosis.REFERRED: "scheduled",
    Discharge.Osteoporosis.NOT_STARTED: "not-started",
}


def discharge_plan(builder: BundleBuilder, discharge: Discharge, patient: Reference) -> None:
    osteoporosis: Resource = {
        "status": OSTEOPOROSIS_STATUS[Discharge.Osteoporosis(discharge.osteoporosis)],
        "description": Discharge.Osteoporosis(discharge.osteoporosis).label,
    }
    if discharge.osteoporosis_reason:
        osteoporosis["statusReason"] = {"text": discharge.osteoporosis_reason}
    notes = [
        "Supervised mobilisation done." if discharge.mobilised else "",
        "Pain controlled on the discharge analgesia." if discharge.pain_controlled else "",
        f"Told to report sudden or new back pain at once, by {discharge.educated_by}.",
    ]
    builder.add(
        "discharge",
        {
            "resourceType": "CarePlan",
            "status": "active",
            "intent": "plan",
            "title": "Discharge after vertebroplasty",
            "subject": patient,
            "created": at(discharge.discharged_at),
            "author": builder.practitioner(discharge.discharged_by),
            "activity": [
                {
                    "detail": {
                        "kind": "Appointment",
                        "status": "scheduled",
                        "description": f"Follow-up with {discharge.follow_up_with}",
                        "scheduledPeriod": {"start": discharge.follow_up_on.isoformat()},
                    }
                },
                {"detail": osteoporosis},
            ],
            "note": [{"text": note} for note in notes if note],
        },
    )


def encounter_bundle(encounter: Encounter) -> Resource:
    """The Bundle (a plain dict, JSON-ready); `encounter` best read `with_record_parts`."""
    builder = BundleBuilder(encounter)
    patient = builder.add(
        "patient",
        {
            "resourceType": "Patient",
            "identifier": [patient_identifier(encounter.patient_identifier)],
        },
    )
    targets: list[Reference] = []
    for round, overrides in rounds_with_overrides(encounter):
        if round.status != Round.Status.SUBMITTED:
            continue
        resources = RoundResources(builder, round, patient)
        response = resources.response()
        vital_signs = resources.vital_signs(response)
        news2 = resources.news2(vital_signs)
        basis = [response, *vital_signs, *([news2] if news2 else [])]
        risk = resources.risk_assessment(basis, overrides)
        resources.flags()
        resources.escalation(risk)
        targets += resources.targets
    sign_off, _ = sign_off_and_addenda(encounter)
    if sign_off is not None and targets:
        builder.add(
            "sign-off",
            {
                "resourceType": "Provenance",
                "target": targets,
                "recorded": at(sign_off.signed_at),
                "activity": {
                    "coding": [
                        {
                            "system": DOCUMENT_COMPLETION,
                            "code": "LA",
                            "display": "legally authenticated",
                        }
                    ],
                    "text": "Signed off by a physician",
                },
                "agent": [verifier(builder.practitioner(sign_off.signed_by))],
            },
        )
    discharge = getattr(encounter, "discharge", None)  # none is an AttributeError
    if discharge is not None:
        discharge_plan(builder, discharge, patient)
    return builder.bundle()
