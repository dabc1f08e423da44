"""Physician review: the queue, the encounter record, sign-off, addenda, overrides, audit trail.

The queue is paged by keyset, never OFFSET: rows are ordered by (queue_rank, last_submitted_at,
id), all descending, and the next page starts strictly after the last row shown, expressed as
one SQL row comparison `(queue_rank, last_submitted_at, id) < (%s, %s, %s)` (Django's own tuple
lookup, the one composite primary keys use). PostgreSQL answers it from the partial index
`encounter_review_queue` by scanning backwards from the cursor, so page 500 costs what page 1
does, and rows inserted while someone pages neither repeat nor push others off a page.
"""

from __future__ import annotations

import csv
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.fields.tuple_lookups import Tuple, TupleLessThan
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect
from pghistory.models import Events

from triage import audit_words
from triage.access import clinical_required, encounter_for
from triage.actions import review as actions
from triage.clinical.explain import PATHWAY_TITLES, RED_FLAG_TITLES
from triage.csv_cells import csv_safe
from triage.forms.review import AddendumForm, OverrideForm, QueueFilterForm, SignOffForm
from triage.guidance import entries_by_key
from triage.models import Encounter, EncounterView, Override, Round, SignOff, User
from triage.presenters import answers_summary, assessment_view, trend
from triage.roles import Role, has_role

PAGE_SIZE = 25
DETAIL_TEMPLATE = "encounters/detail.html"


