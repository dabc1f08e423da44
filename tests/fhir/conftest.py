from tests.review.conftest import (  # noqa: F401
    exported,
    make_encounter,
    physician_client,
    red_flag_encounter,
    with_v1_round,
)
