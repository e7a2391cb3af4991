"""Page timings as a user sees them: sign in through the form, then time page views.

    python scripts/bench_pages.py --base http://127.0.0.1:8000 --user jh-demo \
        --path "/witte-vlekken" --path "/witte-vlekken?pagina=2" --views 40

Each path is viewed once first (the cold view, reported apart: it includes loading what the
process keeps in memory), then ``--views`` times in turn; p50 and p95 are over those views.

``--report`` (sign in as an evaluator) also times the evaluation report of the default period
with the backtest as the page gets it: the answer to "Rapport maken", then polling the job
every 0.2 s until the report is there; once built, then ``--reports`` times kept.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

import httpx


def sign_in(client: httpx.Client, user: str, password: str) -> None:
    """Sign in through the login form (CSRF token from the form)."""
    form = client.get("/login").text
    token = re.search(r'name="csrf_token"\s+value="([^"]+)"', form)
    if token is None:
        raise SystemExit("no CSRF token on /login")
    data = {"csrf_token": token.group(1), "username": user, "password": password}
    if client.post("/login", data=data).status_code != 303:
        raise SystemExit(f"sign-in as {user} failed")


def view(client: httpx.Client, path: str) -> float:
    """Seconds for one page view (status 200 required)."""
    start = time.perf_counter()
    response = client.get(path, headers={"Accept": "text/html"})
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code}")
    return elapsed


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    if found is None:
        raise SystemExit(f"no field {name} on /evaluatie")
    return found.group(1)


def report(client: httpx.Client) -> tuple[float, float]:
    """Seconds until the answer to "Rapport maken", and until the report is shown."""
    form = client.get("/evaluatie").text
    data = {name: _field(form, name) for name in ("csrf_token", "van", "tot", "peildatum")}
    headers = {"HX-Request": "true", "Origin": str(client.base_url).rstrip("/")}
    start = time.perf_counter()
    answer = client.post("/evaluatie/rapport", data={**data, "backtest": "true"}, headers=headers)
    answered = time.perf_counter() - start
    while (job := re.search(r'hx-get="(/evaluatie/taken/[^"]+)"', answer.text)) is not None:
        time.sleep(0.2)  # queued or running: the fragment polls itself
        answer = client.get(job.group(1), headers=headers)
    if "job--done" not in answer.text:
        raise SystemExit(f"the report failed: {answer.text[:300]}")
    return answered, time.perf_counter() - start


def time_reports(client: httpx.Client, times: int) -> None:
    """Print the report's timings: built once, then kept ``times`` times."""
    answered, shown = report(client)
    print(f"report (built): answer {answered:.3f} s, shown after {shown:.3f} s")
    kept = [report(client) for _ in range(times)]
    answers, shows = [a for a, _ in kept], [s for _, s in kept]
    print(
        f"report (kept): answer p50 {statistics.median(answers):.3f} s, shown p50 "
        f"{statistics.median(shows):.3f} s, max {max(shows):.3f} s over {times} requests"
    )


def main() -> None:
    """Time the pages and print cold, p50 and p95 per path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="jh-demo")
    parser.add_argument("--password", default="werkmatch-demo")
    parser.add_argument("--path", action="append", default=[])
    parser.add_argument("--views", type=int, default=40)
    parser.add_argument("--report", action="store_true", help="time the evaluation report")
    parser.add_argument("--reports", type=int, default=10)
    args = parser.parse_args()
    with httpx.Client(base_url=args.base, timeout=300, follow_redirects=False) as client:
        sign_in(client, args.user, args.password)
        if args.report:
            time_reports(client, args.reports)
        cold = {path: view(client, path) for path in args.path}
        times: dict[str, list[float]] = {path: [] for path in args.path}
        for _ in range(args.views):
            for path in args.path:
                times[path].append(view(client, path))
    for path in args.path:
        q = statistics.quantiles(times[path], n=20, method="inclusive")
        print(
            f"{path}: cold {cold[path]:.3f} s, p50 {statistics.median(times[path]):.3f} s, "
            f"p95 {q[18]:.3f} s over {len(times[path])} views"
        )


if __name__ == "__main__":
    main()
