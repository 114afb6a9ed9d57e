"""`tuific serve`: the same app in a web browser, through textual-serve.

Each browser tab that connects starts its own `python -m tuific [PATH]` behind a
websocket; keys, resizing and saving the place on close work as in a terminal.
textual-serve is an optional extra (`pip install 'tuific[serve]'`). It has no
authentication, so the server listens on this machine only unless told otherwise.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from tuific.text import clean_line

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def build_serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tuific serve",
        description="Serve tuific to a web browser (needs textual-serve: "
        "pip install 'tuific[serve]'). There is no authentication: whoever reaches "
        "the address can read and change your library's reading state.",
    )
    parser.add_argument("path", nargs="?", help="library folder or story file (default: as tuific)")
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})"
    )
    return parser


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535 (argparse's type check)."""
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return port


def app_command(path: Path | None) -> str:
    """The shell command textual-serve runs for each browser tab."""
    words = [sys.executable, "-m", "tuific"]
    if path is not None:
        words.append(str(path))
    return shlex.join(words)


def serve_command(argv: list[str]) -> int:
    args = build_serve_parser().parse_args(argv)
    path = None
    if args.path is not None:
        path = Path(args.path).expanduser()
        if not path.exists():
            print(f"tuific: no such file or folder: {clean_line(args.path)}", file=sys.stderr)
            return 2
        path = path.resolve()  # the app may be started from another folder
    try:
        from textual_serve.server import Server
    except ImportError:
        print("tuific: serve needs textual-serve: pip install 'tuific[serve]'", file=sys.stderr)
        return 2
    host = clean_line(args.host)
    print(
        f"tuific: serving on http://{host}:{args.port}/ with no authentication: "
        "anyone who can reach it can use tuific as you.",
        file=sys.stderr,
    )
    if host not in LOCAL_HOSTS:
        print(
            "tuific: warning: this address may be reachable from other machines; "
            "put it behind an authenticating proxy or use --host 127.0.0.1 and an SSH tunnel.",
            file=sys.stderr,
        )
    server = Server(app_command(path), host=host, port=args.port, title="tuific")
    try:
        server.serve()
    except OSError as error:
        print(f"tuific: cannot serve on {host}:{args.port}: {error.strerror}", file=sys.stderr)
        return 1
    return 0
