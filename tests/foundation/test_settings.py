from tests.foundation.helpers import PRODUCTION_ENV, run_python

LOAD_SETTINGS = [
    "-c",
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'triage.settings'; django.setup();"
    "from django.conf import settings; print('DEBUG', settings.DEBUG)",
]


def test_production_refuses_to_start_without_secret_key():
    result = run_python(LOAD_SETTINGS, {**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert result.stdout == ""


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_python(LOAD_SETTINGS, {**PRODUCTION_ENV, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_starts_with_debug_off():
    result = run_python(LOAD_SETTINGS, PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DEBUG False"


def test_debug_is_on_only_in_dev():
    result = run_python(LOAD_SETTINGS, {"TRIAGE_ENV": "dev", "DEBUG": ""})
    assert result.stdout.strip() == "DEBUG True"
    result = run_python(LOAD_SETTINGS, {**PRODUCTION_ENV, "DEBUG": "true"})
    assert result.stdout.strip() == "DEBUG False"


def test_a_malformed_boolean_is_refused_with_its_name():
    result = run_python(LOAD_SETTINGS, {**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "maybe"})
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT must be true or false" in result.stderr


def test_a_non_postgres_database_url_is_refused():
    result = run_python(LOAD_SETTINGS, {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///db.sqlite3"})
    assert result.returncode != 0
    assert "only on PostgreSQL" in result.stderr


def test_check_deploy_has_no_warnings_with_production_settings():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_the_application_logs_in_as_the_owner():
    env = {**PRODUCTION_ENV, "DATABASE_OWNER_URL": ""}
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "triage.W001" in result.stdout + result.stderr


def test_the_owner_must_be_on_the_same_database():
    env = {**PRODUCTION_ENV, "DATABASE_OWNER_URL": "postgres://triage:secret@127.0.0.1:5432/other"}
    result = run_python(LOAD_SETTINGS, env)
    assert result.returncode != 0
    assert "DATABASE_OWNER_URL must name the same server and database" in result.stderr


def test_production_hashes_passwords_with_pbkdf2_the_tests_fast_hash_is_theirs_only():
    """The test suite hashes the passwords it makes with a fast hasher (tests/conftest.py);
    production, in a fresh process, keeps Django's default: PBKDF2, a million rounds or more."""
    script = [
        "-c",
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'triage.settings';"
        "django.setup(); from django.contrib.auth.hashers import get_hasher;"
        "h = get_hasher(); print(h.algorithm, h.iterations)",
    ]
    result = run_python(script, PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    algorithm, iterations = result.stdout.split()
    assert algorithm == "pbkdf2_sha256"
    assert int(iterations) >= 1_000_000


DATABASE_OPTIONS = [
    "-c",
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'triage.settings'; django.setup();"
    "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS'];"
    "print(o['prepare_threshold'], o.get('options'))",
]


def test_prepared_reads_keep_one_plan_and_none_is_kept_behind_a_pooling_proxy():
    url = "postgres://app@db.example:5432/triage?options=-c%20statement_timeout%3D5000"
    owner = "postgres://owner@db.example:5432/triage"
    env = {**PRODUCTION_ENV, "DATABASE_URL": url, "DATABASE_OWNER_URL": owner}
    result = run_python(DATABASE_OPTIONS, env)
    assert result.returncode == 0, result.stderr
    # The URL's own options are kept beside it.
    assert result.stdout.strip() == (
        "0 -c statement_timeout=5000 -c plan_cache_mode=force_generic_plan"
    )
    result = run_python(DATABASE_OPTIONS, {**env, "DB_PREPARED_STATEMENTS": "false"})
    assert result.stdout.strip() == "None -c statement_timeout=5000"
