"""The clinical engine: post-vertebroplasty pain triage as one pure function.

Findings in, assessment out, as fixed by ``shared/clinical/assessment-contract.md`` (v2). The
wizard, the JSON API and ``manage.py assess`` all call this package, so they cannot disagree.
It imports nothing outside the standard library (no Django): it is tested without a database
and the command line answers without starting Django.

>>> result = assess_json({
...     "symptoms": {"pain_score": 8, "uncontrolled_despite_analgesia": True},
...     "neuro": {"motor": "new_deficit"},
... }).to_dict()
>>> [flag["code"] for flag in result["red_flags"]], result["escalation"]
(['progressive_neuro_deficit', 'uncontrolled_pain'], 'emergency')
>>> result["not_assessed"], result["incomplete"]
(['procedure', 'vitals', 'imaging'], ['symptoms', 'neuro'])
"""

from triage.clinical.assessment import (
    CONTRACT_VERSION,
    Assessment,
    DerivedSigns,
    Escalation,
    ImagingAdvice,
    Pathway,
    RedFlag,
)
from triage.clinical.early_warning import News2, missing_parameters, news2
from triage.clinical.explain import (
    ESCALATION_CODES,
    GUIDANCE_KEYS,
    IMAGING_CODES,
    PATHWAY_CODES,
    RED_FLAG_CODES,
    SOURCES,
    describe_finding,
)
from triage.clinical.findings import (
    ROOT,
    Findings,
    FindingsError,
    Imaging,
    Neuro,
    Procedure,
    Symptoms,
    Vitals,
    load_json,
    parse_findings,
)
from triage.clinical.rules import assess

__all__ = [
    "CONTRACT_VERSION",
    "ESCALATION_CODES",
    "GUIDANCE_KEYS",
    "IMAGING_CODES",
    "PATHWAY_CODES",
    "RED_FLAG_CODES",
    "ROOT",
    "SOURCES",
    "Assessment",
    "DerivedSigns",
    "Escalation",
    "Findings",
    "FindingsError",
    "Imaging",
    "ImagingAdvice",
    "Neuro",
    "News2",
    "Pathway",
    "Procedure",
    "RedFlag",
    "Symptoms",
    "Vitals",
    "assess",
    "assess_json",
    "describe_finding",
    "load_json",
    "missing_parameters",
    "news2",
    "parse_findings",
]


def assess_json(data: object) -> Assessment:
    """Validate decoded JSON findings and assess them (raises :class:`FindingsError`)."""
    return assess(parse_findings(data))
