from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Post-vertebroplasty pain triage"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from triage import checks  # noqa: F401  (registers the deploy checks)
        from triage.session_lifetime import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="triage.note_sign_in")
