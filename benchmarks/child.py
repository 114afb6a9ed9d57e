"""One measured start, run by benchmarks/harness.py in a fresh interpreter.

    python benchmarks/child.py blank
    python benchmarks/child.py reader STORY_FILE [--timings] [--quit]
    python benchmarks/child.py save-cpu STORY_KEY [ROUNDS]
    python benchmarks/child.py library LIBRARY_DIR [--filter WORD] [--type WORD ...]
    python benchmarks/child.py library LIBRARY_DIR --type-during-check WORD
    python benchmarks/child.py read-split LIBRARY_DIR

It starts the app the way a user does (for tuific: `tuific.cli.main([PATH])`, which
loads the config and the state file first), except that `App.run` is told to run
headless at 100x30. It prints one line per milestone on stdout,

    @mark NAME {json}

and the parent takes the time at which it reads each line. Nothing in the app is
changed, and nothing of it is imported before `main` imports it (tuific, for one,
pauses the cyclic GC before it imports Textual): the hooks go in when the app
itself imports its UI module (`when_imported`). They wrap three methods from
outside, in this process only:
- `App._display`, which Textual calls with every frame the compositor has rendered
  (headless, it then skips only the final write of escape codes to the terminal);
- `Reader.render_line` and `StoryList.render_line`, to know that the frame holds
  story text, or the finished list.

Milestones: `paint` (blank app: first frame), `text` (reader: first frame with a
line of story text), `list` (library: the scan is done and every story is in the
list), `filter` (a filter for one title word shows just that story), then
`settled` (resident memory once background work has finished) and `timings`
(in-process times in ms, see `reader_timings` and `keystroke_timings`). With
`--quit`, the reader then quits as the q key does: `quitting` just before, and
`exit` once `main` has returned (the state saved, the app torn down).
`--type-during-check` types WORD into the filter once the cached list's check
against the disk has begun, and reports each keystroke (`check_keys`, ms) and
whether the check was still running. `read-split` is the yardstick of a scan: a
plain loop that reads every file and splits its words (`done`, in-process seconds).
`save-cpu` is no app: it loads the state store (TUIFIC_STATE_DIR), then moves one
story's place and saves, ROUNDS times, and reports each save's CPU time (`saves`).

Keep this file's imports light: the blank app's start is the yardstick.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time

SIZE = (100, 30)
SETTLE_SECONDS = 0.5
QUIET_PASSES = 3  # loop turns with nothing queued before a frame counts as finished


def rss_mib() -> float:
    """Resident memory of this process, from /proc (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def mark(name: str, **data: object) -> None:
    # os.write: unbuffered, and untouched by Textual's capture of sys.stdout.
    data.setdefault("rss_mib", round(rss_mib(), 2))
    # The calling (UI) thread's CPU time so far: steadier than the wall clock on a
    # shared machine, where other processes take the CPU in turns.
    data.setdefault("thread_cpu_s", round(time.thread_time(), 4))
    os.write(1, f"@mark {name} {json.dumps(data)}\n".encode())


# -- waiting for the app to finish a piece of work ----------------------------------------


def _busy(app) -> bool:
    """Is any message queued or being handled, or a resize waiting to be sent?"""
    if app._resize_event is not None:
        return True
    nodes = [app, *app.screen_stack]
    nodes.extend(app.screen.walk_children(with_self=False))
    for node in nodes:
        queue = node._message_queue
        if queue.qsize() or node._next_callbacks:
            return True
    return False


def _dirty(screen) -> bool:
    return bool(
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._dirty_widgets
    )


async def finish_frame(app) -> None:
    """Let every message be handled, then render the frame now; repeat while the
    render itself leads to more work (a resize, say, lays out and then repaints).

    The compositor normally renders on the screen's next update tick (up to 1/60 s
    later), one frame for everything that happened meanwhile; rendering once the
    queues are quiet, with the tick's own method (`_on_timer_update`, as
    Pilot.pause does), measures that frame's work rather than the wait for it.
    """
    while True:
        quiet = 0
        while quiet < QUIET_PASSES:
            await asyncio.sleep(0)
            quiet = 0 if _busy(app) else quiet + 1
        if not _dirty(app.screen):
            return
        Watch.frames += 1
        app.screen._on_timer_update()


def _background_work(app) -> bool:
    """Textual workers, or tuific's own daemon threads (tuific.ui.threads: scan,
    check, dialogue and speaker passes), still running?"""
    import threading

    if any(worker.is_running for worker in app.workers):
        return True
    # A cached list's check against the disk: its thread starts once the list is
    # drawn, which may be after a first look here.
    side = library_side(app)
    if getattr(side, "_rescanning", False) or getattr(side, "scanning", False):
        return True
    return any(t.name.startswith("tuific-") and t.is_alive() for t in threading.enumerate())


async def settle(app, timeout: float = 60.0) -> None:
    """Wait for background work (scan, dialogue pass) and the frames it causes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _background_work(app):
            break
        await asyncio.sleep(0.02)
    await finish_frame(app)
    await asyncio.sleep(SETTLE_SECONDS)
    await finish_frame(app)


async def all_matched(app, start: float) -> float:
    """Milliseconds since `start` until a filter keystroke's pass is done and shown:
    over a big library the list shows its first slice's matches within the key's
    frame and matches the rest just after (tuific.ui.list_filter). The next key is
    typed after this, as a user reading the list would."""
    side = library_side(app)
    while getattr(side, "_matching", None) is not None:
        await asyncio.sleep(0.001)
    await finish_frame(app)
    return (time.perf_counter() - start) * 1000


async def timed(app, action) -> float:
    """Milliseconds for `action()` plus handling everything it caused and the repaint."""
    start = time.perf_counter()
    action()
    await finish_frame(app)
    return (time.perf_counter() - start) * 1000


async def profiled(coroutine):
    """Await `coroutine`, under cProfile if TUIFIC_BENCH_PROFILE names an output file
    (for finding where the in-process time goes; the figures are then slower)."""
    target = os.environ.get("TUIFIC_BENCH_PROFILE")
    if not target:
        return await coroutine
    import cProfile

    profile = cProfile.Profile()
    profile.enable()
    try:
        return await coroutine
    finally:
        profile.disable()
        profile.dump_stats(target)


# -- hooks --------------------------------------------------------------------------------


_tasks: set[asyncio.Task] = set()


def start_task(app, coroutine) -> None:
    """Run the measuring coroutine on the app's loop (not as a worker: `settle`
    waits for the app's workers to finish)."""
    async def guarded() -> None:
        try:
            await coroutine
        except BaseException:
            import traceback

            traceback.print_exc(file=sys.__stderr__)
            mark("error")
            app.exit(return_code=1)

    task = asyncio.get_running_loop().create_task(guarded())
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


class Watch:
    """What the wrapped render_line methods have seen since the last reset."""

    app = None
    done: set[str] = set()
    reader_text = False
    list_ready = False
    list_count = 0
    filter_word: str | None = None
    filter_shown = False
    reader_lines = 0
    frames = 0


def hook_display(on_frame) -> None:
    from textual.app import App

    original = App._display

    def _display(self, screen, renderable):
        original(self, screen, renderable)
        if renderable is not None:
            Watch.app = self
            on_frame(self)

    App._display = _display


def when_imported(name: str, callback) -> None:
    """Call `callback(module)` right after the app itself imports module `name`.

    The measured start must import what `tuific` imports, when it imports it (it
    turns off the cyclic GC before importing Textual, for one), so the hooks wait
    for the app's own import of its UI module instead of importing it first.
    """
    from importlib.machinery import PathFinder

    class Finder:
        def find_spec(self, fullname, path, target=None):
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = PathFinder.find_spec(fullname, path)
            load = spec.loader.exec_module

            def exec_module(module) -> None:
                load(module)
                callback(module)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, Finder())


