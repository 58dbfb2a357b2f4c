"""The `koordinator` command: the engine's commands plus `serve`, which runs the web app."""

from __future__ import annotations

import argparse
import logging
import sys

from engine import cli as engine_cli


def cmd_serve(args: argparse.Namespace) -> int:
    from waitress import serve

    from . import create_app

    app = create_app({"DATABASE_URL": args.database_url})
    if not args.no_scheduler:
        _start_background_scheduler(app.extensions["koordinator"], args.interval)
    logging.getLogger(__name__).info("serving on http://%s:%s/", args.host, args.port)
    serve(app, host=args.host, port=args.port, threads=args.threads, ident="koordinator")
    return 0


def cmd_bench_api(args: argparse.Namespace) -> int:
    import json

    from .bench_api import run_api_benchmark

    result = run_api_benchmark(cases=args.cases, loops=args.loops, seed_cases=args.seed_cases,
                               database_url=args.database_url, requests=args.requests)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:36} {value}")
    return 0


def _start_background_scheduler(engine, interval: float) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from apscheduler.schedulers.background import BackgroundScheduler

    from engine.scheduler import tick

    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(tick, "interval", args=[engine], seconds=interval, max_instances=1,
                      coalesce=True, next_run_time=datetime.now().astimezone())
    scheduler.add_job(engine.optimize, "interval", hours=6, max_instances=1, coalesce=True,
                      next_run_time=datetime.now().astimezone())
    scheduler.start()


def build_parser() -> argparse.ArgumentParser:
    parser = engine_cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    p = sub.add_parser("serve", help="run the web app (and the timer scheduler) with waitress")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5000)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--interval", type=float, default=10.0, help="seconds between timer passes")
    p.add_argument("--no-scheduler", action="store_true",
                   help="serve only; run `koordinator scheduler` elsewhere")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("bench-api", help="benchmark the JSON API and the worklist page over HTTP")
    p.add_argument("--cases", type=int, default=50, help="fresh cases taken to closure")
    p.add_argument("--loops", type=int, default=200, help="evaluation loops of one case")
    p.add_argument("--seed-cases", type=int, default=100_000,
                   help="cases seeded by bulk SQL before the read figures")
    p.add_argument("--requests", type=int, default=200, help="requests per read figure")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bench_api)
    return parser


def main(argv: list[str] | None = None) -> int:
    return engine_cli.main(argv, parser=build_parser())


if __name__ == "__main__":
    sys.exit(main())