def physician_required(view):
    """Signed-in physicians only. Unlike `clinical_required`, a post made after the session
    expired is not kept for later: these forms carry a password."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            to_login = redirect_to_login(request.path)
            # htmx would swap the sign-in page into the fragment: it loads it whole instead.
            return HttpResponseClientRedirect(to_login["Location"]) if request.htmx else to_login
        if not has_role(request.user, Role.PHYSICIAN):
            raise PermissionDenied("Only physicians can review and sign encounters.")
        return view(request, *args, **kwargs)

    return wrapper


# --- The queue ----------------------------------------------------------------------------------

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class Cursor:
    """The sort keys of the last row of a page; the next page starts after it.

    >>> at = datetime(2026, 11, 25, 8, 30, 0, 123456, tzinfo=UTC)
    >>> cursor = Cursor(2, at, uuid.UUID(int=7))
    >>> cursor.encode()
    '2.1795595400123456.00000000000000000000000000000007'
    >>> Cursor.decode(cursor.encode()) == cursor
    True
    >>> Cursor.decode("2.x.y") is None
    True
    """

    rank: int
    at: datetime
    pk: uuid.UUID

    @classmethod
    def after(cls, encounter: Encounter) -> Cursor:
        return cls(encounter.queue_rank, encounter.last_submitted_at, encounter.pk)

    def encode(self) -> str:
        return f"{self.rank}.{(self.at - EPOCH) // MICROSECOND}.{self.pk.hex}"

    @classmethod
    def decode(cls, text: str) -> Cursor | None:
        try:
            rank, micros, pk = text.split(".")
            return cls(int(rank), EPOCH + int(micros) * MICROSECOND, uuid.UUID(hex=pk))
        except (ValueError, OverflowError):
            return None


QUEUE_ORDER = ("-queue_rank", "-last_submitted_at", "-id")
QUEUE_ROW_FIELDS = (
    "patient_identifier",
    "procedure_at",
    "queue_rank",
    "escalation",
    "last_submitted_at",
    "red_flag_codes",
    "pathway_codes",
    "latest_news2",
    "ward__name",
)


def review_queue(wards) -> QuerySet[Encounter]:
    """Submitted encounters of `wards` in queue order: unsigned emergencies, then unsigned
    urgent, then unsigned routine, then signed (`Encounter.QueueRank`); the most recently
    submitted first within each."""
    return Encounter.objects.filter(ward__in=wards, last_submitted_at__isnull=False).order_by(
        *QUEUE_ORDER
    )


def after_cursor(queryset: QuerySet[Encounter], cursor: Cursor) -> QuerySet[Encounter]:
    """The rows that sort after `cursor`: one row comparison, answered from the queue index."""
    keys = Tuple(F("queue_rank"), F("last_submitted_at"), F("id"))
    return queryset.filter(TupleLessThan(keys, (cursor.rank, cursor.at, cursor.pk)))


def page_rows(queryset: QuerySet[Encounter], after: Cursor | None, size: int):
    """The query of one page (plus one row, to know whether another page follows): the rows
    after `after`, with everything a row of the queue shows."""
    if after is not None:
        queryset = after_cursor(queryset, after)
    # The page's keys come from the index first, and only those rows are joined and
    # annotated: otherwise PostgreSQL may plan the annotations for every row of the queue.
    keys = queryset.values("pk")[: size + 1]
    last_submitter = (
        Round.objects.filter(encounter=OuterRef("pk"), status=Round.Status.SUBMITTED)
        .order_by("-number")
        .values("submitted_by__username")[:1]
    )
    return (
        Encounter.objects.filter(pk__in=keys)
        .only(*QUEUE_ROW_FIELDS)
        .select_related("ward")
        .annotate(
            has_override=Exists(Override.objects.filter(round__encounter=OuterRef("pk"))),
            nurse=Subquery(last_submitter),
            signed_by=F("sign_off__signed_by__username"),
            signed_at=F("sign_off__signed_at"),
        )
        .order_by(*QUEUE_ORDER)
    )


def queue_page(
    queryset: QuerySet[Encounter], after: Cursor | None, size: int
) -> tuple[list[Encounter], Cursor | None]:
    """One page of the queue after `after` (one query), and the cursor of the next page."""
    rows = list(page_rows(queryset, after, size))
    return rows[:size], Cursor.after(rows[size - 1]) if len(rows) > size else None


def _filter_queue(queryset: QuerySet[Encounter], form: QueueFilterForm) -> QuerySet[Encounter]:
    data = form.cleaned_data
    if data["q"].strip():
        queryset = queryset.filter(patient_identifier__istartswith=data["q"].strip())
    if data["ward"]:
        queryset = queryset.filter(ward=data["ward"])
    if data["red_flag"]:
        queryset = queryset.filter(red_flag_codes__contains=[data["red_flag"]])
    if data["pathway"]:
        queryset = queryset.filter(pathway_codes__contains=[data["pathway"]])
    if data["escalation"]:
        queryset = queryset.filter(escalation_is(data["escalation"]))
    if data["status"] == "signed":
        queryset = queryset.filter(queue_rank=Encounter.QueueRank.SIGNED_OR_DRAFT)
    elif data["status"] == "unsigned":
        queryset = queryset.filter(queue_rank__gt=Encounter.QueueRank.SIGNED_OR_DRAFT)
    start, end = form.submitted_range()
    if start:
        queryset = queryset.filter(last_submitted_at__gte=start)
    if end:
        queryset = queryset.filter(last_submitted_at__lt=end)
    return queryset


# Encounters signed before escalations were kept (migration 0010 left signed records as they
# were) have none stored. Their rounds' red flags and pathways say it, except in one case: a
# red flag in any round was an emergency; no red flag and transient pain never offered was
# urgent; no red flag but transient pain offered in some round may have been routine or urgent.
NOT_RECORDED = "not_recorded"


def escalation_of(encounter: Encounter) -> str:
    """The encounter's escalation, or NOT_RECORDED (the one case its codes cannot tell).
    Agrees with `escalation_is`.

    >>> escalation_of(Encounter(escalation="urgent"))
    'urgent'
    >>> escalation_of(Encounter(red_flag_codes=["stroke_signs"]))
    'emergency'
    >>> escalation_of(Encounter(pathway_codes=["adjacent_fracture"]))
    'urgent'
    >>> escalation_of(Encounter(pathway_codes=["transient_pain", "adjacent_fracture"]))
    'not_recorded'
    """
    if encounter.escalation:
        return encounter.escalation
    if encounter.red_flag_codes:
        return "emergency"
    if "transient_pain" not in encounter.pathway_codes:
        return "urgent"
    return NOT_RECORDED


def escalation_is(level: str) -> Q:
    """Encounters whose `escalation_of` is `level`, as a filter."""
    unrecorded = Q(escalation="")
    no_red_flag = Q(red_flag_codes=[])
    if level == "emergency":
        return Q(escalation=level) | (unrecorded & ~no_red_flag)
    if level == "urgent":
        return Q(escalation=level) | (
            unrecorded & no_red_flag & ~Q(pathway_codes__contains=["transient_pain"])
        )
    if level == NOT_RECORDED:
        return unrecorded & no_red_flag & Q(pathway_codes__contains=["transient_pain"])
    return Q(escalation=level)


ESCALATION_LABELS = {
    **dict(Encounter.Escalation.choices),
    NOT_RECORDED: "Escalation not recorded",
}


@dataclass(frozen=True)
class QueueRow:
    encounter: Encounter
    hours_since: int | None
    escalation: str
    red_flags: list[str]
    pathways: list[str]

    @property
    def escalation_label(self) -> str:
        return ESCALATION_LABELS[self.escalation]


def _queue_row(encounter: Encounter, now: datetime) -> QueueRow:
    since = encounter.procedure_at and now - encounter.procedure_at
    return QueueRow(
        encounter=encounter,
        hours_since=int(since.total_seconds() // 3600) if since is not None else None,
        escalation=escalation_of(encounter),
        red_flags=[RED_FLAG_TITLES.get(code, code) for code in encounter.red_flag_codes],
        pathways=[PATHWAY_TITLES.get(code, code) for code in encounter.pathway_codes],
    )


@physician_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    wards = request.user.wards.all()
    filters = {key: value for key, value in request.GET.items() if key != "after"}
    form = QueueFilterForm(filters or None, wards=wards)
    after = None
    if "after" in request.GET:
        after = Cursor.decode(request.GET["after"])
        if after is None:
            messages.warning(request, "That page link is not valid; this is the first page.")
    rows: list[QueueRow] = []
    next_cursor = None
    if not form.is_bound or form.is_valid():
        queryset = review_queue(wards)
        if form.is_bound:
            queryset = _filter_queue(queryset, form)
        page, next_cursor = queue_page(queryset, after, PAGE_SIZE)
        now = timezone.now()
        rows = [_queue_row(encounter, now) for encounter in page]
    params = request.GET.copy()
    params.pop("after", None)
    first_query = params.urlencode()
    if next_cursor is not None:
        params["after"] = next_cursor.encode()
    partial = request.htmx and not request.htmx.boosted
    template = "review/queue.html" + ("#results" if partial else "")
    return render(
        request,
        template,
        {
            "form": form,
            "rows": rows,
            "filtered": any(filters.values()),
            "is_first_page": after is None,
            "first_query": first_query,
            "next_query": params.urlencode() if next_cursor is not None else None,
        },
        # htmx swaps only successful responses: the error summary is in the fragment.
        status=400 if form.errors and not partial else 200,
    )


# --- The encounter record -----------------------------------------------------------------------


@dataclass
class RoundView:
    round: Round
    result: dict[str, Any] | None
    overrides: list[dict[str, Any]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return "First assessment" if self.round.number == 1 else f"Reassessment {self.round.number}"


def _round_views(encounter: Encounter) -> list[RoundView]:
    rounds = (
        encounter.rounds.select_related("submitted_by", "guidance_version")
        .prefetch_related(Prefetch("overrides", queryset=Override.objects.select_related("by")))
        .order_by("number")
    )
    views = []
    for round in rounds:
        view = RoundView(round, assessment_view(round.assessment) if round.assessment else None)
        if round.assessment:
            items = actions.override_items(round)
            view.overrides = [
                {
                    "override": override,
                    "title": items.get((override.kind, override.code), {}).get(
                        "title", override.code
                    ),
                    "decision": actions.DECISIONS.get(override.decision, override.decision),
                }
                for override in round.overrides.all()
            ]
        views.append(view)
    return views


def _activity(
    encounter: Encounter, rounds: list[RoundView], sign_off: SignOff | None, addenda: list
) -> list[tuple[datetime, str, str]]:
    """Who did what when, from the records on the page (the audit trail has every change)."""
    events = [(encounter.created_at, encounter.created_by.get_username(), "started the encounter")]
    for view in rounds:
        round = view.round
        if round.submitted_at:
            events.append(
                (
                    round.submitted_at,
                    round.submitted_by.get_username(),
                    f"submitted the {view.title.lower()}",
                )
            )
        for item in view.overrides:
            override = item["override"]
            events.append(
                (
                    override.created_at,
                    override.by.get_username(),
                    f"overrode {item['title']} in {view.title.lower()}: {item['decision']}",
                )
            )
    events += [
        (addendum.created_at, addendum.author.get_username(), "added an addendum")
        for addendum in addenda
    ]
    if sign_off:
        events.append((sign_off.signed_at, sign_off.signed_by.get_username(), "signed it off"))
    return sorted(events, key=lambda event: event[0])


def encounter_page(
    request: HttpRequest,
    encounter: Encounter,
    *,
    round_number: int | None = None,
    sign_form: SignOffForm | None = None,
    addendum_form: AddendumForm | None = None,
    override_form: OverrideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The encounter's whole record; physicians also get the review forms. Every rendering
    for a physician is logged as a view of the record."""
    rounds = _round_views(encounter)
    submitted = [view for view in rounds if view.result is not None]
    selected = next((v for v in submitted if v.round.number == round_number), submitted[-1])
    sign_off = SignOff.objects.select_related("signed_by").filter(encounter=encounter).first()
    addenda = list(encounter.addenda.select_related("author"))
    is_physician = has_role(request.user, Role.PHYSICIAN)
    ready = rounds[-1].round.status == Round.Status.SUBMITTED
    context = {
        "encounter": encounter,
        "rounds": rounds,
        "selected": selected,
        # As the result page showed it, with the guidance text of the round's version.
        "snapshot": assessment_view(
            selected.round.assessment, entries_by_key(selected.round.guidance_version)
        ),
        "summary": answers_summary(encounter, selected.round, selected.round.findings),
        "trend": trend([view.round for view in rounds]),
        "sign_off": sign_off,
        "addenda": addenda,
        "activity": _activity(encounter, rounds, sign_off, addenda),
        "is_physician": is_physician,
        "ready_to_sign": ready,
        "has_draft_round": not ready,
    }
    if is_physician:
        actions.record_view(encounter=encounter, by=request.user, path=request.get_full_path())
        context["addendum_form"] = addendum_form or AddendumForm(request=request)
        if sign_off is None:
            context["override_form"] = override_form or OverrideForm(
                round=selected.round, request=request
            )
            if ready:
                context["sign_form"] = sign_form or SignOffForm(request=request)
    context["error_forms"] = [
        form for form in (sign_form, addendum_form, override_form) if form and form.errors
    ]
    template = DETAIL_TEMPLATE
    if request.htmx and not request.htmx.boosted:
        template += "#round_panel"
    return render(request, template, context, status=status)


