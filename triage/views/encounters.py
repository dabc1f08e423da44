"""The bedside wizard: start an encounter, one page per step, check, submit, result.

Every page works as a plain form post; htmx adds autosave and live red-flag banners by posting
the same form to the same URL (`_autosave=1`) and swapping the banner region in place.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, NamedTuple

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from triage import wizard
from triage.access import (
    AuthenticatedRequest,
    SubmittedRoundRead,
    bedside_required,
    clinical_required,
    current_round_for,
    encounter_for,
    on_users_wards,
    record_read,
    refuse_unless,
    take_stashed_post,
)
from triage.actions import encounters as actions
from triage.assessing import assess_round
from triage.clinical import FindingsError
from triage.compiled_sql import USER_MARKER, Compiled, ReadRows
from triage.escalation_record import with_escalation_record
from triage.forms.wizard import NeuroForm, PatientForm, StepForm
from triage.models import QUESTION_SECTIONS, Encounter, Round
from triage.presenters import answers_summary, assessment_view, encounter_badges
from triage.result_page import result_page
from triage.roles import Role

RESULT_ROUND = SubmittedRoundRead(
    lambda rounds: with_escalation_record(
        rounds.select_related(
            "guidance_version", "submitted_by", "encounter__sign_off", "encounter__discharge"
        )
    )
)


def _step_form(
    encounter: Encounter, step: wizard.QuestionStep, *args: Any, **kwargs: Any
) -> StepForm:
    """The step's form; the neuro exam asks about the arms only after a level that can affect
    them, so it is told the encounter's treated levels."""
    if step is wizard.NEURO:
        kwargs["levels"] = encounter.levels
    return step.form(*args, **kwargs)


def _posted_editor(request: HttpRequest) -> uuid.UUID | None:
    """The page (one tab's rendering of a step) this request comes from: the id its form
    carries, if it carries a valid one."""
    try:
        return uuid.UUID(request.POST.get("editor", ""))
    except ValueError:
        return None


def _editor(request: HttpRequest) -> str:
    """The id of the page being rendered: the posting page's own, or a new one."""
    return str(_posted_editor(request) or uuid.uuid4())


def _seen_version(request: HttpRequest, encounter: Encounter) -> int | None:
    """The encounter version this form was based on (`actions.seen_version`)."""
    try:
        shown = int(request.POST["lock_version"])
    except (KeyError, ValueError):
        return None
    return actions.seen_version(encounter, shown, _posted_editor(request))


def _live_context(round: Round, replace: dict | None = None) -> dict:
    """What the banner region and NEWS2 panel show, for the saved answers plus `replace`.

    Unsaved answers that do not yet make a valid section (e.g. "done" without its modality)
    are left out, so the banners fall back to what is saved rather than disappear.
    """
    try:
        _, assessment = assess_round(round, at=timezone.now(), replace=replace)
    except FindingsError:
        _, assessment = assess_round(round, at=timezone.now())
    live = assessment_view(assessment.to_dict())
    return {
        "live": live,
        "live_label": "Result so far",
        "live_compact": live["summary"]["in_progress"],
    }


# The nurse's list shows this many of their drafts, most recently saved first, and how many
# there are in all (with a link to the rest): its cost does not grow with abandoned drafts.
DRAFTS_SHOWN = 20


def nurses_drafts(user_id: int) -> QuerySet[Round]:
    """A nurse's drafts on their wards, most recently saved first: only what the list shows
    and where each resumes, not the stored results or input."""
    return (
        Round.objects.filter(
            status=Round.Status.DRAFT,
            created_by=user_id,
            encounter__ward__in=on_users_wards(user_id),
        )
        .select_related("encounter__ward")
        .only(
            "number",
            "updated_at",
            "last_step",
            *QUESTION_SECTIONS,
            "encounter__patient_identifier",
            "encounter__ward__name",
        )
        .order_by("-updated_at")
    )


