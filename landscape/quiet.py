"""Run a function once things have been quiet for a while, on a daemon thread.

``AfterQuiet(delay, fn, name).poke()`` asks for one call of ``fn`` ``delay`` seconds after the last
poke: pokes arriving meanwhile push it back, so a burst costs one call after it ends. The thread
exists only while a call is due. Used by ``landscape.heap`` (one ``malloc_trim`` after a burst of
cold computations) and ``landscape.db`` (an idle database version's instance closed, its buffer
pool handed back).
"""
from __future__ import annotations

import threading
import time
from typing import Callable


class AfterQuiet:
    def __init__(self, delay: float, fn: Callable[[], object], name: str):
        self.delay, self.fn, self.name = delay, fn, name
        self._lock = threading.Condition()
        self._due: float | None = None  # monotonic time of the next call
        self._thread: threading.Thread | None = None
        self._stopped = False

    def poke(self) -> None:
        """One call ``delay`` seconds from now (an earlier request is pushed back); returns at once."""
        with self._lock:
            if self._stopped:
                return
            self._due = time.monotonic() + self.delay
            self._lock.notify()  # a worker asleep until a later time looks again
            if self._thread is None:
                self._thread = threading.Thread(target=self._worker, name=self.name, daemon=True)
                self._thread.start()

    def _worker(self) -> None:
        while True:
            with self._lock:
                if self._due is None:
                    self._thread = None
                    return
                wait = self._due - time.monotonic()
                if wait > 0:
                    self._lock.wait(wait)
                    continue
                self._due = None
            self.fn()

    def stop(self, timeout: float = 5.0) -> None:
        """No more calls: a due one is dropped, one running is waited for (up to ``timeout`` s).
        For the process's exit: a daemon thread still inside ``fn`` (native code that released the
        interpreter lock, e.g. DuckDB closing an instance) while the interpreter finalizes is ended
        by the C runtime mid-call, which aborts the process ("FATAL: exception not rethrown")."""
        with self._lock:
            self._stopped, self._due = True, None
            self._lock.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
