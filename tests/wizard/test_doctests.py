"""The worked examples in the wizard's pure modules' docstrings are true."""

import doctest

import pytest

import triage.audit_words
import triage.findings_builder
import triage.forms.wizard
import triage.moments
import triage.presenters
import triage.wizard

MODULES = [
    triage.audit_words,
    triage.findings_builder,
    triage.forms.wizard,
    triage.moments,
    triage.presenters,
    triage.wizard,
]


@pytest.mark.parametrize("module", MODULES, ids=str)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
