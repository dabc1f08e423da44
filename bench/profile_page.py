"""Where one endpoint of `make bench` spends its time: ``python bench/profile_page.py NAME [N]``.

Signs in and prepares the endpoints exactly as bench_pages.py does (its database, production
settings, behind TLS), then requests the endpoint whose name starts with NAME N times (default
200) through Django's test client under pyinstrument and prints the profile. Without NAME it
lists the endpoints. SHOW_ALL=1 shows the frames of libraries too.
"""

from __future__ import annotations

import os
import sys

from bench_pages import (
    check_in_process,
    endpoints,
    environments,
    prepare_data,
    setup_django,
    signed_in_browsers,
)


def main() -> int:
    _, production = environments()
    setup_django(production)
    from pyinstrument import Profiler

    prepare_data()
    browsers = signed_in_browsers()
    points = endpoints(browsers)
    chosen = [p for p in points if len(sys.argv) > 1 and p.name.startswith(sys.argv[1])]
    if not chosen:
        print("endpoints:\n  " + "\n  ".join(point.name for point in points))
        return 2
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    for _ in range(10):  # warm up
        check_in_process(chosen[0], browsers)
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(count):
            check_in_process(chosen[0], browsers)
    show_all = os.environ.get("SHOW_ALL") == "1"  # Django's own frames too
    print(profiler.output_text(unicode=True, color=False, show_all=show_all))
    return 0


if __name__ == "__main__":
    sys.exit(main())
