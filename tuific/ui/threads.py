"""Background work that never keeps the app from quitting.

Textual's thread workers run in asyncio's default executor, whose shutdown waits for
every one of them: `q` pressed while a hostile file is being parsed (seconds, within
the budgets of tuific.limits) waited for the parse. These run in daemon threads
instead, which the process leaves behind at exit; they only read files or write the
cache (atomically), so nothing is lost that a later start cannot redo.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode

Method = TypeVar("Method", bound=Callable[..., None])


def in_daemon_thread(name: str) -> Callable[[Method], Method]:
    """Run the decorated widget or app method in a new daemon thread at each call.

    An exception ends the app as a worker's would (with its traceback after the
    terminal is restored), never by printing into the app's screen.
    """

    def decorate(method: Method) -> Method:
        def run(node: DOMNode, *args: Any, **kwargs: Any) -> None:
            try:
                method(node, *args, **kwargs)
            except Exception as error:
                # The app may be gone (a widget then finds none): nothing to tell.
                with contextlib.suppress(Exception):
                    app = node.app
                    if app.is_running:
                        app.call_from_thread(app._handle_exception, error)

        @functools.wraps(method)
        def start(node: DOMNode, *args: Any, **kwargs: Any) -> None:
            # In the caller's context, as Textual's workers run: a widget finds its
            # app (`self.app`) through a context variable.
            context = contextvars.copy_context()
            threading.Thread(
                target=context.run,
                args=(run, node, *args),
                kwargs=kwargs,
                name=name,
                daemon=True,
            ).start()

        return start  # type: ignore[return-value]

    return decorate