def recently_submitted(user_id: int) -> QuerySet[Encounter]:
    """The 25 encounters submitted last on the user's wards, with what their rows show."""
    return (
        Encounter.objects.filter(ward__in=on_users_wards(user_id), submitted_at__isnull=False)
        .select_related("ward", "created_by", "sign_off")
        .only(
            "patient_identifier",
            "submitted_at",
            "escalation",
            "red_flag_codes",
            "ward__name",
            "created_by__username",
            "sign_off__id",
        )
        .order_by("-submitted_at")[:25]
    )


# The list's reads, compiled once per process (`compiled_sql`); the drafts as far as the list
# shows them and one more (to tell whether there are more).
DRAFTS_READ = Compiled(lambda user_id: nurses_drafts(user_id)[: DRAFTS_SHOWN + 1], [USER_MARKER])
RECENT_READ = Compiled(recently_submitted, [USER_MARKER])


class DraftRow(NamedTuple):
    """What the nurse's list shows of a draft, and where it resumes: all its cached HTML
    shows (the key of that HTML is this row's digest, `content_key`)."""

    encounter: uuid.UUID
    patient_identifier: str
    ward: str
    number: int
    updated_at: datetime
    resume_url_name: str
    resume_title: str


class RecentRow(NamedTuple):
    """What the nurse's list shows of a submitted encounter: all its cached HTML shows (the
    key of that HTML is this row's digest, `content_key`: a few words, not the rows read).
    Made only when the whole list's HTML is not kept (`ReadRows`: keyed by the columns read)."""

    encounter: uuid.UUID
    patient_identifier: str
    ward: str
    submitted_at: datetime | None
    author: str
    badges: dict[str, Any]


def recent_row(encounter: Encounter) -> RecentRow:
    return RecentRow(
        encounter.pk,
        encounter.patient_identifier,
        encounter.ward.name,
        encounter.submitted_at,
        encounter.created_by.get_username(),
        encounter_badges(encounter),
    )


def draft_row(draft: Round) -> DraftRow:
    resume = wizard.resume_step(draft.last_step, draft.answered_sections)
    encounter = draft.encounter
    return DraftRow(
        encounter.pk,
        encounter.patient_identifier,
        encounter.ward.name,
        draft.number,
        draft.updated_at,
        resume.url_name,
        resume.title,
    )


@clinical_required
def encounter_list(request: AuthenticatedRequest) -> HttpResponse:
    user_id = request.user.pk
    show_all = request.GET.get("drafts") == "all"
    drafts = list(nurses_drafts(user_id)) if show_all else DRAFTS_READ.all(user_id)
    # Counted only when there are more than the list read.
    if show_all or len(drafts) <= DRAFTS_SHOWN:
        drafts_total = len(drafts)
    else:
        drafts_total = nurses_drafts(user_id).count()
    if not show_all:
        drafts = drafts[:DRAFTS_SHOWN]
    return render(
        request,
        "encounters/list.html",
        {
            "drafts": [draft_row(draft) for draft in drafts],
            "drafts_total": drafts_total,
            "drafts_hidden": drafts_total - len(drafts),
            "recent": ReadRows(RECENT_READ.read(user_id), recent_row),
        },
    )


@clinical_required
@require_http_methods(["GET", "POST"])
def encounter_new(request: AuthenticatedRequest) -> HttpResponse:
    wards = request.user.ward_list()
    if request.method == "POST":
        form = PatientForm(request.POST, wards=wards)
        if form.is_valid():
            try:
                token = uuid.UUID(request.POST.get("client_token", ""))
            except ValueError:
                token = None
            encounter = actions.start_encounter(
                by=request.user, client_token=token, **form.cleaned_data
            )
            return redirect("encounters:symptoms", pk=encounter.pk)
    else:
        form = PatientForm(wards=wards, initial={"ward": request.user.home_ward})
    return render(
        request,
        wizard.PATIENT.template,
        {
            "form": form,
            "client_token": request.POST.get("client_token") or uuid.uuid4(),
            "editor": _editor(request),
            "step": wizard.PATIENT,
            "is_new": True,
        },
        status=400 if form.errors else 200,
    )


