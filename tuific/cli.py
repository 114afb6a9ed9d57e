"""The one entry point: `tuific [PATH]`, `tuific list` and `tuific serve`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tuific import __version__, startup_tricks
from tuific.config import Config, load_config
from tuific.paths import MAX_CACHE_BYTES, cache_file_for, default_library_dir, state_file
from tuific.resources import demo_dir
from tuific.text import escape_json, escape_unsafe

if TYPE_CHECKING:
    import argparse

    from tuific.state import StateStore


# The library, the cache and the formats are imported where they are used: the
# first page of a story on screen does not wait for them.

DEMO_HINT = "Demo stories. Yours: tuific ~/fic, or library = in config.toml"


# The state preference that remembers the library tuific was last pointed at.
LAST_LIBRARY = "last_library"


def choose_library(config: Config, last: object = None) -> tuple[Path, str | None]:
    """The configured library, else the last one tuific was pointed at (`last`, from
    the state) if it is still there, else the default folder if it has stories, else
    the demo."""
    from tuific.library import has_stories

    if config.library is not None:
        return config.library, None
    if isinstance(last, str) and last and os.path.isdir(last):
        return Path(last), None
    default = default_library_dir()
    if has_stories(default):
        return default, None
    return demo_dir(), DEMO_HINT


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="tuific",
        description="A terminal reader for fan fiction. "
        "Opens a folder of stories (a library) or one story file.",
        epilog="Subcommands: tuific list [--json] [--sort KEY] [PATH] [QUERY]; "
        "tuific serve [--host H] [--port N] [PATH]; tuific dialogue [--json] FILE "
        "(see tuific list --help, tuific serve --help, tuific dialogue --help)",
    )
    parser.add_argument("path", nargs="?", help="a library folder or a story file")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="the bundled demo stories (plain tuific opens your own library once it "
        "has one, or the story you left unfinished)",
    )
    parser.add_argument("--version", action="version", version=f"tuific {__version__}")
    return parser


def build_list_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="tuific list",
        description="Print the stories in a library, one per line (or one JSON object per line).",
    )
    parser.add_argument("path", nargs="?", help="library folder or story file (default: as tuific)")
    parser.add_argument("query", nargs="*", help="filter query, as typed in the app's filter line")
    parser.add_argument("--json", action="store_true", help="one JSON object per story")
    parser.add_argument(
        "--sort",
        default="title",
        help="order: title, author, words, chapters, updated, published, read, progress, "
        "added, series, or as the app names them (length, last read…) (default: title)",
    )
    parser.add_argument("--reverse", action="store_true", help="reverse the order")
    parser.add_argument(
        "--all", action="store_true", help="include stories hidden by [hide] in config.toml"
    )
    return parser


def warn(message: object) -> None:
    """A message on stderr, cleaned as the screen is: paths and reasons come from
    file names and files, which may hold escape sequences."""
    print(f"tuific: {escape_unsafe(message)}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "list":
        return quiet_pipe(list_command, argv[1:])
    if argv and argv[0] == "serve":
        from tuific.serve import serve_command

        return serve_command(argv[1:])
    if argv and argv[0] == "dialogue":
        from tuific.cli_dialogue import dialogue_command

        return dialogue_command(argv[1:])
    startup_tricks.pause_gc()  # until the library is listed (see startup_tricks)
    demo = False
    if len(argv) <= 1 and not any(arg.startswith("-") for arg in argv):
        path = argv[0] if argv else None  # the usual case: no need to load argparse
    else:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.demo and args.path is not None:
            parser.error("--demo opens the demo stories: give it no path")
        path, demo = args.path, args.demo
    config, warnings = load_config()
    return run_app(path, config, warnings, demo=demo)


def run_app(
    path_arg: str | None,
    config: Config,
    warnings: list[str] | None = None,
    demo: bool = False,
) -> int:
    """Run the app on `path_arg` (a folder or a story file), or on the library chosen
    as choose_library says; `demo`: on the bundled demo stories, remembered as no
    library (plain tuific goes on opening what it opened before)."""
    from tuific.state import StateStore

    state = StateStore(state_file())
    state.load()
    open_path = None
    hint = None
    recursive = True
    if demo:
        library, hint = demo_dir(), DEMO_HINT
    elif path_arg is None:
        library, hint = choose_library(config, state.pref(LAST_LIBRARY))
        # The story they were in the middle of, if it lies outside the library (one
        # inside it the app reopens itself), as an e-reader reopens the last book.
        resume = _unfinished_last_story(state, library)
        if hint is not None:
            # No library of the user's own: opened on its own (`tuific FILE`), rather
            # than the demo stories.
            path_arg = resume
            hint = None if path_arg is not None else hint
        elif resume is not None:
            open_path = Path(resume).resolve()  # beside the whole library
    if path_arg is not None:
        path = Path(path_arg).expanduser()
        if path.is_dir():
            library = path
        elif path.exists():
            path = path.resolve()
            library, open_path = path.parent, path
            # The story's own folder, not its subfolders (`tuific ~/story.txt` must not
            # walk the whole home folder); all of it when it is the configured library.
            recursive = config.library is not None and _same_folder(config.library, library)
        else:
            warn(f"no such file or folder: {path_arg}")
            return 2
    library = library.resolve()
    if path_arg is not None and open_path is None:
        state.set_pref(LAST_LIBRARY, str(library))  # plain `tuific` opens it next time
    # The library's metadata cache is read on another core while Textual is imported.
    cache_ahead = startup_tricks.read_ahead(cache_file_for(library, recursive), MAX_CACHE_BYTES)

    from tuific.ui.app import NoTerminal, TuificApp

    app = TuificApp(
        library,
        state=state,
        config=config,
        open_path=open_path,
        hint=hint,
        cache_ahead=cache_ahead,
        recursive=recursive,
        config_warnings=warnings,
    )
    install_output_layer(app)
    try:
        app.run()
    except NoTerminal:
        warn(
            "not a terminal: tuific shows stories in one (its input and output here are"
            " not); in a script, `tuific list` and `tuific dialogue` print instead"
        )
        return 2
    finally:
        # A first scan may still be parsing in worker processes: quitting must not
        # wait for them (the cache keeps what they finished).
        from tuific import scan_pool

        scan_pool.stop_all()
    # The app saved at quit; if that failed (a full disk, a read-only folder), the
    # notice went with its screen: say it on the restored terminal, keep the place.
    problem = state.save_or_keep()
    if problem:
        warn(problem)
        return 1
    return 0


def _unfinished_last_story(state: StateStore, shown: Path) -> str | None:
    """The last story read, if it lies outside `shown` and the demo stories, is still
    there and was left unfinished (one inside `shown` the app reopens itself)."""
    last = state.last_story
    if not last or state.read_status(last) != "reading" or not os.path.isfile(last):
        return None
    where = Path(os.path.realpath(last))
    if where.is_relative_to(shown.resolve()) or where.is_relative_to(demo_dir().resolve()):
        return None  # (a demo story read with --demo is no story of the user's to resume)
    return last


def install_output_layer(app) -> None:
    """Write only what changes on screen (tuific.ui.output), unless TUIFIC_RAW_OUTPUT is set."""
    if sys.platform == "win32":
        return
    from tuific.ui.output.driver import OptimisingDriver, optimised_output_wanted

    if optimised_output_wanted(os.environ):
        app.driver_class = OptimisingDriver


def _same_folder(one: Path, other: Path) -> bool:
    try:
        return one.expanduser().resolve() == other.resolve()
    except OSError:
        return False


def list_command(argv: list[str]) -> int:
    import json
    from functools import partial

    from tuific.cache import MetadataCache
    from tuific.dates import with_iso_dates
    from tuific.hiding import compile_rules, hidden_by
    from tuific.library import Skipped, scan_library
    from tuific.listing import reading_of
    from tuific.model import Stories
    from tuific.query import QueryError, filter_entries, make_entries, parse_query
    from tuific.sorting import SORT_NAMES, SortInfo, sort_indices, sort_name_for
    from tuific.state import StateStore, story_key
    from tuific.state.status import work_id

    parser = build_list_parser()
    # An exclusion (`-read:dropped`, `-tag:angst`) looks like an option to argparse:
    # one that is not an option is a query word, as in the app's filter line.
    args, extra = parser.parse_known_args(argv)
    for word in extra:
        if not word.startswith("-") or word.startswith("--") or len(word) < 2:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.query.extend(extra)
    config, warnings = load_config()
    for warning in warnings:
        warn(warning)
    if args.path is not None and not Path(args.path).expanduser().exists():
        if _looks_like_path(args.path):
            warn(f"no such file or folder: {args.path}")
            return 2
        # `tuific list rating:e`: no path given, just a query for the default library.
        args.query.insert(0, args.path)
        args.path = None
    try:
        query = parse_query(" ".join(args.query))
    except QueryError as error:
        warn(f"bad query: {error}")
        return 2
    state = StateStore(state_file())
    state.load()
    if args.path is None:
        root, _hint = choose_library(config, state.pref(LAST_LIBRARY))
    else:
        root = Path(args.path).expanduser().resolve()
        if not root.exists():
            warn(f"no such file or folder: {args.path}")
            return 2
    for notice in state.notices:
        warn(notice)
    sort_name = sort_name_for(args.sort.lstrip("-"))
    if sort_name is None:
        warn(
            f"unknown sort {args.sort!r}; one of: {', '.join(SORT_NAMES)}"
            " (or as the app names them: length, last read, date added, series order…)"
        )
        return 2
    stories = Stories()
    added: list[float] = []
    startup_tricks.pause_gc()  # a one-shot listing: many long-lived objects, no cycles
    found_items = scan_library(root, MetadataCache(root)) if root.is_dir() else _single(root)
    for found in found_items:
        if isinstance(found, Skipped):
            warn(f"skipped {found.path}: {found.reason}")
            if not root.is_dir():
                return 1  # the one file asked for is not a story: say so by the exit too
        else:
            stories.append(found)
            added.append(_mtime(found.path))
    records, reads, favourites, infos = [], [], [], []
    for story, when in zip(stories, added, strict=True):
        key = story_key(story.path)
        entry = state.find(key, story.fingerprint, work=partial(work_id, story.meta.extra))
        record = with_iso_dates(story.record())
        reading = reading_of(entry, story.words, record["chapters"])
        record["progress"] = round(reading.progress, 4)
        record["read"] = reading.read
        if reading.grown:
            record["grown"] = reading.grown
        records.append(record)
        reads.append(record["read"])
        favourites.append(bool(entry and entry.favourite))
        infos.append(SortInfo(record["progress"], entry.last_opened if entry else None, when))
    order = sort_indices(stories, infos, sort_name, range(len(stories)))
    entries = make_entries(stories, reads, favourites)
    if args.reverse or args.sort.startswith("-"):
        order.reverse()
    if not args.all and config.hide:
        hidden = hidden_by(compile_rules(config.hide)[0], entries)
        order = [index for index in order if index not in hidden]
    for index in filter_entries(query, entries, order):
        record = records[index]
        if args.json:
            print(escape_json(json.dumps(record, ensure_ascii=False)))
        else:
            authors = ", ".join(record["authors"]) or "?"
            print(escape_unsafe(f"{record['title']} — {authors} ({record['words']:,} words)"))
    return 0


def quiet_pipe(command: Callable[[list[str]], int], argv: list[str]) -> int:
    """Run a printing subcommand: a reader that stops early (`| head -1`) ends it
    quietly, as SIGPIPE would, and text the terminal's encoding lacks is replaced."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    try:
        code = command(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at nothing first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 141  # as a shell reports a process ended by SIGPIPE


def _looks_like_path(text: str) -> bool:
    """'/x', './x', '~/x', 'x/y', 'story.txt' are paths; 'rating:e' and 'dragon' are not."""
    if ":" in text.split("/")[0] and not text.startswith(("/", ".", "~")):
        return False  # a field:value term, even when its value has a slash (ship:a/b)
    return text.startswith(("/", ".", "~")) or "/" in text or Path(text).suffix != ""


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def _single(path: Path):
    from tuific.formats import StoryError
    from tuific.library import Skipped, read_listing

    try:
        yield read_listing(path)
    except StoryError as error:
        yield Skipped(str(path), str(error))


if __name__ == "__main__":
    raise SystemExit(main())
