"""The `koordinator` command: database, validation, deployment, timers and the benchmark."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from .errors import BundleInvalid, EngineError

STANDARD_BUNDLE = Path(__file__).resolve().parent.parent / "processes" / "standard"


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .service import Koordinator

    return Koordinator(args.database_url)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from .db import default_database_url, upgrade

    url = args.database_url or default_database_url()
    upgrade(url)
    from .service import Koordinator

    Koordinator(url).optimize()
    print(f"database is up to date ({url.split('@')[-1]})")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .service import Koordinator

    failed = False
    for arg in args.paths:
        path = Path(arg)
        try:
            problems = Koordinator.validate(path)
        except Exception as exc:
            logging.getLogger(__name__).debug("validation crashed", exc_info=True)
            print(f"{arg}:-: the validator failed on this file ({type(exc).__name__}: {exc})")
            failed = True
            continue
        for problem in problems:
            where = arg if path.is_file() or problem.file == arg else str(path / problem.file)
            print(f"{where}:{problem.element_id or '-'}: {problem.message}")
        failed = failed or bool(problems)
        if not problems and not args.quiet:
            print(f"{arg}: ok")
    return 1 if failed else 0


def cmd_deploy(args: argparse.Namespace) -> int:
    engine = _engine(args)
    try:
        version = engine.deploy(args.path, kommune=args.kommune, actor=args.actor, note=args.note,
                                only_if_changed=args.if_changed)
    except BundleInvalid as exc:
        for problem in exc.problems:
            print(problem)
        return 1
    print(f"deployed {version.process_id} version {version.number} for {version.kommune} "
          f"(id {version.id})")
    return 0


def _print_case(case) -> None:  # type: ignore[no-untyped-def]
    print(f"case {case.id} ({case.kommune}): {case.status}, stage {case.stage or '-'}, "
          f"coordinator {case.coordinator or '-'}, version {case.version}")
    if case.next_timer_due:
        print(f"  next timer due {case.next_timer_due:%Y-%m-%d %H:%M} UTC")
    for task in case.open_tasks:
        print(f"  open task {task.id}  {task.bpmn_id}  \"{task.name}\"  role {task.role} "
              f"form {task.form_key}")


def cmd_case_start(args: argparse.Namespace) -> int:
    _print_case(_engine(args).start_case(args.kommune, actor=args.actor))
    return 0


def cmd_case_show(args: argparse.Namespace) -> int:
    _print_case(_engine(args).get_case(args.case_id, actor=args.actor))
    return 0


def cmd_case_list(args: argparse.Namespace) -> int:
    for case in _engine(args).list_cases(args.kommune, status=args.status):
        print(f"{case.id:6}  {case.status:9}  {case.stage or '-':12}  {case.person_label or '-':8}"
              f"  {case.coordinator or '-'}")
    return 0


def cmd_case_signal(args: argparse.Namespace) -> int:
    _print_case(_engine(args).send_signal(args.case_id, args.signal, actor=args.actor))
    return 0


def cmd_case_audit(args: argparse.Namespace) -> int:
    for event in _engine(args).audit_trail(args.case_id):
        data = json.dumps(event.data, ensure_ascii=False) if event.data is not None else ""
        print(f"{event.at:%Y-%m-%d %H:%M:%S}  {event.actor:16}  {event.kind:15}  "
              f"{event.bpmn_id or '':28}  {data}")
    return 0


def cmd_task_complete(args: argparse.Namespace) -> int:
    from .errors import FormRejected

    raw = Path(args.data[1:]).read_text(encoding="utf-8") if args.data.startswith("@") \
        else args.data
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        print(f"error: --data is not valid JSON: {exc}", file=sys.stderr)
        return 1
    try:
        _print_case(_engine(args).complete_task(args.task_id, data, actor=args.actor,
                                                lang=args.lang))
    except FormRejected as exc:
        for field, message in exc.errors.items():
            print(f"{field}: {message}", file=sys.stderr)
        return 1
    return 0


def cmd_fire_due(args: argparse.Namespace) -> int:
    fired = _engine(args).fire_due_timers()
    print(f"fired {len(fired)} timer(s)")
    return 0


def cmd_scheduler(args: argparse.Namespace) -> int:
    from .scheduler import run_forever

    run_forever(_engine(args), interval_seconds=args.interval)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import run_benchmark

    result = run_benchmark(cases=args.cases, database_url=args.database_url,
                           loops=[int(x) for x in args.loops.split(",")])
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:28} {value}")
    return 0


def _staff(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .staff import Staff

    return Staff(args.database_url)


def cmd_user_add(args: argparse.Namespace) -> int:
    import getpass

    password = args.password
    if password is None and sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.name}: ")
    user = _staff(args).add_user(args.name, args.kommune, args.role, full_name=args.full_name or "",
                                 password=password or None)
    print(f"user {user.username} in {user.kommune} with roles {', '.join(user.roles)}"
          + ("" if password else " (no password yet: API token only)"))
    return 0


def cmd_user_token(args: argparse.Namespace) -> int:
    print(_staff(args).create_token(args.name))
    return 0


def cmd_user_absent(args: argparse.Namespace) -> int:
    moved = _engine(args).set_absent(args.kommune, args.name, not args.back, actor=args.actor)
    state = "back" if args.back else "away"
    print(f"{args.name} is {state}; {moved} task(s) moved")
    return 0


def cmd_kommune_set(args: argparse.Namespace) -> int:
    from dataclasses import replace

    staff = _staff(args)
    current = staff.kommune(args.code)
    changes = {k: v for k, v in {
        "name": args.name, "number": args.number, "language": args.malform,
        "coordinator_term": args.coordinator_term, "unit_name": args.unit_name,
        "unit_contact": args.unit_contact, "evaluation_interval": args.evaluation_interval,
    }.items() if v is not None}
    if args.initials is not None:
        changes["initials_only"] = args.initials == "yes"
    saved = staff.save_kommune(replace(current, **changes))
    for key, value in vars(saved).items():
        print(f"{key:20} {value}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .service import Koordinator

    try:
        comparison = Koordinator.compare_bundles(args.before, args.after)
    except BundleInvalid as exc:
        for problem in exc.problems:
            print(problem)
        return 1
    for line in comparison.lines() or ["no differences"]:
        print(line)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from .migrate import describe

    engine = _engine(args)
    candidates = engine.migration_candidates(args.kommune, args.to)
    if args.case:
        listed = {c.case_id for c in candidates}
        unknown = [n for n in args.case if n not in listed]
        if unknown:
            print(f"error: not running on another version of this process: {unknown}",
                  file=sys.stderr)
            return 1
        candidates = [c for c in candidates if c.case_id in args.case]
    for line in describe(candidates) or ["no running cases on other versions"]:
        print(line)
    if args.dry_run:
        return 0
    # Without --case, every movable case moves; with it, exactly those (all or none).
    chosen = [c for c in candidates if args.case or c.movable]
    if not chosen:
        return 0
    moved = engine.migrate_cases(args.kommune, [c.case_id for c in chosen], args.to,
                                 actor=args.actor,
                                 expected_versions={c.case_id: c.version for c in chosen})
    print(f"moved {moved} case(s) to version id {args.to}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import load_demo

    for line in load_demo(_engine(args), _staff(args)):
        print(line)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="koordinator", description=__doc__)
    parser.add_argument("--database-url", default=None,
                        help="SQLAlchemy URL (default: KOORDINATOR_DATABASE_URL or SQLite in "
                             "./instance)")
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database schema").add_subparsers(dest="db_command",
                                                                       required=True)
    db.add_parser("upgrade", help="migrate the database to the newest schema").set_defaults(
        func=cmd_db_upgrade)

    p = sub.add_parser("validate", help="check BPMN/DMN bundles or files; one line per problem")
    p.add_argument("paths", nargs="+")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing for valid paths")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("deploy", help="deploy a bundle as the kommune's next version")
    p.add_argument("path", nargs="?", default=str(STANDARD_BUNDLE))
    p.add_argument("--kommune", required=True)
    p.add_argument("--actor", default="cli")
    p.add_argument("--note", default="")
    p.add_argument("--if-changed", action="store_true",
                   help="do nothing when the newest version has the same files")
    p.set_defaults(func=cmd_deploy)

    case = sub.add_parser("case", help="drive cases from the command line").add_subparsers(
        dest="case_command", required=True)
    p = case.add_parser("start", help="start a case on the kommune's newest version")
    p.add_argument("--kommune", required=True)
    p.add_argument("--actor", default="cli")
    p.set_defaults(func=cmd_case_start)
    p = case.add_parser("show", help="a case and its open tasks (the read is logged)")
    p.add_argument("case_id", type=int)
    p.add_argument("--actor", default="cli")
    p.set_defaults(func=cmd_case_show)
    p = case.add_parser("list", help="the kommune's cases")
    p.add_argument("--kommune", required=True)
    p.add_argument("--status", default=None)
    p.set_defaults(func=cmd_case_list)
    p = case.add_parser("signal", help="raise an event, e.g. skifte_koordinator (handover)")
    p.add_argument("case_id", type=int)
    p.add_argument("signal")
    p.add_argument("--actor", default="cli")
    p.set_defaults(func=cmd_case_signal)
    p = case.add_parser("audit", help="the case's audit trail")
    p.add_argument("case_id", type=int)
    p.set_defaults(func=cmd_case_audit)

    task = sub.add_parser("task", help="user tasks").add_subparsers(dest="task_command",
                                                                    required=True)
    p = task.add_parser("complete", help="complete a task with form data (JSON or @file)")
    p.add_argument("task_id")
    p.add_argument("--data", required=True)
    p.add_argument("--actor", default="cli")
    p.add_argument("--lang", default="nb", choices=["nb", "nn", "en"])
    p.set_defaults(func=cmd_task_complete)

    timers = sub.add_parser("timers", help="timers").add_subparsers(dest="timers_command",
                                                                     required=True)
    timers.add_parser("fire-due", help="one scheduler pass: fire every due timer").set_defaults(
        func=cmd_fire_due)

    p = sub.add_parser("scheduler", help="run the timer scheduler until stopped")
    p.add_argument("--interval", type=float, default=10.0, help="seconds between passes")
    p.set_defaults(func=cmd_scheduler)

    user = sub.add_parser("user", help="staff accounts").add_subparsers(dest="user_command",
                                                                      required=True)
    p = user.add_parser("add", help="add a user to a kommune with one or more roles")
    p.add_argument("name")
    p.add_argument("--kommune", required=True)
    p.add_argument("--role", action="append", required=True,
                   help="koordinerende_enhet, koordinator, leder, prosesseier or admin "
                        "(repeat for several)")
    p.add_argument("--full-name", default=None)
    p.add_argument("--password", default=None, help="asked for when omitted on a terminal")
    p.set_defaults(func=cmd_user_add)
    p = user.add_parser("token", help="print a new API token for the user")
    p.add_argument("name")
    p.set_defaults(func=cmd_user_token)

    p = user.add_parser("absent", help="mark a coordinator away: tasks go to the secondary "
                                       "coordinator of each case (--back to undo)")
    p.add_argument("name")
    p.add_argument("--kommune", required=True)
    p.add_argument("--back", action="store_true")
    p.add_argument("--actor", default="cli")
    p.set_defaults(func=cmd_user_absent)

    kommune = sub.add_parser("kommune", help="kommune settings").add_subparsers(
        dest="kommune_command", required=True)
    p = kommune.add_parser("set", help="create or change a kommune's settings")
    p.add_argument("code", help="short code used everywhere (lund, heroy)")
    p.add_argument("--name")
    p.add_argument("--number", help="kommunenummer, four digits")
    p.add_argument("--malform", choices=["nb", "nn"], help="bokmål or nynorsk")
    p.add_argument("--initials", choices=["yes", "no"], help="lists show initials, not names")
    p.add_argument("--coordinator-term", help="what the kommune calls a coordinator")
    p.add_argument("--unit-name", help="the coordinating unit's name")
    p.add_argument("--unit-contact", help="how to reach the coordinating unit")
    p.add_argument("--evaluation-interval", help="ISO 8601 duration, e.g. P6M")
    p.set_defaults(func=cmd_kommune_set)

    p = sub.add_parser("compare", help="what a bundle changes in another, element by element "
                                        "(e.g. processes/standard processes/lund)")
    p.add_argument("before")
    p.add_argument("after")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("migrate", help="move running cases to another version of their process "
                                        "(lists them with --dry-run)")
    p.add_argument("--kommune", required=True)
    p.add_argument("--to", type=int, required=True, metavar="VERSION_ID",
                   help="the target version's id (as `deploy` prints it)")
    p.add_argument("--case", type=int, action="append", metavar="N",
                   help="a case to move (repeat for several); default: every movable case")
    p.add_argument("--dry-run", action="store_true", help="only list the cases and what blocks")
    p.add_argument("--actor", default="cli")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("demo", help="load the demo kommune, its staff and cases (once)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("bench", help="benchmark the engine against plain SpiffWorkflow")
    p.add_argument("--cases", type=int, default=200)
    p.add_argument("--loops", default="1,10,100", help="evaluation loops for state sizes")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None, parser: argparse.ArgumentParser | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("spiff").setLevel(logging.WARNING)  # one line per task state change
    logging.getLogger("SpiffWorkflow").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per tick otherwise
    args = (parser or build_parser()).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
