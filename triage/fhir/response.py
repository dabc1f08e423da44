"""Findings read from a FHIR ``QuestionnaireResponse`` to this product's Questionnaire.

Each question's ``linkId`` is the contract's field path (``vitals.spo2``), inside the group of
its section (``vitals``), so the answers become the contract's findings key for key; the
engine then judges them exactly as it judges findings JSON. Problems are refused in the
contract's error format, under the same field paths: an unknown ``linkId`` is an "unknown
field", a wrong answer type names the ``value[x]`` the question takes, an out-of-range value
gets the engine's own message. A question without an answer is not assessed, never normal;
an answer to a question the Questionnaire's ``enableWhen`` would have hidden is still read
(an arm deficit after a lumbar level is itself a stroke sign: dropping it would hide a red
flag), and the engine's cross-field checks judge it as they judge findings JSON.

Only a response that is finished is assessed: ``completed``, or ``amended`` (a completed one
corrected). One ``in-progress``, ``stopped`` or ``entered-in-error`` is refused, as is one that
answers another questionnaire (or another version of this one): its linkIds may mean something
else.

Pure: the standard library and the engine, so ``manage.py assess --fhir`` needs no Django.

>>> findings = parse_response({
...     "resourceType": "QuestionnaireResponse", "status": "completed",
...     "questionnaire": QUESTIONNAIRE_URL + "|v2",
...     "item": [{"linkId": "vitals", "item": [
...         {"linkId": "vitals.spo2", "answer": [{"valueInteger": 97}]},
...         {"linkId": "vitals.consciousness", "answer": [{"valueCoding": {"code": "A"}}]}]}]})
>>> findings.vitals.spo2, findings.vitals.consciousness
(97, 'A')
>>> try:
...     parse_response({"resourceType": "QuestionnaireResponse", "status": "completed",
...         "questionnaire": QUESTIONNAIRE_URL, "item": [{"linkId": "vitals", "item": [
...             {"linkId": "vitals.spo2", "answer": [{"valueString": "97"}]},
...             {"linkId": "vitals.mood", "answer": [{"valueInteger": 1}]}]}]})
... except FindingsError as err:
...     print("\\n".join(err.lines()))
vitals.spo2: must be answered with valueInteger, not valueString
vitals.mood: unknown field
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from triage.clinical.assessment import CONTRACT_VERSION
from triage.clinical.fields import PATHS, kind_of
from triage.clinical.findings import (
    FIELD_NAMES,
    ROOT,
    SECTIONS,
    Findings,
    FindingsError,
    parse_findings,
)
from triage.fhir.terminology import QUESTIONNAIRE_URL, answer_system

FINISHED = ("completed", "amended")
# The value[x] each kind of question is answered with.
VALUE_KEYS = {
    "integer": "valueInteger",
    "number": "valueDecimal",
    "boolean": "valueBoolean",
    "choice": "valueCoding",
    "codes": "valueCoding",
    "integer_choice": "valueInteger",
}
_SECTION_OF = {path: path.split(".", 1)[0] for path in PATHS}
_NOT_ANSWERED = object()

Errors = dict[str, list[str]]


def _add(errors: Errors, path: str, message: str) -> None:
    errors.setdefault(path, []).append(message)


def _duplicates(value: object, path: str, errors: Errors) -> None:
    """Keys given twice in one JSON object (see ``findings.load_json``) are refused."""
    for key in getattr(value, "duplicate_keys", ()):
        _add(errors, path, f"duplicate key {key}")


def _check_envelope(data: dict[str, Any], errors: Errors) -> None:
    if data.get("resourceType") != "QuestionnaireResponse":
        _add(errors, ROOT, "must be a FHIR QuestionnaireResponse (resourceType)")
        return
    status = data.get("status")
    if status not in FINISHED:
        _add(
            errors,
            ROOT,
            f'status must be "completed" or "amended" (a finished response), not {status!r}',
        )
    canonical = data.get("questionnaire")
    if not isinstance(canonical, str):
        _add(errors, ROOT, f"questionnaire must name {QUESTIONNAIRE_URL}")
        return
    url, _, version = canonical.partition("|")
    if url != QUESTIONNAIRE_URL:
        _add(errors, ROOT, f"answers another questionnaire: {url}, not {QUESTIONNAIRE_URL}")
    elif version and version != CONTRACT_VERSION:
        _add(
            errors,
            ROOT,
            f"answers version {version} of the questionnaire; this one is {CONTRACT_VERSION}",
        )


def _answer_value(path: str, answer: object, where: str, errors: Errors) -> object:
    """The value one answer gives ``path`` (a code for a coded question), or _NOT_ANSWERED."""
    if not isinstance(answer, dict):
        _add(errors, where, "an answer must be an object")
        return _NOT_ANSWERED
    _duplicates(answer, where, errors)
    if "item" in answer:
        _add(errors, where, "nested items are not part of this questionnaire")
    expected = VALUE_KEYS[kind_of(path)]
    given = [key for key in answer if key.startswith("value")]
    if given != [expected]:
        wrong = ", ".join(given) or "no value"
        _add(errors, where, f"must be answered with {expected}, not {wrong}")
        return _NOT_ANSWERED
    value = answer[expected]
    if expected != "valueCoding":
        return value  # the engine checks its type and range
    if not isinstance(value, dict) or "code" not in value:
        _add(errors, where, "must be answered with a coding of the question's answer options")
        return _NOT_ANSWERED
    _duplicates(value, where, errors)
    system = value.get("system")
    if system is not None and system != answer_system(path):
        _add(errors, where, f"coding system must be {answer_system(path)}")
        return _NOT_ANSWERED
    return value["code"]  # the engine checks it is one of the key's codes


def _question_value(path: str, question: dict[str, Any], errors: Errors) -> object:
    if "item" in question:
        _add(errors, path, "nested items are not part of this questionnaire")
    answers = question.get("answer")
    if answers is None or answers == []:
        return _NOT_ANSWERED
    if not isinstance(answers, list):
        _add(errors, path, "answer must be a list")
        return _NOT_ANSWERED
    if kind_of(path) == "codes":
        codes = [
            _answer_value(path, answer, f"{path}[{index}]", errors)
            for index, answer in enumerate(answers)
        ]
        return codes if _NOT_ANSWERED not in codes else _NOT_ANSWERED
    if len(answers) != 1:
        _add(errors, path, f"must have one answer, not {len(answers)}")
        return _NOT_ANSWERED
    return _answer_value(path, answers[0], path, errors)


def _read_group(section: str, group: dict[str, Any], errors: Errors) -> dict[str, object]:
    if "answer" in group:
        _add(errors, section, "a group has no answers: answer its questions")
    questions = group.get("item", [])
    if not isinstance(questions, list):
        _add(errors, section, "item must be a list")
        return {}
    values: dict[str, object] = {}
    seen: set[str] = set()
    for question in questions:
        link = _link_of(question, section, "each question must be an object with a linkId", errors)
        if link is None:
            continue
        section_name, _, key = link.partition(".")
        if section_name != section or key not in FIELD_NAMES[section]:
            where = _SECTION_OF.get(link)
            _add(errors, link, f'belongs in the group "{where}"' if where else "unknown field")
            continue
        if key in seen:
            _add(errors, link, "duplicate key")
            continue
        seen.add(key)
        value = _question_value(link, question, errors)
        if value is not _NOT_ANSWERED:
            values[key] = value
    return values


def _link_of(item: object, where: str, refusal: str, errors: Errors) -> str | None:
    """An item's linkId (its repeated keys refused), or None with `refusal` said at `where`."""
    link = item.get("linkId") if isinstance(item, dict) else None
    if not isinstance(item, dict) or not isinstance(link, str):
        _add(errors, where, refusal)
        return None
    _duplicates(item, link, errors)
    return link


