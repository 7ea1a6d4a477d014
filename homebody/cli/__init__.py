"""The ``homebody`` command line: the composition root for terminal use.

Exit codes of ``homebody run`` (a contract): 0 done, 2 bad input, 3 halted for approval with
nobody to ask, 4 failed, 130 interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from homebody.cli.brains import flag_message
from homebody.cli.demo import add_demo_parser, cmd_demo
from homebody.cli.inbox import add_inbox_parser, cmd_inbox
from homebody.cli.profile import add_profile_parser, cmd_profile
from homebody.cli.replay import add_replay_parser, cmd_replay
from homebody.cli.run import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, add_run_parser, cmd_run
from homebody.cli.schedule import add_schedule_parser, cmd_schedule
from homebody.cli.serve import add_serve_parser, cmd_serve
from homebody.cli.service import add_service_parser, cmd_service
from homebody.demo import serve_forever
from homebody.errors import BadInput, HomebodyError
from homebody.safety.stream import classify_stream
from homebody.vision.vlm.local_models import format_models_table, pull


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir",
        help="where profiles, recordings and the token live "
        "(default: $HOMEBODY_DATA_DIR, else ~/.local/share/homebody)",
    )
    p.add_argument("--headful", action="store_true", help="show the browser window")
    p.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="homebody", description="A private computer-use agent for your own machine.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_common(add_run_parser(sub))

    add_serve_parser(sub)
    add_service_parser(sub)
    add_demo_parser(sub)

    sub.add_parser("models", help="the supported model families and the models present on this machine")
    pull = sub.add_parser("pull", help="download a model into the Hugging Face cache (needs internet)")
    pull.add_argument("model", help="a Hugging Face model id, e.g. Qwen/Qwen3-VL-8B-Instruct")
    pull.add_argument("--quiet", action="store_true", help="no progress bar")

    safety = sub.add_parser("safety", help="the pre-commit checker on its own")
    safety_sub = safety.add_subparsers(dest="safety_command", required=True, metavar="SUBCOMMAND")
    safety_sub.add_parser(
        "classify",
        help='read JSON lines {"text","tag","url"} on stdin, write one verdict line per input on stdout',
    )

    add_profile_parser(sub)
    add_schedule_parser(sub)
    add_replay_parser(sub)
    add_inbox_parser(sub)

    site = sub.add_parser("demo-site", help="serve the bundled demo shop and webmail on 127.0.0.1")
    site.add_argument("--port", type=int, default=8780)
    site.add_argument("--host", default="127.0.0.1")
    return parser


def _cmd_safety(args: argparse.Namespace) -> int:
    match args.safety_command:
        case "classify":
            return classify_stream(sys.stdin, sys.stdout, sys.stderr)
        case other:
            raise BadInput(f"unknown safety command {other!r}")


def _cmd_models(args: argparse.Namespace) -> int:
    print(format_models_table())
    return 0


def _cmd_pull(args: argparse.Namespace) -> int:
    local = pull(args.model, progress=not args.quiet)
    print(f"{args.model} is in {local.path}")
    return 0


def _cmd_demo_site(args: argparse.Namespace) -> int:
    print(f"demo site on http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)
    serve_forever(args.host, args.port)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    handlers = {
        "run": cmd_run,
        "demo": cmd_demo,
        "serve": cmd_serve,
        "service": cmd_service,
        "replay": cmd_replay,
        "inbox": cmd_inbox,
        "safety": _cmd_safety,
        "models": _cmd_models,
        "pull": _cmd_pull,
        "demo-site": _cmd_demo_site,
        "profile": cmd_profile,
        "schedule": cmd_schedule,
    }
    try:
        return handlers[args.command](args)
    except BadInput as exc:
        print(f"homebody: error: {flag_message(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except HomebodyError as exc:
        print(f"homebody: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("homebody: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
