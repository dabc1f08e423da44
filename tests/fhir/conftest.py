from tests.review.conftest import make_encounter, physician_client, red_flag_encounter  # noqa: F401
