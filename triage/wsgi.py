import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "triage.settings")

application = get_wsgi_application()

# What is loaded by now (Django, the apps, their models, URLs and settings) lives as long as the
# worker: the garbage collector need not walk it again on every full collection, as it would
# many times a minute under load (Python's gc.freeze; profiled: 0.4 -> 0.17 ms of collecting
# per wizard step).
gc.freeze()
