"""Guidance administration: version history, draft editor with live preview, diff, publish.

Guidance admins only (`role_required(Role.GUIDANCE_ADMIN)` on every view). Pages work as plain
links and form posts; htmx adds the editor's autosave and live preview by posting the same form
to the same URL and swapping the `live` partial of the same template.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from triage import guidance
from triage.access import (
    AuthenticatedRequest,
    guidance_entry_for,
    guidance_version_for,
    role_required,
)
from triage.actions import guidance as actions
from triage.forms.guidance import EntryForm, PublishForm
from triage.models import GuidanceEntry, GuidanceVersion, Round
from triage.roles import Role

KIND_LABELS = {
    "escalation": "Escalation",
    "red_flag": "Red flag",
    "pathway": "Pathway",
    "imaging": "Imaging",
}
EXAMPLE_ROUNDS = 3
CONFLICT = (
    "Someone else saved a change to this entry after you opened it, so your text was not "
    "saved. Compare the two below, then keep yours or load theirs"
)


def _leave_non_draft(request: AuthenticatedRequest, version: GuidanceVersion) -> HttpResponse:
    """Where an edit of a version that is not (or no longer) a draft ends up: its page."""
    status = version.get_status_display().lower()
    messages.info(request, f"Version {version.number} is {status}; only a draft can be changed.")
    url = reverse("guidance:detail", kwargs={"pk": version.pk})
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def kind_label(key: str) -> str:
    """What a guidance key is shown with, for people.

    >>> kind_label("red_flag.news2_high"), kind_label("general")
    ('Red flag', 'General advice')
    """
    return KIND_LABELS.get(key.partition(".")[0], "General advice")


@role_required(Role.GUIDANCE_ADMIN)
@require_GET
def version_list(request: AuthenticatedRequest) -> HttpResponse:
    versions = GuidanceVersion.objects.select_related("created_by", "published_by")
    draft = next((v for v in versions if v.status == GuidanceVersion.Status.DRAFT), None)
    return render(request, "guidance/list.html", {"versions": versions, "draft": draft})


@role_required(Role.GUIDANCE_ADMIN)
@require_POST
def draft_new(request: AuthenticatedRequest) -> HttpResponse:
    existing = GuidanceVersion.objects.filter(status=GuidanceVersion.Status.DRAFT).exists()
    draft = actions.create_draft(by=request.user)
    if existing:
        messages.info(request, f"Version {draft.number} is already being drafted: continue it.")
    return redirect("guidance:edit", pk=draft.pk)


@role_required(Role.GUIDANCE_ADMIN)
@require_GET
def version_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    version = guidance_version_for(pk)
    entries = [(kind_label(e.key), e) for e in guidance.ordered_entries(version)]
    return render(request, "guidance/detail.html", {"version": version, "entries": entries})


@role_required(Role.GUIDANCE_ADMIN)
@require_GET
def version_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Who drafted, changed and published this version, from the audit trail."""
    version = guidance_version_for(pk)
    context = {"version": version, "items": guidance.history(version)}
    return render(request, "guidance/history.html", context)


@role_required(Role.GUIDANCE_ADMIN)
@require_GET
def draft_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    draft = guidance_version_for(pk)
    if draft.status != GuidanceVersion.Status.DRAFT:
        return _leave_non_draft(request, draft)
    prefetch_related_objects([draft], "entries")  # read once for all three below
    changed = set(guidance.changed_keys(draft, draft.based_on))
    problems = {p.key for p in actions.publish_problems(draft)}
    rows = [
        (kind_label(e.key), e, e.key in changed, e.key in problems)
        for e in guidance.ordered_entries(draft)
    ]
    return render(request, "guidance/draft.html", {"version": draft, "rows": rows})


@role_required(Role.GUIDANCE_ADMIN)
@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthenticatedRequest, pk: int, key: str) -> HttpResponse:
    entry = guidance_entry_for(pk, key)
    draft = entry.version if entry is not None else guidance_version_for(pk)
    if draft.status != GuidanceVersion.Status.DRAFT:
        return _leave_non_draft(request, draft)
    if entry is None:
        raise Http404("No such entry in this version.")
    form = EntryForm.for_entry(entry, request.POST if request.method == "POST" else None)
    context = {"version": draft, "entry": entry, "form": form, "kind": kind_label(key)}
    if request.method == "POST" and form.is_valid():
        try:
            entry = actions.update_entry(entry=entry, by=request.user, **form.cleaned_data)
        except actions.NotADraft:
            return _leave_non_draft(request, draft)
        except actions.EditConflict as clash:
            form.add_error(None, CONFLICT)
            context |= {"conflict": clash.current, "conflict_token": clash.token}
            context["changed"] = guidance.last_change(clash.current)
        else:
            if not request.htmx:
                messages.success(request, f"Saved “{entry.title}”.")
                return redirect("guidance:edit", pk=draft.pk)
            context |= {"saved": True, "token": guidance.entry_token(entry)}
    if request.htmx:
        # Autosave and live preview: the same component the result page uses, rendered by the
        # server from what has been typed so far.
        context |= {"preview": form.unsaved_entry(entry), "autosave": True}
        return render(request, "guidance/entry.html#live", context)
    published = guidance.frozen_entry(draft.based_on, key)
    preview = form.unsaved_entry(entry) if form.is_bound else entry
    context |= {"preview": preview, "published": published}
    return render(request, "guidance/entry.html", context)


