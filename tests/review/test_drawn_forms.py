"""The record's signed forms are drawn once for the same key (`RenderedOnce`, `form_fields`):
each record still shows its own choices, and nothing drawn for one form is shown for another.
A hidden input written without Django's templates is what they write."""

from __future__ import annotations

import re
from typing import cast

import pytest
from django import forms
from django.core.cache import caches
from django.test import RequestFactory

from tests.review.factories import BREATHLESS, WEAK_LEG
from triage.forms.choices import ListedModelChoiceField
from triage.forms.discharge import DischargeForm
from triage.forms.escalation import EscalationCallForm
from triage.forms.rendering import RenderedOnce
from triage.forms.review import AddendumForm, OverrideForm, SignOffForm
from triage.models import Ward
from triage.templatetags.form_tags import as_form_field, form_fields, hidden_input

FIELDS = {
    SignOffForm: "comment password",
    AddendumForm: "text password",
    DischargeForm: "mobilised pain_controlled follow_up_on follow_up_with educated educated_by "
    "osteoporosis osteoporosis_reason password",
    OverrideForm: "item decision reason password",
}


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def make(form_class, request, round, data=None):
    if form_class is OverrideForm:
        return OverrideForm(data, request=request, round=round)
    return form_class(data, request=request)


def one_by_one(form, names):
    return "\n".join(as_form_field(form[name]) for name in names.split())


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", list(FIELDS), ids=lambda form: form.__name__)
def test_drawn_fields_are_each_fields_own_drawing_first_and_from_the_kept_copy(
    form_class, physician, red_flag_encounter
):
    caches["rendered"].clear()
    request, round = request_of(physician), red_flag_encounter.rounds.get()
    names = FIELDS[form_class]
    first, second = make(form_class, request, round), make(form_class, request, round)
    assert first.rendering_key(names.split()) == second.rendering_key(names.split())
    assert form_fields(first, names) == one_by_one(first, names)
    assert form_fields(second, names) == one_by_one(second, names)  # read from the kept copy


@pytest.mark.django_db
def test_each_round_offers_its_own_items_to_override(physician, make_encounter):
    request = request_of(physician)
    weak = make_encounter(patient_identifier="WEAK01", answers=WEAK_LEG).rounds.get()
    breathless = make_encounter(patient_identifier="BREATH1", answers=BREATHLESS).rounds.get()
    drawn = {}
    for round in (weak, breathless, weak, breathless):
        form = OverrideForm(request=request, round=round)
        html = form_fields(form, FIELDS[OverrideForm])
        offered = re.findall(r'<option value="([^"]*)"', html)
        assert offered == [value for value, _ in form.fields["item"].choices]
        drawn.setdefault(round.pk, html)
        assert drawn[round.pk] == html
    assert drawn[weak.pk] != drawn[breathless.pk]


@pytest.mark.django_db
def test_posted_fields_are_drawn_each_time_with_their_errors(physician, red_flag_encounter):
    request, round = request_of(physician), red_flag_encounter.rounds.get()
    unposted = SignOffForm(request=request)
    form_fields(unposted, FIELDS[SignOffForm])
    posted = SignOffForm({"comment": "Seen", "password": ""}, request=request)
    posted.is_valid()
    assert posted.rendering_key() is None
    html = form_fields(posted, FIELDS[SignOffForm])
    assert "Enter your password to sign." in html and ">\nSeen</textarea>" in html
    assert html != form_fields(unposted, FIELDS[SignOffForm])
    assert make(OverrideForm, request, round, {"item": ""}).rendering_key() is None


class Noted(RenderedOnce, forms.Form):
    note = forms.CharField(required=False)
    stamp = forms.CharField(required=False)


def test_a_fields_own_initial_value_is_in_the_key_of_the_fields_that_draw_it():
    """A value given to one form's field (not the form's initial values) keys the fields that
    show it; a field left out of a group does not key it (the addendum's one-off submission
    id, drawn apart each time)."""
    one, other = Noted(), Noted()
    one.fields["note"].initial, other.fields["note"].initial = "a", "b"
    assert one.rendering_key() != other.rendering_key()
    one.fields["note"].initial = other.fields["note"].initial = "same"
    one.fields["stamp"].initial, other.fields["stamp"].initial = "1", "2"
    assert one.rendering_key(["note"]) == other.rendering_key(["note"])
    assert one.rendering_key(["stamp"]) != other.rendering_key(["stamp"])
    assert Noted(initial={"note": "a"}).rendering_key() != Noted().rendering_key()


def test_a_value_worked_out_when_drawn_leaves_the_form_without_a_key():
    timed = Noted()
    timed.fields["stamp"].initial = lambda: "now"
    assert timed.rendering_key() is None and timed.rendering_key(["stamp"]) is None
    assert timed.rendering_key(["note"]) is not None
    assert Noted(initial={"note": lambda: "now"}).rendering_key() is None


@pytest.mark.django_db
def test_a_hidden_input_is_what_django_writes(physician, red_flag_encounter):
    request, round = request_of(physician), red_flag_encounter.rounds.get()
    posted = AddendumForm({"submission": "not an id", "text": ""}, request=request)
    posted.is_valid()
    fields = [
        AddendumForm(request=request)["submission"],
        EscalationCallForm(round=round)["submission"],
        posted["submission"],  # with its error
        AddendumForm({"text": "x"}, request=request)["submission"],  # posted without one
        SignOffForm(request=request)["lock_version"],
    ]
    for field in fields:
        assert hidden_input(field) == str(field)
    assert 'value="' in hidden_input(fields[0]) and 'id="id_addendum_submission"' in str(fields[0])


class Listed(RenderedOnce, forms.Form):
    ward = ListedModelChoiceField(Ward)


def listed(*wards: Ward) -> Listed:
    form = Listed()
    cast(ListedModelChoiceField, form.fields["ward"]).options = wards
    return form


def test_a_choice_of_listed_rows_is_keyed_by_the_options_it_offers():
    """Whatever form holds it: each user's wards (and their names) are their own fields."""
    one, two = Ward(pk=1, name="Spinal ward"), Ward(pk=2, name="Day unit")
    assert listed(one).rendering_key() == listed(one).rendering_key()
    keys = [
        listed(one).rendering_key(),
        listed(one, two).rendering_key(),
        listed(two).rendering_key(),
        listed(Ward(pk=1, name="Spinal ward (renamed)")).rendering_key(),
    ]
    assert len(set(keys)) == len(keys)
