"""A nurse's or physician's own API tokens: make one (shown once), see them, revoke one."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from triage.access import AuthenticatedRequest, clinical_required
from triage.actions import api_tokens as actions
from triage.forms.api_tokens import TokenForm
from triage.models import ApiToken


@clinical_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new = None
    if form.is_valid():
        new = actions.create_token(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    context = {
        "form": form,
        "new": new,
        "tokens": request.user.api_tokens.all(),
        "now": timezone.now(),
        "days": settings.API_TOKEN_DAYS,
    }
    response = render(request, "account/tokens.html", context)
    if new is not None:
        # The token is on this page and nowhere else: keep it out of every cache.
        response["Cache-Control"] = "no-store"
    return response


@clinical_required
@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    actions.revoke_token(token=token, by=request.user)
    messages.success(request, f"The token “{token.name}” ({token.prefix}…) is revoked.")
    return redirect("accounts:api-tokens")
