from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Post-vertebroplasty pain triage"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from triage import checks  # noqa: F401  (registers the deploy checks)
        from triage.session_lifetime import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="triage.note_sign_in")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on our site: it needs a verified second factor when TRIAGE_REQUIRE_2FA is
    on (`triage.access.AdminSite`)."""

    default = False  # named in INSTALLED_APPS; TriageConfig stays this app's own
    default_site = "triage.access.AdminSite"
