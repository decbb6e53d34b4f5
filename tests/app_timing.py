"""Timing of the app in headless Chromium, step by step (issue 15, deliverable 7).

A step is one user action (a click, an upload) and the script run it causes. It is
timed in the page's own clock, from the action's DOM event to the page's last DOM
change once the run has ended (``seconds``: the page is drawn; a change inside a
``<canvas>`` is not one, as fallback content is never drawn: Glide's data grid updates
an accessibility table there some 300 ms after the grid has painted, which made a third
of a page switch before). The run's end is the
browser handling its ``script_finished`` ForwardMsg (field 6 of Streamlit's protobuf;
a run starts with ``new_session``, field 4), or the app root's
``data-test-script-state`` turning ``notRunning`` when that comes later
(``finished``). The page reads the field numbers of each websocket message itself
(:data:`INIT_SCRIPT`) and the step waits for :data:`QUIET_MS` without a run or a DOM
change; no sleep and no polling delay is part of a figure. Each step is split into

* ``network`` — from the first message the browser sends after the action (the rerun
  request) to the arrival of ``script_finished`` (Chrome's network clock, the DevTools
  protocol's ``Network.webSocketFrame*`` events): the server's script time and transfer;
* ``client`` — the rest, the browser's own share; ``busy`` is the page's main thread in
  long tasks (over 50 ms) during the step;
* ``received`` — bytes and websocket messages of the run (Streamlit sends each element
  as a protobuf delta: an inline SVG chart or an Arrow table is sent whole);
* ``server_cpu``, ``browser_cpu`` — the CPU seconds the ``streamlit`` process and the
  Chromium processes (both children of this process) used during the step, from
  ``/proc`` (Linux; 10 ms ticks): on 2 shared cores the wall times grow with the
  load, these much less; ``script`` and ``layout`` — the page's main thread running
  JavaScript and doing style and layout (the DevTools protocol's
  ``Performance.getMetrics``).

:func:`install` puts the recorder into a browser context before its pages open;
:func:`wait_for_rerun` is the harness's wait (tests/test_app_e2e.py).
"""

from __future__ import annotations

