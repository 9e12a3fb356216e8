"""A minimal client of Streamlit's own websocket protocol, for load on loopback.

A browser session of a Streamlit app is a websocket to `/_stcore/stream` carrying protobuf
messages: the client sends a `BackMsg.rerun_script` with the values of the widgets the user
touched, the server runs the page script for that session and streams `ForwardMsg`s back (the
page's elements as deltas, then `script_finished`). This client speaks exactly that, with
Streamlit's own message classes, so twenty sessions cost the server what twenty browsers would
while the client side costs almost nothing: on two cores, twenty Chromium pages rendering the
React frontend starve the server they are meant to load (measured: evals.soak_http --client
browser). It is not a browser: it does not run the frontend, so the browser tests cover that.

Written here rather than taken from a library because there is none: Streamlit's AppTest runs
the script in-process without the server, websocket or session manager under test.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from typing_extensions import Self

FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
RERUN = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
MAIN = 0  # delta_path[0]: 0 is the main area, 1 the sidebar


class ScriptTimeout(TimeoutError):
    pass


@dataclass
class Element:
    """One element of the page as the server sent it."""

    path: tuple[int, ...]
    kind: str  # the Element proto's oneof name: "button", "markdown", "chat_input", "exception" …
    proto: object

    @property
    def label(self) -> str:
        return getattr(self.proto, "label", "") or ""

    @property
    def id(self) -> str:
        return getattr(self.proto, "id", "") or ""

    @property
    def text(self) -> str:
        """What a reader sees of it: markdown/alert bodies, text, code, exception messages."""
        for name in ("body", "message", "code_text", "placeholder"):
            value = getattr(self.proto, name, None)
            if isinstance(value, str) and value:
                return value
        return self.label


@dataclass
class Page:
    elements: list[Element] = field(default_factory=list)

    def of(self, kind: str) -> list[Element]:
        return [e for e in self.elements if e.kind == kind]

    def widget(self, kind: str, label: str | None = None, id_contains: str | None = None, last: bool = False) -> Element:
        found = [e for e in self.of(kind) if (label is None or e.label == label)
                 and (id_contains is None or id_contains in e.id)]
        if not found:
            raise LookupError(f"no {kind} {label or id_contains!r} on the page")
        return found[-1] if last else found[0]

    def texts(self) -> str:
        return "\n".join(e.text for e in self.elements)

    @property
    def errors(self) -> list[str]:
        """Exceptions the page shows, and the app's own 「出现内部错误」 message."""
        out = [f"exception: {e.proto.message[:200]}" for e in self.of("exception")]
        out += [e.text[:200] for e in self.of("alert") if "出现内部错误" in e.text]
        return out


class Session:
    """One browser session's worth of protocol: `await s.run(...)` → the finished Page."""

    def __init__(self, url: str, timeout: float = 300):
        self.ws_url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.timeout = timeout
        self.pages: dict[str, str] = {}  # page title → page_script_hash (from the navigation message)
        self.page_hash = ""
        self._ws = None

    async def __aenter__(self) -> Self:
        from websockets.asyncio.client import connect

        self._ws = await connect(self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout)
        return self

    async def __aexit__(self, *exc) -> None:
        await self._ws.close()

    async def run(self, *widgets: WidgetState, page: str | None = None) -> Page:
        """Rerun the current page (or switch to `page`, a title) with these widget values."""
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = self.pages.get(page, "") if page else self.page_hash
        msg.rerun_script.widget_states.widgets.extend(widgets)
        await self._ws.send(msg.SerializeToString())
        return await asyncio.wait_for(self._finished_page(), self.timeout)

    async def _finished_page(self) -> Page:
        elements: dict[tuple[int, ...], Element] = {}
        while True:
            fm = ForwardMsg.FromString(await self._ws.recv())
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = fm.new_session.page_script_hash or self.page_hash
            elif kind == "navigation":
                self.pages = {p.page_name: p.page_script_hash for p in fm.navigation.app_pages}
                self.page_hash = fm.navigation.page_script_hash or self.page_hash
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                element = fm.delta.new_element
                which = element.WhichOneof("type")
                path = tuple(fm.metadata.delta_path)
                elements[path] = Element(path, which, getattr(element, which))
            elif kind == "script_finished":
                if fm.script_finished == RERUN:  # st.rerun() or a newer request: a new run follows
                    elements = {}
                    continue
                if fm.script_finished == FINISHED:
                    return Page([elements[k] for k in sorted(elements)])


# --- widget values, as the frontend sends them ----------------------------------------------
def text(element: Element, value: str) -> WidgetState:
    return WidgetState(id=element.id, string_value=value)


def click(element: Element) -> WidgetState:
    return WidgetState(id=element.id, trigger_value=True)


def chat(element: Element, value: str) -> WidgetState:
    state = WidgetState(id=element.id)
    state.chat_input_value.data = value
    return state
