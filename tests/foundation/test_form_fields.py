"""Form fields rendered once and reused (`as_form_field`) are exactly what crispy renders, for
each form's own values; fields of posted data are rendered each time."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test import RequestFactory
from django.utils import timezone

from tests.factories import UserFactory
from triage.forms.choices import own_copy
from triage.forms.discharge import DischargeForm
from triage.forms.review import AddendumForm, QueueFilterForm, SignOffForm
from triage.forms.wizard import ImagingForm, NeuroForm, PatientForm, SymptomsForm, VitalsForm
from triage.models import Encounter, Ward
from triage.roles import Role
from triage.templatetags.form_tags import as_form_field, field_key


def unbound_forms(user):
    request = RequestFactory().get("/")
    request.user = user
    return [
        SymptomsForm(),
        SymptomsForm(initial={"pain_score": "7", "chest_pain": "yes"}),
        VitalsForm(initial={"respiratory_rate": "24", "on_oxygen": "yes"}),
        ImagingForm(),
        NeuroForm(levels=["C5"]),
        NeuroForm(levels=["L2"], initial={"saddle_anaesthesia": "yes"}),
        SignOffForm(request=request),
        AddendumForm(request=request),
        DischargeForm(request=request),
        QueueFilterForm(wards=Ward.objects.all()),
    ]


@pytest.mark.django_db
def test_a_reused_field_is_what_crispy_renders(nurse):
    for form in unbound_forms(nurse):
        for field in form:
            if field.is_hidden:
                continue
            expected = str(as_crispy_field(field))
            assert str(as_form_field(field)) == expected, (type(form).__name__, field.name)
            assert str(as_form_field(field)) == expected, (type(form).__name__, field.name)


@pytest.mark.django_db
def test_each_form_shows_its_own_value(nurse):
    calm, worried = (
        SymptomsForm(initial={"chest_pain": "no"}),
        SymptomsForm(initial={"chest_pain": "yes"}),
    )
    assert field_key(calm["chest_pain"]) != field_key(worried["chest_pain"])
    for form in (calm, worried, calm, worried):
        rendered = str(as_form_field(form["chest_pain"]))
        assert rendered == str(as_crispy_field(form["chest_pain"]))
        checked = re.findall(r'value="(\w+)"[^>]*checked', rendered)
        assert checked == [form.initial["chest_pain"]]


class AnyWardForm(forms.Form):
    ward = forms.ModelChoiceField(queryset=Ward.objects.all())


@pytest.mark.django_db
def test_posted_data_and_database_choices_are_rendered_each_time(nurse, ward):
    posted = SymptomsForm(data={"pain_score": "11"})
    posted.is_valid()
    assert field_key(posted["pain_score"]) is None
    assert "is-invalid" in str(as_form_field(posted["pain_score"]))
    rows = AnyWardForm()
    assert field_key(rows["ward"]) is None  # its choices are rows, read when rendered
    assert ward.name in str(as_form_field(rows["ward"]))


@pytest.mark.django_db
def test_a_choice_of_the_users_wards_is_keyed_by_those_wards(ward, other_ward):
    """The ward choice lists the wards the view holds (the signed-in user's): they are in its
    key, so each user's list is their own."""
    one, both = PatientForm(wards=[ward]), PatientForm(wards=[ward, other_ward])
    assert field_key(one["ward"]) != field_key(both["ward"])
    for form in (one, both, one, both):
        rendered = str(as_form_field(form["ward"]))
        assert rendered == str(as_crispy_field(form["ward"]))
        assert (other_ward.name in rendered) == (form is both)


def test_unposted_queue_filters_are_keyed_by_the_wards_offered_and_their_names(ward, other_ward):
    """The queue's filters, drawn once when nothing is posted, are keyed by everything that
    differs between two such forms: the wards offered (and their names), initial values, ids."""
    one, both = QueueFilterForm(None, wards=[ward]), QueueFilterForm(None, wards=[ward, other_ward])
    assert one.rendering_key() != both.rendering_key()
    assert one.rendering_key() == QueueFilterForm(None, wards=[ward]).rendering_key()
    renamed = Ward(pk=ward.pk, name=ward.name + " (renamed)")
    assert QueueFilterForm(None, wards=[renamed]).rendering_key() != one.rendering_key()
    initial = QueueFilterForm(None, wards=[ward], initial={"status": "signed"})
    assert initial.rendering_key() != one.rendering_key()
    assert QueueFilterForm({"status": ""}, wards=[ward]).rendering_key() is None


@pytest.mark.django_db
def test_an_unposted_patient_form_is_keyed_by_what_its_fields_show(ward, other_ward, settings):
    """The patient's fields, rendered once for the same key, are keyed by each value shown (a
    time as shown in the current time zone), and by the wards offered and their names."""
    at = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    encounter = Encounter(ward=ward, patient_identifier="RX1", procedure_at=at, levels=["L1"])
    one = PatientForm(instance=encounter, wards=[ward])
    assert one.rendering_key() == PatientForm(instance=encounter, wards=[ward]).rendering_key()
    renamed = Ward(pk=ward.pk, name=ward.name + " (renamed)")
    others = [
        PatientForm(instance=encounter, wards=[ward, other_ward]),
        PatientForm(instance=encounter, wards=[renamed]),
        PatientForm(instance=encounter, wards=[ward], initial={"levels": ["L2"]}),
        PatientForm(instance=Encounter(ward=ward, patient_identifier="RX2"), wards=[ward]),
        PatientForm(wards=[ward]),
    ]
    keys = [one.rendering_key()] + [form.rendering_key() for form in others]
    with timezone.override("Pacific/Auckland"):  # as a page rendered there would key it
        keys.append(PatientForm(instance=encounter, wards=[ward]).rendering_key())
    assert len(set(keys)) == len(keys)
    assert PatientForm({"ward": str(ward.pk)}, wards=[ward]).rendering_key() is None


def test_each_physicians_queue_filters_offer_their_own_wards(client, ward, other_ward):
    for wards, shown, hidden in (([ward], ward, other_ward), ([other_ward], other_ward, ward)):
        physician = UserFactory(roles=[Role.PHYSICIAN], wards=wards)
        client.force_login(physician)
        page = client.get("/review/").content.decode()
        options = page[
            page.index('name="ward"') : page.index("</select>", page.index('name="ward"'))
        ]
        assert f">{shown.name}</option>" in options
        assert f">{hidden.name}</option>" not in options


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, initial",
    [
        (None, {"levels": ["T12", "L1"]}),  # unbound, two ticked
        ({"levels": ["L2"]}, None),  # posted
        ({"patient_identifier": ""}, None),  # posted with none ticked: an error on the field
    ],
)
def test_each_check_box_is_what_django_writes(data, initial):
    from triage.templatetags.form_tags import check_boxes

    form = PatientForm(data, initial=initial, wards=Ward.objects.all())
    if data is not None:
        form.is_valid()
    boxes = list(form["levels"])
    assert len(boxes) == 25
    django_writes = "".join(
        f'<label class="app-level-option" for="{box.id_for_label}">{box.tag()}'
        f"<span>{box.choice_label}</span></label>"
        for box in boxes
    )
    written = check_boxes(form["levels"], "app-level-option")
    assert written == django_writes
    assert (" checked" in written) == (data != {"patient_identifier": ""})
    if data is None:
        assert written.count(" checked") == 2


