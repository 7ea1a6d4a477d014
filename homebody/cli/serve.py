"""``homebody serve``: the local web page and HTTP API (hand tasks over, watch, approve, take over).

Binds 127.0.0.1 by default. Another address needs ``--allow-remote`` and gets a warning: whoever
holds the token can then drive the browser sessions from the network, over plain HTTP.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys

from homebody.config import build_settings
from homebody.errors import BadInput

DEFAULT_PORT = 8765
REMOTE_WARNING = (
    "homebody: WARNING: listening on {host}, which other machines can reach. Anyone with the token can drive "
    "your logged-in browser sessions, and plain HTTP shows the token to anyone on the network path."
)


def add_serve_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser("serve", help="the local web page and HTTP API: hand tasks over, watch, approve")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any free)")
    serve.add_argument(
        "--data-dir",
        help="where tasks, profiles, recordings and the token live "
        "(default: $HOMEBODY_DATA_DIR, else ~/.local/share/homebody)",
    )
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other machines can reach (not loopback); prints a warning",
    )
    serve.add_argument("--notify-webhook", metavar="URL", help="POST a JSON notice here when a task halts")
    serve.add_argument("--headful", action="store_true", help="show the browser windows")
    serve.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")


def cmd_serve(args: argparse.Namespace) -> int:
    # The server's stack (FastAPI, uvicorn) loads only for this command, not for every `homebody` run.
    import uvicorn  # noqa: PLC0415

    from homebody.server.app import base_url, create_app  # noqa: PLC0415
    from homebody.server.guard import is_loopback  # noqa: PLC0415
    from homebody.server.serving import bind_socket, uvicorn_config  # noqa: PLC0415

    host: str = args.host.strip().strip("[]")
    if not 0 <= args.port <= 65535:
        raise BadInput(f"--port must be between 0 and 65535, got {args.port}")
    remote = not is_loopback(host)
    if remote and not args.allow_remote:
        raise BadInput(
            f"--host {host!r} is not a loopback address: other machines could reach the server. "
            "Pass --allow-remote if that is what you want"
        )
    settings = build_settings(os.environ, data_dir=args.data_dir, headless=not args.headful)
    sock = bind_socket(host, args.port)
    settings = dataclasses.replace(settings, host=host, port=sock.getsockname()[1])
    app = create_app(
        settings,
        notify_webhook=args.notify_webhook,
        allow_remote=remote,
        extra_hosts=(host,) if remote else (),
        model_api_key=os.environ.get("HOMEBODY_MODEL_API_KEY") or None,
    )
    if remote:
        print(REMOTE_WARNING.format(host=host), file=sys.stderr, flush=True)
    url = base_url(settings.host, settings.port)
    print(f"homebody is serving at {url}", flush=True)
    print(f"open this address once to sign this browser in: {url}/?token={app.state.token}", flush=True)
    print(f"(API clients: Authorization: Bearer <the token in {settings.token_path}>; Ctrl-C stops)", flush=True)
    uvicorn.Server(uvicorn_config(app)).run(sockets=[sock])
    return 0