def _detail_url(encounter: Encounter, round_number: int | None = None, anchor: str = "") -> str:
    url = reverse("encounters:detail", kwargs={"pk": encounter.pk})
    return (
        url + (f"?round={round_number}" if round_number else "") + (f"#{anchor}" if anchor else "")
    )


def _get_submitted_encounter_for_user(request: HttpRequest, pk: uuid.UUID) -> Encounter:
    """An encounter on one of the user's wards with a submitted assessment; otherwise 404
    (a draft has nothing to review yet)."""
    encounter = encounter_for(request, pk)
    if encounter.is_draft:
        raise Http404("This encounter has no submitted assessment yet.")
    return encounter


@physician_required
@require_POST
def sign(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    encounter = _get_submitted_encounter_for_user(request, pk)
    form = SignOffForm(request.POST, request=request)
    if not form.is_valid():
        return encounter_page(request, encounter, sign_form=form, status=400)
    try:
        actions.sign_off(
            encounter=encounter,
            by=request.user,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["lock_version"],
        )
    except actions.AlreadySigned as refused:
        # Their comment is not lost: it waits in the addendum box.
        messages.error(request, str(refused))
        encounter.refresh_from_db()
        addendum = AddendumForm(request=request, initial={"text": form.cleaned_data["comment"]})
        return encounter_page(request, encounter, addendum_form=addendum, status=409)
    except (actions.Conflict, actions.NotReady) as refused:
        messages.error(request, str(refused))
        encounter.refresh_from_db()
        return encounter_page(request, encounter, sign_form=form, status=409)
    messages.success(request, "Signed off. The record is now locked; addenda can still be added.")
    return redirect(_detail_url(encounter, anchor="sign-off"))


@physician_required
@require_POST
def add_addendum(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    encounter = _get_submitted_encounter_for_user(request, pk)
    form = AddendumForm(request.POST, request=request)
    if not form.is_valid():
        return encounter_page(request, encounter, addendum_form=form, status=400)
    try:
        actions.add_addendum(
            encounter=encounter,
            by=request.user,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["lock_version"],
        )
    except actions.Conflict as refused:
        messages.error(request, str(refused))
        encounter.refresh_from_db()
        return encounter_page(request, encounter, addendum_form=form, status=409)
    messages.success(request, "Addendum added.")
    return redirect(_detail_url(encounter, anchor="addenda"))


def _get_round_for_user(request: HttpRequest, pk: uuid.UUID, number: int) -> Round:
    """A submitted round of an encounter on one of the user's wards; otherwise 404."""
    encounter = encounter_for(request, pk)
    return get_object_or_404(
        encounter.rounds.select_related("encounter__ward", "encounter__created_by"),
        number=number,
        status=Round.Status.SUBMITTED,
    )


@physician_required
@require_POST
def add_override(request: HttpRequest, pk: uuid.UUID, number: int) -> HttpResponse:
    round = _get_round_for_user(request, pk, number)
    encounter = round.encounter
    form = OverrideForm(request.POST, round=round, request=request)
    status = 400
    if form.is_valid():
        kind, code = form.cleaned_data["item"]
        try:
            actions.add_override(
                round=round,
                by=request.user,
                kind=kind,
                code=code,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["lock_version"],
            )
        except (actions.Conflict, actions.Locked) as refused:
            messages.error(request, str(refused))
            encounter.refresh_from_db()
            status = 409
        else:
            messages.success(request, "Override recorded beside the original.")
            return redirect(_detail_url(encounter, number, anchor="overrides"))
    return encounter_page(
        request, encounter, round_number=number, override_form=form, status=status
    )


# --- The audit trail ----------------------------------------------------------------------------

OBJECT_NAMES = {
    "triage.Encounter": "Encounter",
    "triage.Round": "Assessment",
    "triage.SignOff": "Sign-off",
    "triage.Addendum": "Addendum",
    "triage.Override": "Override",
}


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    who: str
    what: str
    action: str
    url: str
    changes: list[tuple[str, str, str]]  # field, before, after
    group: str = ""  # the recorded action (request) this change belongs to
    diff: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # column: (before, after)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _event_diff(event: Events) -> dict[str, tuple[Any, Any]]:
    if event.pgh_diff:
        return {name: (old, new) for name, (old, new) in event.pgh_diff.items()}
    if event.pgh_label == "insert":
        return {
            name: (None, value)
            for name, value in event.pgh_data.items()
            if value not in (None, "", [], {})
        }
    return {}


def audit_trail(encounter: Encounter) -> list[AuditEntry]:
    """Every recorded change to the encounter, its rounds, sign-off, addenda and overrides
    (from the append-only event tables), and every time a physician read it; oldest first."""
    rounds = list(encounter.rounds.all())
    events = list(Events.objects.references(encounter))
    events += Events.objects.references(rounds).across("triage.OverrideEvent")
    views = list(EncounterView.objects.filter(encounter=encounter))
    contexts = [event.pgh_context or {} for event in events]
    user_ids = {c.get("user") for c in contexts} | {view.user_id for view in views}
    names = {user.pk: user.get_username() for user in User.objects.filter(pk__in=user_ids)}
    entries = []
    for event, context in zip(events, contexts, strict=True):
        what = OBJECT_NAMES.get(event.pgh_obj_model, event.pgh_obj_model)
        if event.pgh_obj_model == "triage.Round":
            what += f" {event.pgh_data.get('number')}"
        diff = _event_diff(event)
        entries.append(
            AuditEntry(
                at=event.pgh_created_at,
                who=names.get(context.get("user"), "system"),
                what=f"{what}: {event.pgh_label}",
                action=context.get("action", ""),
                url=context.get("url", ""),
                changes=[(name, _text(old), _text(new)) for name, (old, new) in diff.items()],
                group=str(event.pgh_context_id or f"event-{event.pgh_id}"),
                diff=diff,
            )
        )
    entries += [
        AuditEntry(view.viewed_at, names[view.user_id], "Record viewed", "", view.path, [])
        for view in views
    ]
    return sorted(entries, key=lambda entry: entry.at)


def record_physician_view(request: HttpRequest, encounter: Encounter) -> None:
    """Physicians' reads of a record are logged (in its audit trail); nurses' reads are not."""
    if has_role(request.user, Role.PHYSICIAN):
        actions.record_view(encounter=encounter, by=request.user, path=request.get_full_path())


@clinical_required
@require_GET
def audit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    encounter = encounter_for(request, pk)
    record_physician_view(request, encounter)
    actions_done = audit_words.in_words(audit_trail(encounter))
    return render(request, "review/audit.html", {"encounter": encounter, "actions": actions_done})


@clinical_required
@require_GET
def audit_csv(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    encounter = encounter_for(request, pk)
    record_physician_view(request, encounter)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{encounter.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["when", "who", "what", "action", "field", "before", "after", "url"])
    for entry in audit_trail(encounter):
        head = [entry.at.isoformat(), entry.who, entry.what, entry.action]
        for name, before, after in entry.changes or [("", "", "")]:
            writer.writerow([csv_safe(v) for v in (*head, name, before, after, entry.url)])
    return response
