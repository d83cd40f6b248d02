"""Print 30 days of production metrics for two example components, as OpenMetrics.

player_experience stays within every SLA; api_gateway was down for 8 hours, fails 0.8%
of requests and answers slowly. The metric names are the ones the example code exports
(``<component>_requests_total{status}``, ``<component>_request_duration_seconds``) are
the defaults maturity queries (player_experience's web app exports the request metrics;
the page-load and database histograms stand for what a full deployment would export). The history ends now, with 15-second samples in the last
hour so the 5-minute alert windows have data.
"""

import time

STEP, FINE = 900, 15
BUCKETS = ("0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "+Inf")
COMPONENTS = {
    # name: (errors per 1000 requests, API buckets per 1000, page buckets, db buckets, down hours)
    "player_experience": (
        1,
        (600, 900, 980, 1000, 1000, 1000, 1000, 1000),
        (0, 0, 100, 600, 950, 1000, 1000, 1000),
        (990, 1000, 1000, 1000, 1000, 1000, 1000, 1000),
        0,
    ),
    "api_gateway": (8, (100, 300, 500, 700, 900, 1000, 1000, 1000), None, None, 8),
}


def main() -> None:
    now = int(time.time())
    coarse = list(range(now - 30 * 86400 + STEP, now - 3600 + 1, STEP))
    fine = list(range(coarse[-1] + FINE, now + 1, FINE))
    out = ["# TYPE up gauge"]
    for name, (*_, down_hours) in COMPONENTS.items():
        for t in coarse + fine[STEP // FINE - 1 :: STEP // FINE]:
            out.append(f'up{{job="{name}"}} {0 if t > now - down_hours * 3600 else 1} {t}')
    for name, (errors, api, page, db, _) in COMPONENTS.items():
        out.append(f"# TYPE {name}_requests counter")
        ok = bad = 0.0
        for i, t in enumerate(coarse + fine):
            scale = 1.0 if i < len(coarse) else FINE / STEP
            ok, bad = ok + (1000 - errors) * scale, bad + errors * scale
            out.append(f'{name}_requests_total{{status="200"}} {ok:.3f} {t}')
            out.append(f'{name}_requests_total{{status="500"}} {bad:.3f} {t}')
        for metric, counts in (("request_duration", api), ("page_load", page), ("db_query_duration", db)):
            if counts is None:
                continue
            full = f"{name}_{metric}_seconds"
            out.append(f"# TYPE {full} histogram")
            totals = [0.0] * len(BUCKETS)
            for i, t in enumerate(coarse + fine):
                scale = 1.0 if i < len(coarse) else FINE / STEP
                totals = [a + b * scale for a, b in zip(totals, counts)]
                out += [f'{full}_bucket{{le="{le}"}} {v:.3f} {t}' for le, v in zip(BUCKETS, totals)]
                out.append(f"{full}_count {totals[-1]:.3f} {t}")
                out.append(f"{full}_sum {totals[-1] * 0.2:.3f} {t}")
    out.append("# EOF")
    print("\n".join(out))


if __name__ == "__main__":
    main()
