"""A minimal Streamlit client speaking the app's websocket protocol (what a browser tab does).

Used by the serving tests and ``bench/load.py``: open the app (through nginx or a replica
directly), run the script, switch pages, change a sidebar widget, and time each rerun until the
server reports the script finished. A session holds the ``landscape_replica`` cookie nginx gave
it, so it stays on one replica like a browser does.

Only the protocol messages the app needs: ``BackMsg.rerun_script`` with the page hash and the
widget states, and the ``ForwardMsg`` stream (``new_session``, ``delta``, ``script_finished``,
``session_status_changed``). Exceptions rendered by the app count as errors.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from websockets.sync.client import connect

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState


class AppError(RuntimeError):
    pass


@dataclass
class Widget:
    id: str
    kind: str
    label: str
    options: list[str]


@dataclass
class Run:
    seconds: float
    elements: int
    exceptions: list[str]
    page: str
    texts: list[str] = field(default_factory=list)  # markdown / code / text bodies, for assertions


@dataclass
class Session:
    """One browser-like session: ``open()``, then ``rerun()``, ``switch_page()``, ``set_widget()``."""
    base: str
    timeout: float = 60.0
    cookies: dict = field(default_factory=dict)
    session_id: str | None = None
    pages: dict = field(default_factory=dict)  # url_pathname -> page_script_hash
    page_hash: str = ""
    widgets: dict = field(default_factory=dict)  # label -> Widget (from the last run)
    states: dict = field(default_factory=dict)  # widget id -> WidgetState
    _ws: object = None
    _cm: object = None

    def open(self, page: str = "") -> Run:
        """GET the page (as a browser does first; nginx sets its replica cookie), open the websocket
        and run the script on ``page`` (url path, "" = default page)."""
        http = requests.get(self.base.rstrip("/") + "/" + page, timeout=self.timeout, cookies=self.cookies)
        http.raise_for_status()
        self.cookies.update(http.cookies.get_dict())
        parts = urlsplit(self.base)
        scheme = "wss" if parts.scheme == "https" else "ws"
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else None
        self._cm = connect(f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream",
                           subprotocols=["streamlit"], additional_headers=headers, open_timeout=self.timeout,
                           max_size=64 * 1024 * 1024)
        self._ws = self._cm.__enter__()
        return self._run(page_name=page)

    def close(self) -> None:
        if self._ws is not None:
            try:
                self._cm.__exit__(None, None, None)
            except Exception:
                pass
            self._ws = self._cm = None

    def rerun(self) -> Run:
        return self._run()

    def switch_page(self, url_path: str) -> Run:
        if url_path not in self.pages:
            raise AppError(f"no page {url_path!r} (have {sorted(self.pages)})")
        self.page_hash = self.pages[url_path]
        self.states.clear()  # a page switch keeps session state; widget values travel with it
        return self._run()

    def set_widget(self, label: str, value) -> Run:
        """Change the widget labelled ``label`` (multiselect: list of option strings; checkbox: bool;
        selectbox/radio: option string) and rerun, as a browser does on change."""
        w = self.widgets.get(label)
        if w is None:
            raise AppError(f"no widget labelled {label!r} (have {sorted(self.widgets)})")
        ws = WidgetState(id=w.id)
        if w.kind == "multiselect":
            ws.string_array_value.data.extend(value)
        elif w.kind == "checkbox":
            ws.bool_value = bool(value)
        elif w.kind in ("selectbox", "radio"):
            ws.string_value = str(value)
        else:
            raise AppError(f"widget kind {w.kind} not supported")
        self.states[w.id] = ws
        return self._run()

    def _run(self, page_name: str | None = None) -> Run:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = ""
        cs.page_script_hash = self.page_hash
        if page_name is not None:
            cs.page_name = page_name
        cs.widget_states.widgets.extend(self.states.values())
        t0 = time.monotonic()
        self._ws.send(msg.SerializeToString())
        elements, exceptions, texts = 0, [], []
        widgets = {}
        deadline = t0 + self.timeout
        running_seen = False
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AppError(f"script did not finish in {self.timeout:.0f}s")
            raw = self._ws.recv(timeout=left)
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                ns = fm.new_session
                self.session_id = ns.initialize.session_id or self.session_id
                self.pages = {p.url_pathname: p.page_script_hash for p in ns.app_pages}
                self.page_hash = ns.page_script_hash
                running_seen = True
            elif kind == "session_status_changed":
                running_seen = running_seen or fm.session_status_changed.script_is_running
            elif kind == "navigation":
                nav = fm.navigation
                self.pages = {p.url_pathname: p.page_script_hash for p in nav.app_pages}
                self.page_hash = nav.page_script_hash
            elif kind == "delta":
                d = fm.delta
                if d.WhichOneof("type") == "new_element":
                    el = d.new_element
                    ek = el.WhichOneof("type")
                    elements += 1
                    if ek == "exception":
                        exceptions.append(f"{el.exception.type}: {el.exception.message}"[:300])
                    elif ek in ("markdown", "code", "text", "alert"):
                        texts.append(getattr(el, ek).body if ek != "code" else el.code.code_text)
                    elif ek in ("multiselect", "checkbox", "selectbox", "radio"):
                        w = getattr(el, ek)
                        widgets[w.label] = Widget(w.id, ek, w.label, list(getattr(w, "options", [])))
            elif kind == "script_finished":
                status = fm.script_finished
                if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_EARLY_FOR_RERUN) \
                        or status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        exceptions.append("compile error")
                    if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue
                    break
        if widgets:
            self.widgets = widgets
        page = next((k for k, v in self.pages.items() if v == self.page_hash), self.page_hash)
        return Run(time.monotonic() - t0, elements, exceptions, page, texts)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
