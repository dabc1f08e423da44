"""The clinical engine is pure: standard library only, no Django, and its docstrings are true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import subprocess
import sys

import pytest

import triage.clinical
from tests.clinical.examples import ROOT

MODULES = sorted(
    f"triage.clinical.{info.name}" for info in pkgutil.iter_modules(triage.clinical.__path__)
)

# Imports every module in a fresh interpreter, then lists what got loaded from outside the
# standard library and the engine itself (Django would show up here).
PROBE = """
import sys
before = set(sys.modules)
import triage.clinical, {modules}
foreign = sorted(
    name for name in set(sys.modules) - before
    if name.split(".")[0] not in sys.stdlib_module_names
    and not name.startswith("triage.clinical")
    and name != "triage"
)
print(",".join(foreign))
print("django" in sys.modules)
"""


def test_the_engine_imports_neither_django_nor_anything_outside_the_standard_library():
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(modules=", ".join(MODULES))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    foreign, django = done.stdout.splitlines()
    assert (foreign, django) == ("", "False")


def test_the_probe_would_notice_django():
    """Guard the guard: the same probe run against a module that imports Django fails."""
    probe = PROBE.format(modules="json") + "\nimport django\nprint('django' in sys.modules)\n"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:  # Django not installed here: nothing to prove with it
        assert "No module named 'django'" in done.stderr
    else:
        assert done.stdout.splitlines()[-1] == "True"


def test_every_module_is_covered():
    assert {
        "triage.clinical.assessment",
        "triage.clinical.cli",
        "triage.clinical.early_warning",
        "triage.clinical.explain",
        "triage.clinical.findings",
        "triage.clinical.neuro_exam",
        "triage.clinical.rules",
        "triage.clinical.snapshots",
    } <= set(MODULES)


@pytest.mark.parametrize("name", ["triage.clinical", *MODULES])
def test_the_docstring_examples_are_true(name: str):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