import base64
import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: After a run ends, how long the page must stay without another run (a widget's
#: ``on_change`` rerun, ``st.rerun``) and without a DOM change. Not in any figure.
QUIET_MS = 250
#: ForwardMsg fields (streamlit/proto/ForwardMsg.proto): a run's first and last message.
NEW_SESSION, SCRIPT_FINISHED = 4, 6

#: Installed in every page of the context before the app's own scripts run.
INIT_SCRIPT = r"""
(() => {
  if (window.__nqpf) return;
  const now = () => performance.now();
  const nq = (window.__nqpf = {
    actions: [], started: [], finished: [], messages: 0, bytes: 0,
    states: [], lastMutation: 0, tasks: [],
  });
  for (const type of ["click", "change"]) {
    window.addEventListener(type, () => nq.actions.push(now()), true);
  }
  // the top-level field numbers of a protobuf message (a ForwardMsg)
  const fields = (buffer) => {
    const b = new Uint8Array(buffer);
    const out = [];
    let i = 0;
    const varint = () => {
      let v = 0, m = 1;
      while (i < b.length) {
        const x = b[i++];
        v += (x & 127) * m;
        m *= 128;
        if (x < 128) break;
      }
      return v;
    };
    while (i < b.length) {
      const tag = varint();
      const wire = tag & 7;
      out.push(Math.floor(tag / 8));
      if (wire === 0) varint();
      else if (wire === 1) i += 8;
      else if (wire === 2) {
        const length = varint(); // read before i is: \`i += varint()\` adds to the old i
        i += length;
      }
      else if (wire === 5) i += 4;
      else break;
    }
    return out;
  };
  const Native = window.WebSocket;
  class Recorded extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const t = now();
        nq.messages += 1;
        if (!(event.data instanceof ArrayBuffer)) return;
        nq.bytes += event.data.byteLength;
        const f = fields(event.data);
        if (f.includes(4)) nq.started.push(t);
        if (f.includes(6)) nq.finished.push(t);
      });
    }
  }
  window.WebSocket = Recorded;
  const watch = () => {
    new MutationObserver((records) => {
      const t = now();
      const after = records.slice(1).map((r) => r.oldValue);
      after.push(records.at(-1).target.getAttribute("data-test-script-state"));
      for (const s of after) nq.states.push([t, s]);
    }).observe(document.documentElement, {
      subtree: true, attributes: true, attributeOldValue: true,
      attributeFilter: ["data-test-script-state"],
    });
    // what a canvas holds is its fallback content, never drawn where canvas works:
    // Glide's data grid keeps an accessibility table there and updates it some
    // 300 ms after the grid has painted (the canvas's own size changes do count)
    const seen = (r) => {
      const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      const canvas = node && node.closest ? node.closest("canvas") : null;
      return !canvas || (r.type === "attributes" && canvas === node);
    };
    new MutationObserver((records) => {
      if (records.some(seen)) nq.lastMutation = now();
    }).observe(document.documentElement, {
      subtree: true, childList: true, attributes: true, characterData: true,
    });
  };
  if (document.documentElement) watch();
  else document.addEventListener("DOMContentLoaded", watch);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) nq.tasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) {}
})();
"""

#: True once a run that started after time ``t`` has finished and no run is going on.
_FINISHED_SINCE = """(t) => {
  const q = window.__nqpf;
  const started = q.started.filter((s) => s > t);
  const last = q.finished.at(-1);
  return started.length > 0 && last !== undefined && last >= started.at(-1);
}"""
_QUIET = "() => { const q = window.__nqpf; return [q.started, q.finished, q.lastMutation]; }"
#: The marks of a step that began at ``start`` (page clock, ms).
_MARKS = """(start) => {
  const q = window.__nqpf;
  const finished = q.finished.at(-1);
  const idle = q.states.filter((s) => s[1] === 'notRunning' && s[0] >= finished).map((s) => s[0]);
  const done = Math.max(finished, ...idle);
  const drawn = Math.max(q.lastMutation, done);
  const busy = q.tasks
    .filter((t) => t[0] + t[1] > start && t[0] < drawn)
    .reduce((sum, t) => sum + Math.min(t[0] + t[1], drawn) - Math.max(t[0], start), 0);
  return {
    done, drawn, busy,
    runs: q.started.filter((s) => s > start).length,
  };
}"""


def installed(page: Any) -> bool:
    return bool(page.evaluate("() => window.__nqpf !== undefined"))


def wait_for_rerun(page: Any, *, grace_ms: int = 300, timeout: float = 30_000) -> None:
    """Wait for the run the last action started to finish (recorder installed): returns
    as soon as its ``script_finished`` is handled; waits ``grace_ms`` only when no run
    has started since the action (an action that starts none)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    action = page.evaluate("() => window.__nqpf.actions.at(-1) ?? 0")
    try:
        page.wait_for_function(
            "(t) => window.__nqpf.started.some((s) => s > t)",
            arg=action,
            timeout=grace_ms,
            polling=20,
        )
    except PlaywrightTimeout:  # no run started: the action starts none
        return
    page.wait_for_function(_FINISHED_SINCE, arg=action, timeout=timeout, polling=20)


@dataclass(frozen=True)
class Step:
    """One action and its run(s) (seconds; see the module docstring)."""

    name: str
    seconds: float
    finished: float
    network: float
    client: float
    busy: float
    received: int
    messages: int
    runs: int
    server_cpu: float
    browser_cpu: float
    script: float
    layout: float

    def line(self) -> str:
        return (
            f"{self.name:<28} {self.seconds:5.2f} s (run {self.finished:5.2f})  "
            f"network {self.network:5.2f} s  "
            f"client {self.client:4.2f} s (busy {self.busy:4.2f})  "
            f"cpu server {self.server_cpu:4.2f} browser {self.browser_cpu:4.2f} "
            f"(js {self.script:4.2f} layout {self.layout:4.2f})  "
            f"{self.received / 1024:4.0f} KiB/{self.messages:3d} msgs"
            + (f"  ({self.runs} runs)" if self.runs != 1 else "")
        )


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _children() -> dict[int, tuple[int, str]]:
    """pid → (parent pid, command line) of every process (Linux ``/proc``)."""
    out = {}
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        out[int(entry.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), cmd)
    return out


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds so far of this process's ``streamlit`` and Chromium descendants."""
    table = _children()
    mine, todo = set(), [os.getpid()]
    while todo:
        parent = todo.pop()
        for pid, (ppid, _) in table.items():
            if ppid == parent and pid not in mine:
                mine.add(pid)
                todo.append(pid)
    server = browser = 0.0
    for pid in mine:
        cmd = table[pid][1]
        kind = "server" if "streamlit" in cmd else "browser" if "chrom" in cmd else None
        if kind is None:
            continue
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used = (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime
        if kind == "server":
            server += used
        else:
            browser += used
    return server, browser


def _fields(data: bytes) -> list[int]:
    """Top-level protobuf field numbers of ``data`` (the page's ``fields``, in Python)."""
    out, i = [], 0

    def varint() -> int:
        nonlocal i
        value = shift = 0
        while i < len(data):
            byte = data[i]
            i += 1
            value |= (byte & 127) << shift
            shift += 7
            if byte < 128:
                break
        return value

    while i < len(data):
        tag = varint()
        wire = tag & 7
        out.append(tag >> 3)
        if wire == 0:
            varint()
        elif wire == 1:
            i += 8
        elif wire == 2:
            length = varint()  # before i is read: `i += varint()` adds to the old i
            i += length
        elif wire == 5:
            i += 4
        else:
            break
    return out


class Timer:
    """Times the steps of one page (:meth:`step`, :meth:`open`), with its websocket
    frames from a DevTools session (network clock, sizes)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        #: (network clock s, "in" | "out", bytes, finished?)
        self.frames: list[tuple[float, str, int, bool]] = []
        self.steps: list[Step] = []
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.webSocketFrameReceived", lambda p: self._frame(p, "in"))
        cdp.on("Network.webSocketFrameSent", lambda p: self._frame(p, "out"))
        cdp.send("Network.enable")
        cdp.send("Performance.enable")
        self.cdp = cdp

    def _metrics(self) -> dict[str, float]:
        """The page's main-thread totals so far: JavaScript, style + layout (seconds)."""
        got = {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}
        return {
            "script": got.get("ScriptDuration", 0.0),
            "layout": got.get("LayoutDuration", 0.0) + got.get("RecalcStyleDuration", 0.0),
        }

    def _frame(self, params: dict[str, Any], direction: str) -> None:
        response = params["response"]
        data = response.get("payloadData", "")
        raw = base64.b64decode(data) if response.get("opcode") == 2 else data.encode()
        finished = direction == "in" and SCRIPT_FINISHED in _fields(raw)
        self.frames.append((float(params["timestamp"]), direction, len(raw), finished))

    def _settle(self, start: float, timeout: float) -> None:
        """Wait for the runs after ``start`` to finish, then for :data:`QUIET_MS` without a
        new run (a follow-up rerun belongs to the step) and without a DOM change."""
        page = self.page
        page.wait_for_function(_FINISHED_SINCE, arg=start, timeout=timeout, polling=20)
        for _ in range(int(timeout / QUIET_MS)):
            before = page.evaluate(_QUIET)
            page.wait_for_timeout(QUIET_MS)
            if page.evaluate(_QUIET) == before:
                return
            page.wait_for_function(_FINISHED_SINCE, arg=start, timeout=timeout, polling=20)

    def _record(
        self,
        name: str,
        start: float,
        first_frame: int,
        cpu: tuple[float, float],
        metrics: dict[str, float],
    ) -> Step:
        page = self.page
        server, browser = cpu_seconds()
        now = self._metrics()
        marks = page.evaluate(_MARKS, start)
        page.evaluate("() => 0")  # the DevTools events of the step have arrived
        frames = self.frames[first_frame:]
        sent = [t for t, d, _, _ in frames if d == "out"]
        ends = [t for t, _, _, finished in frames if finished]
        received = [n for _, d, n, _ in frames if d == "in"]
        network = ends[-1] - sent[0] if sent and ends else 0.0
        seconds = (marks["drawn"] - start) / 1000
        step = Step(
            name=name,
            seconds=seconds,
            finished=(marks["done"] - start) / 1000,
            network=max(network, 0.0),
            client=max(seconds - network, 0.0),
            busy=marks["busy"] / 1000,
            received=sum(received),
            messages=len(received),
            runs=marks["runs"],
            server_cpu=server - cpu[0],
            browser_cpu=browser - cpu[1],
            script=now["script"] - metrics["script"],
            layout=now["layout"] - metrics["layout"],
        )
        self.steps.append(step)
        return step

    def open(self, url: str, *, timeout: float = 60_000) -> Step:
        """Open ``url``: timed from the navigation's start to the first run's end."""
        first_frame, cpu, metrics = len(self.frames), cpu_seconds(), self._metrics()
        self.page.goto(url)
        self._settle(0.0, timeout)
        return self._record("open the page", 0.0, first_frame, cpu, metrics)

    def step(self, name: str, action: Callable[[], Any], *, timeout: float = 60_000) -> Step:
        """Do ``action`` (a click, an upload) and time the run it starts."""
        page = self.page
        before = page.evaluate("() => window.__nqpf.actions.length")
        first_frame, cpu, metrics = len(self.frames), cpu_seconds(), self._metrics()
        action()
        page.wait_for_function(
            "(n) => window.__nqpf.actions.length > n", arg=before, timeout=timeout
        )
        start = page.evaluate(f"() => window.__nqpf.actions[{before}]")
        self._settle(start, timeout)
        return self._record(name, start, first_frame, cpu, metrics)


def install(context: Any) -> None:
    """Put the recorder (:data:`INIT_SCRIPT`) into every page ``context`` opens."""
    context.add_init_script(INIT_SCRIPT)


def spread(seconds: list[float]) -> str:
    """Median and maximum of a list of times."""
    return (
        f"median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s (n = {len(seconds)})"
    )


def load() -> str:
    """The machine's load: the figures beside it depend on it (2 shared cores)."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


#: The pages switched between on the 31-province panel, each drawn once before.
SWITCH_PAGES = ("Data", "Indicators", "Index", "Echelons & disparity", "Compare", "Export")


@dataclass(frozen=True)
class Walk:
    """The scripted researcher's path on the 31-province panel (:func:`walk`)."""

    to_dagum: list[Step]
    first_visits: list[Step]
    switches: list[Step]
    wall_to_dagum: float

    def open_to_dagum(self) -> float:
        """Open the page → the Dagum table drawn, clicks at once (the steps' sum)."""
        return sum(step.seconds for step in self.to_dagum)

    def report(self) -> str:
        lines = ["open the page → Dagum table (each step: action → page drawn):"]
        lines += ["  " + step.line() for step in self.to_dagum]
        lines.append(
            f"  open → Dagum table: {self.open_to_dagum():.2f} s (steps), "
            f"{self.wall_to_dagum:.2f} s wall with the harness's waits; {load()}"
        )
        lines.append("first visit of each page:")
        lines += ["  " + step.line() for step in self.first_visits]
        lines.append("page switches (each page drawn before):")
        lines += ["  " + step.line() for step in self.switches]
        seconds = [step.seconds for step in self.switches]
        server = [step.server_cpu for step in self.switches]
        browser = [step.browser_cpu for step in self.switches]
        lines.append(
            f"  page switch: {spread(seconds)}; CPU per switch: server median "
            f"{statistics.median(server):.2f} s, browser median {statistics.median(browser):.2f} s"
            f"; {load()}"
        )
        return "\n".join(lines)


def walk(page: Any, url: str, csv_path: Any, *, rounds: int = 3) -> Walk:
    """Open the app, upload ``csv_path`` (tests/app_panel31.py's panel), compute the index,
    decompose the Gini; then visit :data:`SWITCH_PAGES` once and switch among them
    ``rounds`` times. ``page`` is in a context with :func:`install` done."""
    import time

    timer = Timer(page)

    def nav(title: str) -> Callable[[], Any]:
        return lambda: page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()

    began = time.monotonic()
    timer.open(url)
    timer.step(
        "choose 'Upload a file'",
        lambda: page.get_by_test_id("stRadio").get_by_text("Upload a file").click(),
    )
    uploader = page.locator(".st-key-up-panel").get_by_test_id("stFileUploaderDropzoneInput")
    timer.step("upload the CSV", lambda: uploader.set_input_files(str(csv_path)))
    page.get_by_text(f"Panel ready: {Path(csv_path).name}").wait_for()
    timer.step("go to Index", nav("Index"))
    timer.step("Compute index", lambda: page.get_by_role("button", name="Compute index").click())
    page.locator(".st-key-df-weights").wait_for()
    timer.step("go to Echelons & disparity", nav("Echelons & disparity"))
    timer.step("Decompose", lambda: page.get_by_role("button", name="Decompose").click())
    page.locator(".st-key-df-dagum_summary").wait_for()
    wall = time.monotonic() - began
    to_dagum = list(timer.steps)
    for title in SWITCH_PAGES:
        timer.step(f"first {title}", nav(title))
    first = timer.steps[len(to_dagum) :]
    for _ in range(rounds):
        for title in SWITCH_PAGES:
            timer.step(f"to {title}", nav(title))
    switches = timer.steps[len(to_dagum) + len(first) :]
    return Walk(to_dagum, first, switches, wall)
