FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

COPY . .
# collectstatic needs settings to load; these build-time values are never used at run time.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=postgres://build@build/build \
    python manage.py collectstatic --noinput

RUN useradd --system --no-create-home triage
USER triage
EXPOSE 8000
# Migrations are a separate release step run with DATABASE_OWNER_URL (compose: the migrate service).
CMD ["sh", "-c", "gunicorn triage.wsgi:application --bind 0.0.0.0:8000 --workers 3"]