def _field_diffs(old: GuidanceEntry | None, new: GuidanceEntry | None) -> list[tuple[str, list]]:
    """(field label, word diff) of each field that differs."""
    fields = (("Title", "title"), ("Guidance text", "body"), ("Recommended actions", "actions"))
    diffs = []
    for label, name in fields:
        before, after = getattr(old, name, ""), getattr(new, name, "")
        if before != after:
            diffs.append((label, guidance.word_diff(before, after)))
    before, after = getattr(old, "citations", []), getattr(new, "citations", [])
    if before != after:
        cited = (guidance.citations_text(before), guidance.citations_text(after))
        diffs.append(("Sources", guidance.word_diff(*cited)))
    return diffs


@role_required(Role.GUIDANCE_ADMIN)
@require_GET
def version_diff(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """What this version changed compared with the version it was drafted from."""
    version = guidance_version_for(pk)
    base = version.based_on
    old, new = guidance.entries_by_key(base), guidance.entries_by_key(version)
    changes = [
        (kind_label(key), new.get(key) or old.get(key), _field_diffs(old.get(key), new.get(key)))
        for key in guidance.changed_keys(version, base)
    ]
    return render(
        request, "guidance/diff.html", {"version": version, "base": base, "changes": changes}
    )


@role_required(Role.GUIDANCE_ADMIN)
@require_http_methods(["GET", "POST"])
def publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    draft = guidance_version_for(pk)
    if draft.status != GuidanceVersion.Status.DRAFT:
        return _leave_non_draft(request, draft)
    form = PublishForm(request.POST or None)
    problems: list[actions.Problem] = []
    if form.is_valid():
        try:
            actions.publish(draft=draft, summary=form.cleaned_data["summary"], by=request.user)
        except actions.NotADraft:
            return _leave_non_draft(request, draft)
        except actions.CannotPublish as refused:
            problems = refused.problems
        else:
            messages.success(request, f"Version {draft.number} is published.")
            return redirect("guidance:detail", pk=draft.pk)
    elif request.method == "GET":
        problems = actions.publish_problems(draft)
    impact = [
        (row, guidance.rounds_showing(row.key, EXAMPLE_ROUNDS) if row.rounds else [])
        for row in guidance.impact(draft)
    ]
    context = {
        "version": draft,
        "form": form,
        # Each problem links to the entry to fix (the error summary's links).
        "problems": [
            {
                "message": problem.message,
                "url": problem.key and reverse("guidance:entry", args=[draft.pk, problem.key]),
            }
            for problem in problems
        ],
        "problems_title": "This draft cannot be published yet",
        "impact": impact,
        "days": guidance.IMPACT_DAYS,
    }
    return render(request, "guidance/publish.html", context)


@role_required(Role.GUIDANCE_ADMIN)
@require_POST
def discard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    draft = guidance_version_for(pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm that the draft should be discarded.")
        return redirect("guidance:edit", pk=draft.pk)
    try:
        actions.discard_draft(draft=draft, by=request.user)
    except actions.NotADraft:
        return _leave_non_draft(request, draft)
    messages.success(request, f"The draft of version {draft.number} was discarded.")
    return redirect("guidance:list")


@role_required(Role.GUIDANCE_ADMIN)
@require_GET
def side_by_side(
    request: AuthenticatedRequest, pk: int, encounter: uuid.UUID, number: int, key: str
) -> HttpResponse:
    """One submitted round: the guidance it showed beside this version's text for `key`.

    Shows no patient identifier: guidance admins need what was said, not who it was said to.
    """
    version = guidance_version_for(pk)
    round = get_object_or_404(
        Round.objects.select_related("encounter__ward", "guidance_version"),
        encounter_id=encounter,
        number=number,
        status=Round.Status.SUBMITTED,
    )
    if key not in guidance.GUIDANCE_KEYS:
        raise Http404("No such guidance key")
    context = {
        "version": version,
        "round": round,
        "key": key,
        "kind": kind_label(key),
        "shown": guidance.entries_by_key(round.guidance_version).get(key),
        "proposed": guidance.entries_by_key(version).get(key),
        # Submitted: its assessment is stored.
        "displayed": key in guidance.shown_keys(cast("dict[str, Any]", round.assessment)),
    }
    return render(request, "guidance/side_by_side.html", context)
