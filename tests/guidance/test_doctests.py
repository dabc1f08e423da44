"""The worked examples in the guidance helpers' docstrings are true."""

import doctest

import pytest

import triage.forms.guidance
import triage.guidance
import triage.views.guidance


@pytest.mark.parametrize(
    "module", [triage.guidance, triage.views.guidance, triage.forms.guidance], ids=str
)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.failed == 0
