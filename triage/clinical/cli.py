"""The core of ``python manage.py assess FILE``: findings JSON in, assessment JSON out.

``manage.py`` calls :func:`main` before Django is set up, so this module imports only the
standard library and ``triage.clinical``: a clinician's script gets its answer without paying
for Django's start-up.

Exit status: 0 with the assessment on stdout; 2 with nothing on stdout and one
``path: message`` line per problem on stderr when the findings are invalid, the input is not
JSON, the file cannot be read or the arguments are wrong; 1 for an internal error (reported
in one line, never as a traceback).

>>> import io
>>> out, err = io.StringIO(), io.StringIO()
>>> main(["-"], stdin=io.StringIO('{"vitals": {"spo2": 104}}'), stdout=out, stderr=err)
2
>>> out.getvalue(), err.getvalue()
('', 'vitals.spo2: must be between 50 and 100\\n')
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Protocol, TextIO

from triage.clinical.findings import ROOT, Findings, FindingsError, load_json, parse_findings
from triage.clinical.rules import assess

USAGE = (
    "usage: manage.py assess [--fhir] FILE\n"
    "  FILE: findings JSON (assessment contract v2), or - to read standard input\n"
    "  --fhir: FILE is a FHIR QuestionnaireResponse to the product's Questionnaire\n"
)
EXIT_OK = 0
EXIT_INTERNAL_ERROR = 1
EXIT_INVALID = 2


class Output(Protocol):
    """Where the answer or the problems are written: a text stream, or a management command's
    `stdout` / `stderr` (which are not `TextIO`)."""

    def write(self, text: str, /) -> object: ...


def _read(source: str, stdin: TextIO) -> str | bytes:
    if source == "-":
        # Bytes when possible, so json detects the encoding (and a UTF-8 BOM) itself.
        buffer = getattr(stdin, "buffer", None)
        return buffer.read() if buffer is not None else stdin.read()
    with open(source, "rb") as file:
        return file.read()


# Reads decoded JSON into validated findings (raising FindingsError).
Reader = Callable[[object], Findings]


def run(
    argv: list[str], stdin: TextIO, stdout: Output, stderr: Output, fhir: Reader | None = None
) -> int:
    """:func:`main` without the last-resort error handling."""
    if argv in (["-h"], ["--help"]):
        stdout.write(USAGE)
        return EXIT_OK
    reader: Reader = parse_findings
    if argv[:1] == ["--fhir"] and fhir is not None:
        argv, reader = argv[1:], fhir
    if len(argv) != 1 or argv[0].startswith("--"):
        stderr.write(USAGE)
        return EXIT_INVALID
    source = argv[0]
    try:
        text = _read(source, stdin)
    except OSError as exc:
        stderr.write(f"{source}: cannot read: {exc.strerror or exc}\n")
        return EXIT_INVALID
    try:
        assessment = assess(reader(load_json(text)))
    except FindingsError as exc:
        stderr.write("".join(line + "\n" for line in exc.lines()))
        return EXIT_INVALID
    stdout.write(json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def main(
    argv: list[str],
    stdin: TextIO | None = None,
    stdout: Output | None = None,
    stderr: Output | None = None,
    fhir: Reader | None = None,
) -> int:
    """Run the assess command; return the exit status. Streams default to ``sys``'s own,
    looked up at call time so that redirected streams are honoured. ``fhir`` reads a
    QuestionnaireResponse (``--fhir``); the engine knows no FHIR, so its caller passes it."""
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    try:
        return run(argv, stdin, stdout, stderr, fhir)
    except KeyboardInterrupt:
        stderr.write("interrupted\n")
        return 130
    except Exception as exc:  # noqa: BLE001 - a clinician's script must never see a traceback
        stderr.write(f"{ROOT}: internal error: {exc.__class__.__name__}: {exc}\n")
        return EXIT_INTERNAL_ERROR
