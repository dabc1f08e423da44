"""Guidance text: the published version, its entries by key, safe Markdown, diffs and impact.

Admins write guidance in Markdown; it is rendered and then sanitised with nh3 against an
explicit allow-list, so no script, event handler or `javascript:` link can reach a clinician.
Reads only: every write is in `triage.actions.guidance`.

A version that has left draft never changes (a database trigger refuses it), so its entries are
read once and kept by the process, keyed by the version (`version_entries`), and their sanitised
HTML rendered once and kept under its text's digest: neither key goes stale. Drafts are
always read and rendered afresh.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import markdown as markdown_lib
import nh3
from django.core.cache import caches
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Trim
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from triage.clinical import GUIDANCE_KEYS
from triage.clinical.explain import GENERAL_KEY
from triage.models import GuidanceEntry, GuidanceVersion, Round, User

# Citation numbers are the clinical source's numbered references.
SOURCE_NUMBERS = range(1, 8)
IMPACT_DAYS = 90

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
# No javascript:, vbscript: or data: — anything not listed loses its href.
ALLOWED_URL_SCHEMES = {"https", "http", "mailto", "tel"}
# Dropped with their content, not just unwrapped: their text is never meant to be read.
DROP_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
    "textarea", "select", "title", "xmp", "noembed", "noframes",
}  # fmt: skip


def published_version() -> GuidanceVersion:
    """The one published version (raises `GuidanceVersion.DoesNotExist` before the first)."""
    return GuidanceVersion.objects.get(status=GuidanceVersion.Status.PUBLISHED)


def is_frozen(version: GuidanceVersion) -> bool:
    """Published or retired: its entries can never change again (a database trigger), so what
    is read or rendered from them may be kept. A version object that says draft may have been
    published since; it is simply not kept."""
    return version.pk is not None and version.status != GuidanceVersion.Status.DRAFT


# A frozen version's entries, as read, kept by this process: every result, record, handover
# and export shows them, and reading them back from Django's cache (unpickling two dozen rows)
# cost a tenth of a millisecond a page. Keyed by the version's id and creation time (an id
# alone may name another version in another database, as in the tests); a few versions at most.
KEPT_ENTRIES: dict[tuple[int, datetime | None], tuple[GuidanceEntry, ...]] = {}
KEPT_VERSIONS = 16


def version_entries(version: GuidanceVersion) -> list[GuidanceEntry]:
    """The version's entries: read once and kept for a frozen version, each time for a draft.
    Kept rows are shared: no caller changes them."""
    if not is_frozen(version):
        return list(version.entries.all())
    key = (version.pk, version.created_at)
    entries = KEPT_ENTRIES.get(key)
    if entries is None:
        entries = tuple(version.entries.all())
        if len(KEPT_ENTRIES) >= KEPT_VERSIONS:
            KEPT_ENTRIES.clear()
        KEPT_ENTRIES[key] = entries
    for entry in entries:
        entry.version = version  # as `version.entries.all()` sets it: no query to reach it
    return list(entries)


def frozen_entry(version: GuidanceVersion | None, key: str) -> GuidanceEntry | None:
    """The version's entry for `key`, or None: among its kept entries for a frozen version,
    read each time for a draft (as `version_entries`, for one entry)."""
    if version is None:
        return None
    if not is_frozen(version):
        return version.entries.filter(key=key).first()
    return next((entry for entry in version_entries(version) if entry.key == key), None)


def entries_by_key(version: GuidanceVersion | None) -> dict[str, GuidanceEntry]:
    if version is None:
        return {}
    return {entry.key: entry for entry in version_entries(version)}


def ordered_entries(version: GuidanceVersion) -> list[GuidanceEntry]:
    """The version's entries in the engine's order (escalation, red flags, pathways, imaging,
    general)."""
    rank = {key: index for index, key in enumerate(GUIDANCE_KEYS)}
    return sorted(version_entries(version), key=lambda e: (rank.get(e.key, len(rank)), e.key))


def entry_token(entry: GuidanceEntry) -> str:
    """A fingerprint of an entry's text, sent back by the editor as the text it started from.

    A save whose fingerprint no longer matches the stored entry would overwrite a change the
    editor has not seen (another admin's), so `actions.guidance.update_entry` refuses it.

    >>> a = GuidanceEntry(title="T", body="B", actions="", citations=[2, 1])
    >>> b = GuidanceEntry(title="T", body="B", actions="", citations=[1, 2])
    >>> entry_token(a) == entry_token(b), entry_token(a) == entry_token(GuidanceEntry(title="T"))
    (True, False)
    """
    text = [entry.title, entry.body, entry.actions, sorted(entry.citations)]
    return hashlib.sha256(json.dumps(text).encode()).hexdigest()[:24]


# --- Who changed what: read from the audit trail (pghistory event tables) ---------------------


@dataclass(frozen=True)
class Change:
    by: str
    at: datetime


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    by: str
    step: int  # 0 started, 1 an entry changed, 2 published or retired: orders equal times
    text: str = ""  # what happened to the version; or, for a change to an entry:
    key: str = ""
    title: str = ""
    fields: tuple[str, ...] = ()
    saves: int = 1

    @property
    def what(self) -> str:
        if not self.key:
            return self.text
        saves = f" ({self.saves} saves)" if self.saves > 1 else ""
        return f"Changed the {' and '.join(self.fields)} of {self.title} ({self.key}){saves}"


def _user_id(event) -> int | None:
    """Who made an audit event (None for the system: a migration, a script)."""
    return (event.pgh_context.metadata if event.pgh_context else {}).get("user")


def _names(events) -> dict[int, str]:
    """Who made each event, by user id: from each event's `by_name` (`_with_names`)."""
    return {uid: e.by_name for e in events if (uid := _user_id(e)) is not None and e.by_name}


def _with_names(events):
    """`events` each with `by_name`, the full name (else user name) of who made it, read in
    the same query."""
    full = NullIf(Trim(Concat("first_name", Value(" "), "last_name")), Value(""))
    name = User.objects.filter(pk=OuterRef("by_id")).values(n=Coalesce(full, "username"))[:1]
    return (
        events.select_related("pgh_context")
        .annotate(by_id=Cast(KeyTextTransform("user", "pgh_context__metadata"), IntegerField()))
        .annotate(by_name=Subquery(name))
    )


def _by(event, names: dict[int, str]) -> str:
    user_id = _user_id(event)
    return names.get(user_id, "the system") if user_id is not None else "the system"


def last_change(entry: GuidanceEntry) -> Change | None:
    """Who last saved `entry`, and when (None if it has no trail)."""
    event = (
        _with_names(GuidanceEntry.pgh_event_model.objects.filter(pgh_obj_id=entry.pk))
        .order_by("-pgh_id")
        .first()
    )
    if event is None:
        return None
    return Change(by=_by(event, _names([event])), at=event.pgh_created_at)


ENTRY_FIELDS = {
    "title": "title",
    "body": "guidance text",
    "actions": "actions",
    "citations": "sources",
}


def history(version: GuidanceVersion) -> list[HistoryItem]:
    """Who drafted, changed, published and retired `version`, oldest first.

    An entry's first event is the copy made when the draft started; each later one names the
    fields it changed.
    """
    version_events = list(
        _with_names(GuidanceVersion.pgh_event_model.objects.filter(pgh_obj_id=version.pk)).order_by(
            "pgh_id"
        )
    )
    entry_events = list(
        _with_names(GuidanceEntry.pgh_event_model.objects.filter(version_id=version.pk)).order_by(
            "pgh_id"
        )
    )
    names = _names([*version_events, *entry_events])
    items = []
    previous_status = None
    for event in version_events:
        if event.status != previous_status:
            what = {
                "draft": "Started the draft",
                "published": f"Published version {event.number}",
                "retired": "Retired it (a newer version was published)",
            }.get(event.status, event.status)
            step = 0 if event.status == "draft" else 2
            items.append(HistoryItem(event.pgh_created_at, _by(event, names), step, text=what))
        previous_status = event.status
    items += _entry_changes(entry_events, names)
    # Events of one transaction share its time (as in a test, which runs in one).
    return _one_row_per_editing_run(sorted(items, key=lambda item: (item.at, item.step)))


def _entry_changes(events: list, names: dict[int, str]) -> list[HistoryItem]:
    items: list[HistoryItem] = []
    before: dict[int, Any] = {}
    for event in events:
        earlier = before.get(event.pgh_obj_id)
        before[event.pgh_obj_id] = event
        if earlier is None or event.pgh_label != "update":
            continue
        fields = tuple(
            label
            for name, label in ENTRY_FIELDS.items()
            if getattr(earlier, name) != getattr(event, name)
        )
        by = _by(event, names)
        items.append(
            HistoryItem(
                event.pgh_created_at, by, 1, key=event.key, title=event.title, fields=fields
            )
        )
    return items


def _one_row_per_editing_run(items: list[HistoryItem]) -> list[HistoryItem]:
    """Autosave writes an event every few seconds while someone types; the changes one person
    made to one entry in a row, with nothing else in between, read as one row (the latest time
    and title, and every field they touched)."""
    rows: list[HistoryItem] = []
    for item in items:
        last = rows[-1] if rows else None
        if last and item.key and (last.key, last.by) == (item.key, item.by):
            fields = tuple(f for f in ENTRY_FIELDS.values() if f in last.fields + item.fields)
            rows[-1] = replace(item, fields=fields, saves=last.saves + item.saves)
        else:
            rows.append(item)
    return rows


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML that is safe to show: sanitised by nh3 with an allow-list. Rendered
    once per process for each text (kept under the text's digest: a text renders the same
    wherever it comes from, a draft, a published version or an unsaved preview).

    >>> str(render_markdown("**Call** [team](javascript:alert(1)) <script>x</script>"))
    '<p><strong>Call</strong> <a rel="noopener noreferrer">team</a> </p>'
    """
    text = text or ""
    key = f"markdown:{hashlib.sha256(text.encode()).hexdigest()}"
    rendered = caches["rendered"]
    html = rendered.get(key)
    if html is None:
        html = nh3.clean(
            markdown_lib.markdown(text, extensions=["tables"], output_format="html"),
            tags=ALLOWED_TAGS,
            clean_content_tags=DROP_WITH_CONTENT,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="noopener noreferrer",
            strip_comments=True,
        )
        rendered.set(key, html, None)
    return mark_safe(html)  # noqa: S308 - sanitised by nh3 above before it was kept


def body_html(entry: GuidanceEntry) -> SafeString:
    """The entry's guidance text as safe HTML (`render_markdown`)."""
    return render_markdown(entry.body)


def action_lines(text: str) -> list[str]:
    """One recommended action per non-empty line.

    >>> action_lines("Call the team\\n\\n  Repeat the exam ")
    ['Call the team', 'Repeat the exam']
    """
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


_TOKENS = re.compile(r"\w+|[^\w\s]|\s+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level differences as (op, text) pairs, op one of "equal", "delete", "insert".

    Whitespace is kept, so joining the "equal" and "insert" parts gives `new` back. Each
    change is one deletion then one insertion, however many words it spans.

    >>> word_diff("Bed rest for 24 hours", "Bed rest for 48 hours")
    [('equal', 'Bed rest for '), ('delete', '24'), ('insert', '48'), ('equal', ' hours')]
    """
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    raw: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            raw.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            raw.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            raw.append(("insert", "".join(b[j1:j2])))
    parts: list[tuple[str, str]] = []
    deleted: list[str] = []
    inserted: list[str] = []
    for index, (op, text) in enumerate(raw):
        following = raw[index + 1][0] if index + 1 < len(raw) else "equal"
        # A lone space between two changes belongs to the change: "team now" -> "spinal team",
        # not five fragments.
        if op == "equal" and not (
            text.isspace() and (deleted or inserted) and following != "equal"
        ):
            parts += [("delete", "".join(deleted))] if deleted else []
            parts += [("insert", "".join(inserted))] if inserted else []
            deleted, inserted = [], []
            parts.append((op, text))
        else:
            if op != "insert":
                deleted.append(text)
            if op != "delete":
                inserted.append(text)
    parts += [("delete", "".join(deleted))] if deleted else []
    parts += [("insert", "".join(inserted))] if inserted else []
    return parts


def citations_text(citations: list[int]) -> str:
    """The citation numbers as an admin types them.

    >>> citations_text([1, 3])
    '1, 3'
    """
    return ", ".join(str(n) for n in citations)


# --- Comparing a draft with what is published -------------------------------------------------

COMPARED_FIELDS = ("title", "body", "actions", "citations")


def differs(old: GuidanceEntry | None, new: GuidanceEntry | None) -> bool:
    if old is None or new is None:
        return old is not new
    return any(getattr(old, name) != getattr(new, name) for name in COMPARED_FIELDS)


def changed_keys(version: GuidanceVersion, base: GuidanceVersion | None) -> list[str]:
    """Keys whose entry in `version` is new, gone or different from `base`, in engine order."""
    mine, theirs = entries_by_key(version), entries_by_key(base)
    keys = [*GUIDANCE_KEYS, *sorted((mine.keys() | theirs.keys()) - set(GUIDANCE_KEYS))]
    return [key for key in keys if differs(theirs.get(key), mine.get(key))]


def shown_filter(key: str) -> Q:
    """Rounds whose stored assessment displayed `key`, as JSONB containment (`@>`).

    `general` (the advice after every vertebroplasty) is displayed on every round.

    >>> shown_filter("imaging.urgent")
    <Q: (AND: ('assessment__contains', {'imaging_detail': {'guidance_key': 'imaging.urgent'}}))>
    """
    kind = key.partition(".")[0]
    if kind == "red_flag":
        return Q(assessment__contains={"red_flags": [{"guidance_key": key}]})
    if kind == "pathway":
        return Q(assessment__contains={"pathways": [{"guidance_key": key}]})
    if kind == "imaging":
        return Q(assessment__contains={"imaging_detail": {"guidance_key": key}})
    if kind == "escalation":
        # Assessed under rules v1, a round has no escalation, so it never showed these.
        return Q(assessment__contains={"escalation_detail": {"guidance_key": key}})
    if key == GENERAL_KEY:
        return Q()
    return Q(pk__isnull=True)  # no round shows an unknown key (and it compiles inside Count)


def shown_keys(assessment: dict[str, Any]) -> set[str]:
    """The guidance keys a stored assessment displayed (the Python twin of `shown_filter`).

    >>> sorted(shown_keys({"red_flags": [{"guidance_key": "red_flag.news2_high"}],
    ...     "pathways": [], "imaging_detail": {"guidance_key": "imaging.emergency"}}))
    ['general', 'imaging.emergency', 'red_flag.news2_high']
    """
    items = [*assessment.get("red_flags", []), *assessment.get("pathways", [])]
    items.append(assessment.get("imaging_detail") or {})
    items.append(assessment.get("escalation_detail") or {})
    return {item["guidance_key"] for item in items if item.get("guidance_key")} | {GENERAL_KEY}


def _recent_rounds(days: int):
    return Round.objects.filter(
        status=Round.Status.SUBMITTED, submitted_at__gte=timezone.now() - timedelta(days=days)
    )


@dataclass(frozen=True)
class Impact:
    key: str
    title: str
    rounds: int  # assessments submitted in the window that showed this key
    encounters: int  # the encounters those assessments belong to


def impact(draft: GuidanceVersion, *, days: int = IMPACT_DAYS) -> list[Impact]:
    """For each entry the draft changes, how many rounds submitted in the last `days` showed it.

    One query: filtered counts per changed key over the window's rounds (JSONB containment).
    """
    keys = changed_keys(draft, draft.based_on or _published_or_none())
    if not keys:
        return []
    counts: dict[str, Count] = {}
    for index, key in enumerate(keys):
        shown = shown_filter(key)
        counts[f"r{index}"] = Count("pk", filter=shown)
        counts[f"e{index}"] = Count("encounter", filter=shown, distinct=True)
    totals = _recent_rounds(days).aggregate(**counts)
    titles = {entry.key: entry.title for entry in draft.entries.all()}
    return [
        Impact(
            key=key,
            title=titles.get(key, key),
            rounds=totals[f"r{index}"],
            encounters=totals[f"e{index}"],
        )
        for index, key in enumerate(keys)
    ]


def rounds_showing(key: str, limit: int = 3, *, days: int = IMPACT_DAYS) -> list[Round]:
    """The latest submitted rounds that showed `key`: examples for the side-by-side view."""
    return list(
        _recent_rounds(days)
        .filter(shown_filter(key))
        .select_related("encounter", "guidance_version")
        .order_by("-submitted_at")[:limit]
    )


def _published_or_none() -> GuidanceVersion | None:
    return GuidanceVersion.objects.filter(status=GuidanceVersion.Status.PUBLISHED).first()