def read_findings(data: object) -> tuple[dict[str, dict[str, object]], Errors]:
    """The findings JSON a QuestionnaireResponse gives, and the problems found reading it."""
    if not isinstance(data, dict):
        return {}, {ROOT: ["must be a FHIR QuestionnaireResponse object"]}
    errors: Errors = {}
    _duplicates(data, ROOT, errors)
    _check_envelope(data, errors)
    if errors:
        return {}, errors  # not known to answer this questionnaire: its linkIds mean nothing
    groups = data.get("item", [])
    if not isinstance(groups, list):
        return {}, {ROOT: ["item must be a list"]}
    findings: dict[str, dict[str, object]] = {}
    for group in groups:
        link = _link_of(group, ROOT, "each item must be an object with a linkId", errors)
        if link is None:
            continue
        if link not in SECTIONS:
            where = _SECTION_OF.get(link)
            _add(errors, link, f'belongs in the group "{where}"' if where else "unknown field")
        elif link in findings:
            _add(errors, link, "duplicate key")
        else:
            findings[link] = _read_group(link, group, errors)
    return findings, errors


def parse_response(data: object) -> Findings:
    """Validated findings from a decoded QuestionnaireResponse; raises :class:`FindingsError`
    listing every problem (reading it, then the engine's checks of what could be read)."""
    findings, errors = read_findings(data)
    if errors and ROOT in errors:
        raise FindingsError(errors)
    try:
        parsed = parse_findings(findings)
    except FindingsError as error:
        for path, messages in error.errors.items():
            if path not in errors:
                errors[path] = messages
    if errors:
        raise FindingsError(errors)
    return parsed


def response_items(
    findings: Mapping[str, Any], display: Callable[[str, str], str] | None = None
) -> list[dict[str, Any]]:
    """The items of a QuestionnaireResponse giving `findings` (contract findings JSON, as
    stored), in the Questionnaire's order: a group per section that holds an answer, a
    question per key. `display(path, code)` names a coded answer.

    >>> response_items({"vitals": {"spo2": 97, "on_oxygen": False}, "neuro": {}})
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'linkId': 'vitals', 'item': [{'linkId': 'vitals.spo2', 'answer': [{'valueInteger': 97}]},
      {'linkId': 'vitals.on_oxygen', 'answer': [{'valueBoolean': False}]}]}]
    """
    groups = []
    for section in SECTIONS:
        values = findings.get(section) or {}
        questions = []
        for key in FIELD_NAMES[section]:
            if key not in values:
                continue
            path = f"{section}.{key}"
            value_key = VALUE_KEYS[kind_of(path)]
            given = values[key] if isinstance(values[key], list) else [values[key]]
            answers: list[dict[str, Any]] = []
            for value in given:
                if value_key != "valueCoding":
                    answers.append({value_key: value})
                    continue
                coding = {"system": answer_system(path), "code": value}
                if display is not None:
                    coding["display"] = display(path, value)
                answers.append({"valueCoding": coding})
            if answers:  # a list stored empty (a v1 normal scan) has no answer to give
                questions.append({"linkId": path, "answer": answers})
        if questions:
            groups.append({"linkId": section, "item": questions})
    return groups
