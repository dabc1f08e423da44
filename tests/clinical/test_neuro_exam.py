"""Deriving the contract's neuro section (legs, arms, bowel and bladder, focal signs) from the
bedside examination."""

from __future__ import annotations

import pytest

from triage.clinical import FindingsError, assess_json
from triage.clinical.neuro_exam import NeuroExam, classify, derive_neuro


def derived(**exam: object) -> dict[str, str]:
    return derive_neuro(NeuroExam(**exam)).neuro


# --- Motor -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "current", "motor"),
    [
        (5, 5, "normal"),
        (None, 5, "normal"),
        (5, 4, "new_deficit"),
        (5, 0, "new_deficit"),
        (None, 4, "new_deficit"),  # unknown baseline: cannot prove the weakness old
        (None, 0, "new_deficit"),
        (4, 3, "worsening_deficit"),
        (1, 0, "worsening_deficit"),
        (4, 4, "stable_deficit"),
        (0, 0, "stable_deficit"),
        (3, 4, "stable_deficit"),  # improving, still weak
        (4, 5, "normal"),  # recovered
    ],
)
def test_motor_from_one_myotome(baseline: int | None, current: int, motor: str):
    assert derived(power={("L4", "left"): (baseline, current)}) == {"motor": motor}


@pytest.mark.parametrize(
    ("power", "motor"),
    [
        ({("L2", "left"): (4, 4), ("L3", "right"): (5, 4)}, "new_deficit"),
        ({("L2", "left"): (4, 3), ("L3", "right"): (5, 4)}, "worsening_deficit"),
        ({("L5", "left"): (5, 3), ("S1", "right"): (3, 2)}, "worsening_deficit"),
        ({("L5", "left"): (4, 4), ("S1", "right"): (5, 5)}, "stable_deficit"),
        ({("L5", "left"): (None, 4), ("S1", "right"): (4, 4)}, "new_deficit"),
        (
            {(m, s): (5, 5) for m in ("L2", "L3", "L4", "L5", "S1") for s in ("left", "right")},
            "normal",
        ),
    ],
)
def test_motor_worst_wins_across_myotomes(power: dict, motor: str):
    assert derived(power=power)["motor"] == motor


def test_motor_because_names_each_abnormal_myotome():
    result = derive_neuro(
        NeuroExam(
            power={("L4", "left"): (5, 3), ("S1", "right"): (None, 4), ("L2", "left"): (5, 5)}
        )
    )
    assert result.because == (
        "left L4 power 3/5, baseline 5/5: new deficit",
        "right S1 power 4/5, baseline unknown: counted as new deficit",
    )


def test_motor_because_says_when_all_power_is_normal():
    result = derive_neuro(NeuroExam(power={("L4", "left"): (5, 5), ("L4", "right"): (None, 5)}))
    assert result.because == ("leg power 5/5 in all 2 recorded myotomes",)


# --- Sensory ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "current", "sensory"),
    [
        ("normal", "normal", "normal"),
        (None, "normal", "normal"),
        ("normal", "reduced", "new_deficit"),
        ("normal", "absent", "new_deficit"),
        (None, "reduced", "new_deficit"),
        ("reduced", "absent", "worsening_deficit"),
        ("reduced", "reduced", "stable_deficit"),
        ("absent", "absent", "stable_deficit"),
        ("absent", "reduced", "stable_deficit"),
        ("reduced", "normal", "normal"),
    ],
)
def test_sensory_from_one_side(baseline: str | None, current: str, sensory: str):
    assert derived(sensation={"right": (baseline, current)}) == {"sensory": sensory}


def test_sensory_worst_side_wins():
    sensation = {"left": ("reduced", "absent"), "right": ("normal", "reduced")}
    assert derived(sensation=sensation) == {"sensory": "worsening_deficit"}


@pytest.mark.parametrize(
    ("sensation", "saddle", "sensory"),
    [
        (None, "new", "new_deficit"),
        ({"left": ("normal", "normal")}, "new", "new_deficit"),
        ({"left": ("reduced", "reduced")}, "new", "new_deficit"),
        ({"left": ("reduced", "absent")}, "new", "worsening_deficit"),
        ({"left": ("normal", "normal")}, "pre_existing_unchanged", "stable_deficit"),
        ({"left": ("normal", "normal")}, "no", "normal"),
    ],
)
def test_new_saddle_anaesthesia_is_at_least_a_new_sensory_deficit(
    sensation: dict | None, saddle: str, sensory: str
):
    assert derived(sensation=sensation, saddle_anaesthesia=saddle)["sensory"] == sensory


def test_saddle_anaesthesia_no_alone_does_not_assess_limb_sensation():
    assert derived(saddle_anaesthesia="no") == {}


def test_new_saddle_anaesthesia_is_explained_as_a_cauda_equina_sign():
    result = derive_neuro(NeuroExam(saddle_anaesthesia="new"))
    assert any("cauda equina" in line for line in result.because)


# --- Bowel and bladder -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("detail", "value"),
    [
        ("normal", "normal"),
        ("stable_dysfunction", "stable_dysfunction"),
        ("new_dysfunction", "new_dysfunction"),
        ("worsening_dysfunction", "worsening_dysfunction"),
        # The first wizard's word for a known, unchanged problem (drafts saved before v2).
        ("pre_existing_unchanged", "stable_dysfunction"),
    ],
)
def test_bowel_bladder(detail: str, value: str):
    result = derive_neuro(NeuroExam(bowel_bladder=detail))
    assert result.neuro == {"bowel_bladder": value}
    assert bool(result.because) is (detail != "normal")