def hook_tuific(on_frame, hook_widgets) -> None:
    """Once tuific's UI is imported: run it headless at SIZE, watch its frames, and
    let `hook_widgets` wrap widget methods."""

    def hook(module) -> None:
        from textual.app import App

        def run(self, *args, **kwargs):
            return App.run(self, headless=True, size=SIZE)

        module.TuificApp.run = run
        hook_display(on_frame)
        hook_widgets()

    when_imported("tuific.ui.app", hook)


# -- the blank app -------------------------------------------------------------------------


def blank() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Blank(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

    def on_frame(app) -> None:
        if "paint" not in Watch.done:
            Watch.done.add("paint")
            mark("paint")
            start_task(app, after_paint(app))

    async def after_paint(app) -> None:
        await settle(app)
        mark("settled")
        app.exit()

    hook_display(on_frame)
    Blank().run(headless=True, size=SIZE)


# -- tuific FILE ----------------------------------------------------------------------------


def reader(path: str, with_timings: bool, then_quit: bool = False) -> None:
    from tuific.cli import main

    def hook_widgets() -> None:
        from tuific.ui.widgets.reader import Reader

        original = Reader.render_line

        def render_line(self, y):
            strip = original(self, y)
            Watch.reader_lines += 1
            if self.story is not None and strip.text.strip():
                Watch.reader_text = True
            return strip

        Reader.render_line = render_line

    def on_frame(app) -> None:
        if Watch.reader_text and "text" not in Watch.done:
            Watch.done.add("text")
            mark("text")
            start_task(app, after_text(app))

    async def after_text(app) -> None:
        await settle(app)
        from tuific.ui.widgets.reader import Reader

        reader_widget = app.query_one(Reader)
        mark("settled", paragraphs=len(reader_widget.story.paragraphs or []),
             words=reader_widget.story.words)
        if with_timings:
            mark("timings", **await profiled(reader_timings(app, reader_widget)))
        if then_quit:
            mark("quitting")
            await app.action_quit()
            return
        app.exit()

    hook_tuific(on_frame, hook_widgets)
    main([path])


async def reader_timings(app, reader_widget) -> dict[str, object]:
    """End, PageDown and resize, each as action + handling + repaint, in ms.

    End is timed from the top; the first End in the process is the one a reader
    pays (nothing cached yet), later ones are reported separately. Resizes go
    100x30 -> 80x24 -> 100x30; the app's 8 ms resize debounce timer is skipped
    (its `_check_resize` is called at once) so the figure is the work, not the wait.
    """
    from textual import events
    from textual.geometry import Size

    result: dict[str, object] = {}
    await finish_frame(app)

    end = []
    for _ in range(5):
        reader_widget.action_top()
        await finish_frame(app)
        before = Watch.reader_lines
        end.append(await timed(app, reader_widget.action_bottom))
        assert Watch.reader_lines > before, "End did not repaint the reader"
    result["end_first"] = end[0]
    result["end_again"] = sorted(end[1:])[len(end[1:]) // 2]

    reader_widget.action_top()
    await finish_frame(app)
    pages = [await timed(app, lambda: reader_widget.action_page(1)) for _ in range(10)]
    result["pagedown"] = sorted(pages)[len(pages) // 2]
    result["pagedown_first"] = pages[0]

    async def resize(width: int, height: int) -> float:
        size = Size(width, height)
        start = time.perf_counter()
        app._driver._size = size
        app.post_message(events.Resize(size, size))
        while app._resize_event is None:  # the app has not handled the event yet
            await asyncio.sleep(0)
        app._check_resize()
        await finish_frame(app)
        return (time.perf_counter() - start) * 1000

    legs = []
    for _ in range(3):
        legs.append(await resize(80, 24))
        legs.append(await resize(*SIZE))
    result["resize"] = sorted(legs)[len(legs) // 2]
    result["resize_first"] = legs[0]
    result["end_all"] = [round(x, 3) for x in end]
    result["resize_all"] = [round(x, 3) for x in legs]
    return result


# -- tuific LIBRARY ---------------------------------------------------------------------------


def library(
    path: str, filter_word: str | None, typed: list[str], during_check: str | None = None
) -> None:
    from tuific.cli import main

    Watch.filter_word = filter_word

    def hook_widgets() -> None:
        from tuific.ui.widgets.story_list import StoryList

        original = StoryList.render_line

        def render_line(self, y):
            strip = original(self, y)
            app = self.app
            done = not getattr(library_side(app), "scanning", False)
            if done and self.items and len(self.rows) == len(self.items) == len(app.listing):
                Watch.list_ready = True
                Watch.list_count = len(self.rows)
            word = Watch.filter_word
            if word and "list" in Watch.done and len(self.rows) == 1:
                # The row's own field: building the whole Story here would be the
                # benchmark's work, not the app's.
                if word in self.items[self.rows[0]].value("title").lower():
                    Watch.filter_shown = True
            return strip

        StoryList.render_line = render_line

    def on_frame(app) -> None:
        if Watch.list_ready and "list" not in Watch.done:
            Watch.done.add("list")
            mark("list", stories=Watch.list_count)
            if during_check:
                start_task(app, typing_during_check(app, during_check))
            elif filter_word:
                box = app.query_one("#filter")

                def put_filter() -> None:
                    box.value = filter_word

                # A Python function, not `setattr`: Textual inspects a callback's
                # signature, and a builtin's costs a tokenizer pass (~4 ms) that no
                # keystroke of a user's pays.
                app.call_later(put_filter)
            else:
                start_task(app, after(app))
        elif Watch.filter_shown and "filter" not in Watch.done:
            Watch.done.add("filter")
            mark("filter")
            start_task(app, after(app))

    async def after(app) -> None:
        await settle(app)
        mark("settled")
        if typed:
            mark("timings", **await profiled(keystroke_timings(app, typed)))
        app.exit()

    hook_tuific(on_frame, hook_widgets)
    main([path])


def library_side(app):
    """What holds the scan's state: the library pane, or the app in a checkout from
    before the pane (--source)."""
    pane = getattr(app, "_library_pane", None)
    return app if pane is None else pane


async def typing_during_check(app, word: str) -> None:
    """Type `word` into the filter while the cached list is checked against the disk
    (a worker thread stat-ing every file, sharing the GIL), each key timed."""
    from textual.widgets import Input

    try:
        from tuific.ui.library_control import VERIFY_AFTER
    except ImportError:  # a checkout from before tuific/ui/app.py was split (--source)
        from tuific.ui.app import VERIFY_AFTER  # type: ignore[no-redef]

    # A big library's check starts this long after the list is shown.
    await asyncio.sleep(VERIFY_AFTER + 0.05)
    box = app.query_one("#filter", Input)
    box.focus()
    await finish_frame(app)
    keys, during, whole = [], [], []
    for char in word:
        during.append(bool(library_side(app)._rescanning))
        start = time.perf_counter()
        keys.append(await timed(app, lambda c=char: box.insert_text_at_cursor(c)))
        whole.append(await all_matched(app, start))
    mark("check_keys", keys=[round(k, 3) for k in keys], during=during,
         whole=[round(k, 3) for k in whole])
    await settle(app)
    mark("settled")
    app.exit()


def read_split(root: str) -> None:
    """Read every story file once and split its words: what a scan cannot beat."""
    start = time.perf_counter()
    files = words = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            with open(os.path.join(folder, name), "rb") as handle:
                words += len(handle.read().decode("utf-8", "replace").split())
            files += 1
    mark("done", seconds=time.perf_counter() - start, files=files, words=words)


async def keystroke_timings(app, words: list[str]) -> dict[str, object]:
    """Each keystroke typing `words` into the filter: Input.Changed -> the query is
    parsed and matched -> the list's rows swapped -> the frame rendered, in ms; and
    each until its whole result is shown (`whole`, see all_matched)."""
    from textual.widgets import Input

    from tuific.ui.widgets.story_list import StoryList

    box = app.query_one("#filter", Input)
    story_list = app.query_one(StoryList)
    box.focus()
    keys: list[float] = []
    whole: list[float] = []
    shown: list[int] = []
    frames: list[int] = []
    for word in words:
        box.value = ""
        await finish_frame(app)
        for char in word:
            before = Watch.frames
            start = time.perf_counter()
            keys.append(await timed(app, lambda c=char: box.insert_text_at_cursor(c)))
            frames.append(Watch.frames - before)
            whole.append(await all_matched(app, start))
            shown.append(len(story_list.rows))
    ordered = sorted(keys)
    return {
        "keystroke": ordered[len(ordered) // 2],
        "keystroke_max": ordered[-1],
        "keystrokes": [round(k, 3) for k in keys],
        "whole": [round(k, 3) for k in whole],
        "rows_shown": shown,
        "frames": frames,
    }


def save_cpu(key: str, rounds: int) -> None:
    """CPU ms of each `save()` after one change of place (a settled page turn)."""
    from tuific.state import StateStore

    store = StateStore()
    store.load()
    store.story(key)
    cpu = []
    for n in range(rounds):
        store.set_position(key, 1000 + n, n)
        start = time.process_time()
        assert store.save()
        cpu.append((time.process_time() - start) * 1000)
    mark("saves", cpu_ms=[round(ms, 3) for ms in cpu])


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "blank":
        blank()
    elif mode == "save-cpu":
        save_cpu(argv[1], int(argv[2]) if len(argv) > 2 else 5)
    elif mode == "reader":
        reader(argv[1], "--timings" in argv, "--quit" in argv)
    elif mode == "read-split":
        read_split(argv[1])
    elif mode == "library":
        word = argv[argv.index("--filter") + 1] if "--filter" in argv else None
        typed = argv[argv.index("--type") + 1:] if "--type" in argv else []
        during = "--type-during-check" in argv and argv[argv.index("--type-during-check") + 1]
        library(argv[1], word, typed, during or None)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    mark("exit")


if __name__ == "__main__":
    main(sys.argv[1:])