@clinical_required
@require_http_methods(["GET", "POST"])
def patient_step(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    round = current_round_for(request, pk)
    encounter = round.encounter
    if not encounter.is_draft:
        messages.info(request, "Patient details are fixed once the first assessment is submitted.")
        return redirect("encounters:detail", pk=encounter.pk)
    wards = request.user.ward_list()
    form = PatientForm(instance=encounter, wards=wards)
    status = 200
    if request.method == "POST":
        form = PatientForm(
            request.POST, instance=Encounter.objects.get(pk=encounter.pk), wards=wards
        )
        if form.is_valid():
            try:
                actions.update_patient(
                    encounter=encounter,
                    by=request.user,
                    expected_version=_seen_version(request, encounter),
                    editor=_posted_editor(request),
                    **{name: form.cleaned_data[name] for name in form.Meta.fields},
                )
                return redirect(_after_save(request, encounter, wizard.PATIENT))
            except actions.Conflict as conflict:
                form.add_error(None, str(conflict))
                encounter.lock_version = conflict.current_version
                status = 409
        else:
            status = 400
    return render(
        request,
        wizard.PATIENT.template,
        {
            "form": form,
            "encounter": encounter,
            "round": round,
            "step": wizard.PATIENT,
            "editor": _editor(request),
            **_live_context(round),
        },
        status=status,
    )


def _after_save(request: HttpRequest, encounter: Encounter, step: wizard.Step) -> str:
    if request.GET.get("next") == "check":
        return reverse("encounters:check", kwargs={"pk": encounter.pk})
    return reverse(wizard.next_step(step).url_name, kwargs={"pk": encounter.pk})


@bedside_required
@require_http_methods(["GET", "POST"])
def question_step(request: AuthenticatedRequest, pk: uuid.UUID, slug: str) -> HttpResponse:
    round = current_round_for(request, pk)
    encounter = round.encounter
    step = wizard.QUESTIONS_BY_SLUG[slug]
    if round.status == Round.Status.SUBMITTED:
        messages.info(
            request, "This assessment is submitted. Start a reassessment to record new answers."
        )
        return redirect("encounters:detail", pk=encounter.pk)
    if request.method == "POST":
        return _post_step(request, encounter, round, step)
    stashed = take_stashed_post(request) or round.pending.get(slug)
    if stashed:
        form = _step_form(encounter, step, _as_querydict(stashed))
        messages.warning(
            request, "These answers were typed but not saved yet. Check them, then save."
        )
        return _render_step(request, encounter, round, step, form)
    initial = step.form.initial_from(getattr(round, step.section))
    carried = _carried_baselines(round) if slug == "neuro" and not initial else None
    form = _step_form(encounter, step, initial=initial or (carried or {}).get("answers", {}))
    extra = {**_live_context(round), "carried_from": carried["number"]} if carried else None
    return _render_step(request, encounter, round, step, form, extra)


def _carried_baselines(round: Round) -> dict[str, Any] | None:
    """A reassessment's neuro exam starts from the previous round's pre-procedure answers
    (shown on the page as carried over, to be checked); what is measured now starts blank."""
    previous = (
        round.encounter.rounds.filter(number__lt=round.number, status=Round.Status.SUBMITTED)
        .order_by("-number")
        .first()
    )
    if previous is None:
        return None
    answers = NeuroForm.baselines_from(previous.neuro)
    return {"number": previous.number, "answers": answers} if answers else None


def _as_querydict(data: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


def _post_step(
    request: AuthenticatedRequest, encounter: Encounter, round: Round, step: wizard.QuestionStep
) -> HttpResponse:
    form = _step_form(encounter, step, request.POST)
    autosave = request.POST.get("_autosave") == "1"
    saved = False
    conflict = None
    claimed = None  # the encounter version this save claimed (it reads it back)
    seen = _seen_version(request, encounter)  # as read before this request writes
    if form.is_valid():
        try:
            round = actions.save_step(
                round=round,
                section=step.section,
                answers=form.answers(),
                step=step.slug,
                by=request.user,
                expected_version=seen,
                editor=_posted_editor(request),
            )
            saved = True
            claimed = round.encounter.lock_version
        except actions.Conflict as error:
            round.refresh_from_db()
            # The same answers saved a moment ago (a double send of one save) are no conflict.
            saved = getattr(round, step.section) == form.answers()
            conflict = None if saved else error
    else:
        actions.keep_unsaved_input(round=round, step=step.slug, data=_unsaved_input(request, form))
    if claimed is not None:
        encounter.lock_version = claimed
    elif saved or conflict is not None:
        encounter.refresh_from_db(fields=["lock_version"])
    else:
        # Kept, not saved: the page goes on holding the version it showed. Handing it a newer
        # one (a colleague's save meanwhile) would let its next save overwrite that unseen.
        encounter.lock_version = seen or encounter.lock_version
    if saved and not autosave:
        return redirect(_after_save(request, encounter, step))
    replace = None if saved else {step.section: form.partial_answers()}
    context = {
        "form": form,
        "autosave": autosave,
        "saved": saved,
        "conflict": conflict,
        **_live_context(round, replace),
    }
    if autosave:
        response = _render_step(request, encounter, round, step, form, context, partial="live")
        # What the page's answer keeper needs to know: may it forget its copy on the device?
        response["X-Autosave"] = "saved" if saved else "conflict" if conflict else "kept"
        return response
    if conflict is not None:
        form.add_error(None, str(conflict))
    return _render_step(
        request, encounter, round, step, form, context, status=409 if conflict else 400
    )


def _unsaved_input(request: HttpRequest, form: StepForm) -> dict[str, list[str]]:
    """The form's own fields as typed, made safe to store (no NUL bytes, bounded length)."""
    return {
        key: [value.replace("\x00", "")[:200] for value in values]
        for key, values in request.POST.lists()
        if key in form.fields
    }


def _render_step(
    request: AuthenticatedRequest,
    encounter: Encounter,
    round: Round,
    step: wizard.QuestionStep,
    form: StepForm,
    extra: dict[str, Any] | None = None,
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    number, total = wizard.progress(step)
    context = {
        "encounter": encounter,
        "round": round,
        "step": step,
        "steps": wizard.STEPS,
        "step_number": number,
        "step_total": total,
        "form": form,
        "fields_key": form.rendering_key(),
        "editor": _editor(request),
        "return_to_check": request.GET.get("next") == "check",
        **(extra if extra is not None else _live_context(round)),
    }
    template = step.template
    if partial:
        template += f"#{partial}"
    return render(request, template, context, status=status)


@clinical_required
@require_http_methods(["GET", "POST"])
def check_answers(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    round = current_round_for(request, pk)
    encounter = round.encounter
    if request.method == "POST":
        submission = actions.submit_round(round=round, by=request.user)
        if not submission.created:
            messages.info(request, "This assessment was already submitted; nothing was changed.")
        return redirect("encounters:round", pk=encounter.pk, number=submission.round.number)
    if round.status == Round.Status.SUBMITTED:
        return redirect("encounters:round", pk=encounter.pk, number=round.number)
    findings, assessment = assess_round(round, at=timezone.now())
    shown = assessment.to_dict()
    return render(
        request,
        wizard.CHECK.template,
        {
            "encounter": encounter,
            "round": round,
            "step": wizard.CHECK,
            "steps": wizard.STEPS,
            "step_number": wizard.progress(wizard.CHECK)[0],
            "step_total": len(wizard.STEPS),
            "summary": answers_summary(encounter, round, findings, shown),
            "live": assessment_view(shown),
            "live_label": "Result of these answers",
        },
    )


@clinical_required
def round_result(request: AuthenticatedRequest, pk: uuid.UUID, number: int) -> HttpResponse:
    round = RESULT_ROUND.of(request, pk, number)
    record_read(request, round.encounter)
    return result_page(request, round.encounter, round)


@clinical_required
@require_POST
def reassess(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    encounter = encounter_for(request, pk)
    refuse_unless(request, Role.NURSE)
    try:
        actions.start_reassessment(encounter=encounter, by=request.user)
    except actions.Locked as locked:
        messages.error(request, str(locked))
        return redirect("encounters:detail", pk=encounter.pk)
    return redirect("encounters:symptoms", pk=encounter.pk)