@pytest.mark.parametrize(
    "make",
    [
        SymptomsForm,
        VitalsForm,
        ImagingForm,
        lambda: NeuroForm(levels=["C5", "L2"]),
        lambda: PatientForm(wards=[Ward(pk=1, name="Ward 1")]),
    ],
    ids=["symptoms", "vitals", "imaging", "neuro", "patient"],
)
def test_each_step_form_has_fields_of_its_own_sharing_only_the_declared_choices(make):
    """A wizard step's fields are copied for each form as Django copies them (their widget,
    its attributes, messages, validators), but for the declared choices: a choice field's are
    shared (`SharedChoicesMetaclass`), and stay as declared. The patient's ward is a choice of
    the user's wards: it is copied whole, as Django copies it."""
    first, second = make(), make()
    declared = type(first).base_fields
    choice_fields = 0
    for name, mine in first.fields.items():
        theirs = second.fields[name]
        assert mine is not theirs and mine is not declared.get(name)
        assert mine.widget is not theirs.widget
        assert mine.widget.attrs is not theirs.widget.attrs
        assert mine.error_messages is not theirs.error_messages
        assert mine.validators is not theirs.validators
        if isinstance(mine, forms.ChoiceField):
            choice_fields += 1
            assert list(mine.choices) == list(theirs.choices)
            # the widget offers what the field checks
            assert list(mine.widget.choices) == list(mine.choices)
            if name in declared and not isinstance(mine, forms.ModelChoiceField):
                assert mine.choices == declared[name].choices
        mine.widget.attrs["data-x"] = "1"
        mine.error_messages["required"] = "changed"
        assert "data-x" not in theirs.widget.attrs
        assert theirs.error_messages.get("required") != "changed"
        if name in declared:
            assert "data-x" not in declared[name].widget.attrs
    assert choice_fields >= 2