def test_a_new_catheter_leaves_bowel_and_bladder_unassessed():
    result = derive_neuro(NeuroExam(bowel_bladder="new_catheter"))
    assert result.neuro == {}
    assert "cannot be assessed" in result.because[0]
    findings = {"neuro": {"motor": "normal", "sensory": "normal", "focal_signs": False}}
    findings["neuro"].update(result.neuro)
    assert assess_json(findings).to_dict()["incomplete"] == ["neuro"]


# --- Arms and focal signs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("power", "arm_sensation", "upper_limb"),
    [
        ({("C6", "left"): (5, 5), ("T1", "right"): (5, 5)}, None, "normal"),
        ({("C6", "left"): (5, 3)}, None, "new_deficit"),
        ({("C8", "right"): (4, 2)}, None, "worsening_deficit"),
        ({("C5", "left"): (None, 4)}, None, "new_deficit"),
        ({("C7", "left"): (4, 4)}, None, "stable_deficit"),
        (None, {"left": ("normal", "reduced")}, "new_deficit"),
        ({("C5", "left"): (5, 5)}, {"right": ("reduced", "reduced")}, "stable_deficit"),
        ({("C5", "left"): (4, 4)}, {"right": ("reduced", "absent")}, "worsening_deficit"),
    ],
)
def test_upper_limb_is_the_worst_of_arm_power_and_sensation(power, arm_sensation, upper_limb):
    assert derived(power=power, arm_sensation=arm_sensation) == {"upper_limb": upper_limb}


def test_arm_and_leg_myotomes_are_kept_apart():
    result = derive_neuro(
        NeuroExam(
            power={("L4", "left"): (5, 5), ("C6", "right"): (5, 3)},
            sensation={"left": ("normal", "normal")},
            arm_sensation={"right": ("normal", "normal")},
        )
    )
    assert result.neuro == {"motor": "normal", "sensory": "normal", "upper_limb": "new_deficit"}
    assert "right C6 power 3/5, baseline 5/5: new deficit" in result.because


@pytest.mark.parametrize("focal", [True, False])
def test_focal_signs_are_passed_on(focal: bool):
    result = derive_neuro(NeuroExam(focal_signs=focal))
    assert result.neuro == {"focal_signs": focal}
    assert bool(result.because) is focal


# --- Whole examinations ----------------------------------------------------------------------


def test_nothing_recorded_derives_nothing():
    result = derive_neuro(NeuroExam())
    assert (result.neuro, result.because) == ({}, ())
    assert "neuro" in assess_json({"neuro": result.neuro}).to_dict()["not_assessed"]


def test_a_mixed_examination_feeds_the_engine():
    result = derive_neuro(
        NeuroExam(
            power={("L4", "left"): (5, 3), ("L5", "left"): (4, 4)},
            sensation={"left": ("normal", "normal"), "right": ("reduced", "reduced")},
            saddle_anaesthesia="no",
            bowel_bladder="stable_dysfunction",
            focal_signs=False,
        )
    )
    assert result.neuro == {
        "motor": "new_deficit",
        "sensory": "stable_deficit",
        "bowel_bladder": "stable_dysfunction",
        "focal_signs": False,
    }
    assert result.to_dict()["because"] == list(result.because)
    flags = assess_json({"neuro": result.neuro}).to_dict()["red_flags"]
    assert [f["code"] for f in flags] == ["progressive_neuro_deficit"]


def test_classify_prefers_worse():
    assert classify(4, 2, 5) == "worsening_deficit"
    assert classify(5, 2, 5) == "new_deficit"


@pytest.mark.parametrize(
    ("exam", "path"),
    [
        ({"power": {("L6", "left"): (5, 5)}}, "power.L6.left"),
        ({"power": {("C4", "left"): (5, 5)}}, "power.C4.left"),
        ({"arm_sensation": {"left": ("normal", "tingling")}}, "arm_sensation.left"),
        ({"focal_signs": "no"}, "focal_signs"),
        ({"power": {("L4", "up"): (5, 5)}}, "power.L4.up"),
        ({"power": {("L4", "left"): (5, 6)}}, "power.L4.left"),
        ({"power": {("L4", "left"): (True, 5)}}, "power.L4.left"),
        ({"power": {("L4", "left"): (5, None)}}, "power.L4.left"),
        ({"power": {("L4", "left"): (5, 4.0)}}, "power.L4.left"),
        ({"power": {("L4", "left"): 5}}, "power.L4.left"),
        ({"power": {"L4": (5, 5)}}, "power['L4']"),
        ({"sensation": {"left": ("normal", "numb")}}, "sensation.left"),
        ({"sensation": {"middle": ("normal", "normal")}}, "sensation.middle"),
        ({"saddle_anaesthesia": "yes"}, "saddle_anaesthesia"),
        ({"bowel_bladder": "incontinent"}, "bowel_bladder"),
    ],
)
def test_a_malformed_examination_is_refused(exam: dict, path: str):
    with pytest.raises(FindingsError) as refused:
        NeuroExam(**exam)
    assert list(refused.value.errors) == [path]
