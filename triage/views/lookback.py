"""The look-back page and its CSV: the assessments on a physician's wards that the current
rules would answer differently (`triage.lookback`). Every opening is recorded as a run."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from triage.access import AuthenticatedRequest, role_required
from triage.actions.lookback import run
from triage.lookback import csv_rows
from triage.models import LookbackRun
from triage.roles import Role


@role_required(Role.PHYSICIAN)
@require_GET
def lookback(request: AuthenticatedRequest) -> HttpResponse:
    wards = request.user.ward_list()
    result = run(by=request.user, source=LookbackRun.Source.PAGE, wards=wards)
    return render(request, "review/lookback.html", {"result": result, "wards": wards})


@role_required(Role.PHYSICIAN)
@require_GET
def lookback_csv(request: AuthenticatedRequest) -> HttpResponse:
    wards = request.user.ward_list()
    result = run(by=request.user, source=LookbackRun.Source.CSV, wards=wards)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="lookback-rules-{result.rules_version}-{day}.csv"'
    )
    csv.writer(response).writerows(csv_rows(result))
    return response
