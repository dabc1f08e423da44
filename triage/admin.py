"""Django's admin: users and wards only. Nothing that holds patient data is registered here
(encounters, rounds, answers and their audit events are read in the product, where reads are
audited); neither are the second-factor devices, whose only change is an audited reset."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from triage.actions import two_factor
from triage.models import TwoFactorReset, User, Ward

admin.site.register(Ward)
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


@admin.register(User)
class TriageUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Wards", {"fields": ("wards",)}))
    filter_horizontal = (*UserAdmin.filter_horizontal, "wards")
    actions = ["reset_two_factor"]

    @admin.action(
        description="Reset two-factor authentication (they set up the app again)",
        permissions=["change"],
    )
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        by = request.user
        assert isinstance(by, User)  # the admin is signed in
        for user in queryset:
            two_factor.reset(user=user, by=by, source=TwoFactorReset.Source.ADMIN)
        names = ", ".join(user.get_username() for user in queryset)
        self.message_user(
            request,
            f"Two-factor authentication reset for {names}: each sets up an authenticator app "
            "again at their next sign-in.",
            messages.SUCCESS,
        )