def test_a_step_forms_shared_choices_still_check_each_answer():
    assert SymptomsForm({"pain_score": "11"}).errors["pain_score"]
    answered = SymptomsForm({"pain_score": "3", "pain_course": "improving"})
    answered.is_valid()
    assert "pain_score" not in answered.errors and answered.cleaned_data["pain_score"] == 3
    assert ImagingForm({"status": "maybe"}).errors["status"]


def test_a_fixed_choice_field_is_copied_for_each_form_but_its_choices():
    """Each queue filter form gets its own choice fields (widget, attributes, messages), as
    Django's own copy gives it; only the declared choices are shared, and they stay as
    declared."""
    first, second = QueueFilterForm(None, wards=[]), QueueFilterForm(None, wards=[])
    for name in ("escalation", "red_flag", "pathway", "status"):
        mine, theirs = first.fields[name], second.fields[name]
        assert mine is not theirs and mine is not QueueFilterForm.base_fields[name]
        assert mine.widget is not theirs.widget
        assert mine.widget.attrs is not theirs.widget.attrs
        assert mine.error_messages is not theirs.error_messages
        assert mine.choices == QueueFilterForm.base_fields[name].choices
        assert mine.widget.choices == mine.choices  # the widget offers what the field checks
    first.fields["status"].widget.attrs["data-x"] = "1"
    first.fields["status"].error_messages["invalid_choice"] = "changed"
    assert "data-x" not in second.fields["status"].widget.attrs
    assert "data-x" not in QueueFilterForm.base_fields["status"].widget.attrs
    assert second.fields["status"].error_messages["invalid_choice"] != "changed"
    bound = QueueFilterForm({"status": "nonsense"}, wards=[])
    assert not bound.is_valid() and "status" in bound.errors
    assert QueueFilterForm({"status": "signed"}, wards=[]).is_valid()


@pytest.mark.django_db
def test_a_fields_own_copy_holds_what_djangos_copy_holds_but_shared_choices():
    """Each form's fields are copied by `own_copy` without Python's generic copy, which makes
    the same copy only while no class of a field or widget defines how it is copied or what
    its state is; and `own_copy` gives each copy what Django's deep copy gives it."""
    own_parts = {"widget", "error_messages", "validators"}
    copy_hooks = {"__copy__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__"}
    kinds = set()
    for form in unbound_forms(UserFactory()):
        for field in form.fields.values():
            for kind in (*type(field).__mro__, *type(field.widget).__mro__):
                if kind is not object:
                    assert not copy_hooks & set(vars(kind)), kind
                    assert "__slots__" not in vars(kind), kind
            mine, djangos = own_copy(field), copy.deepcopy(field)
            assert type(mine) is type(field) and type(mine.widget) is type(field.widget)
            assert mine.__dict__.keys() == djangos.__dict__.keys()
            for name, value in mine.__dict__.items():
                if name in own_parts:
                    assert value is not field.__dict__[name], name
                    assert value == djangos.__dict__[name] or name == "widget", name
                elif name not in ("_choices", "_queryset"):  # Django copies these too
                    assert value is field.__dict__[name], name
            assert mine.widget.__dict__.keys() == djangos.widget.__dict__.keys()
            assert mine.widget.attrs == djangos.widget.attrs
            assert mine.widget.attrs is not field.widget.attrs
            kinds.add(type(field))
    assert {forms.CharField, forms.ChoiceField, forms.TypedChoiceField} <= kinds
