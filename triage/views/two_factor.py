"""Two-factor authentication: entering the code after the password, setting up the app, and
the recovery codes shown once after it. `triage.access.SecondFactorMiddleware` sends users here.
"""

from __future__ import annotations

import django_otp
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from triage import two_factor
from triage.access import AuthenticatedRequest, role_required
from triage.actions import two_factor as actions
from triage.forms.two_factor import AppCodeForm, RecoveryCodeForm

NEW_CODES_KEY = "new_recovery_codes"


def next_page(request: AuthenticatedRequest) -> str:
    """Where the user was going (an address of this site only), or home."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def not_needed(request: AuthenticatedRequest) -> bool:
    """Nothing to enter: two-factor is off for this user, or already done in this session."""
    return not two_factor.enforced_for(request.user) or two_factor.is_verified(request.user)


@role_required()
@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedRequest) -> HttpResponse:
    """After the password: a code from the app, or (`?with=recovery`) a recovery code."""
    if not_needed(request):
        return redirect(next_page(request))
    device = two_factor.app_device(request.user)
    if device is None:
        return redirect(f"{resolve_url('accounts:two-factor-set-up')}?{request.GET.urlencode()}")
    recovery = request.GET.get("with") == "recovery"
    form = (RecoveryCodeForm if recovery else AppCodeForm)(request.POST or None)
    if form.is_valid():
        code = form.cleaned_data["code"]
        check = (
            actions.check_recovery_code(user=request.user, code=code)
            if recovery
            else actions.check_app_code(device=device, code=code)
        )
        if check.device is not None:
            django_otp.login(request, check.device)
            if check.recovery_codes_left is not None:
                messages.warning(
                    request,
                    f"You used a recovery code: {check.recovery_codes_left} left. If you have "
                    "lost your phone, ask an administrator to reset your two-factor "
                    "authentication so you can set up the app again.",
                )
            return redirect(next_page(request))
        form.add_error("code", check.error)
    context = {"form": form, "recovery": recovery, "next": next_page(request)}
    return render(request, "account/two_factor.html", context)


@role_required()
@require_http_methods(["GET", "POST"])
def set_up(request: AuthenticatedRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), enter a code from it,
    then see the recovery codes once."""
    if not_needed(request):
        return redirect(next_page(request))
    if two_factor.has_app(request.user):
        # Replacing an app takes an administrator's reset, never the password alone.
        return redirect(f"{resolve_url('accounts:two-factor')}?{request.GET.urlencode()}")
    device = actions.start_enrolment(user=request.user)
    form = AppCodeForm(request.POST or None)
    if form.is_valid():
        check = actions.check_app_code(device=device, code=form.cleaned_data["code"])
        if check.device is not None:
            codes = actions.confirm_enrolment(device=check.device)
            django_otp.login(request, check.device)
            request.session[NEW_CODES_KEY] = codes
            return redirect(f"{resolve_url('accounts:recovery-codes')}?{request.GET.urlencode()}")
        form.add_error("code", check.error)
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_for_typing(device),
        "next": next_page(request),
    }
    return render(request, "account/two_factor_set_up.html", context)


@role_required()
@require_GET
def recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    """The recovery codes made with the app, shown this once."""
    codes = request.session.pop(NEW_CODES_KEY, None)
    if not codes:
        return redirect(next_page(request))
    context = {"codes": codes, "next": next_page(request)}
    return render(request, "account/recovery_codes.html", context)
