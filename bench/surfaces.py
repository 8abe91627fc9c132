#!/usr/bin/env python3
"""Latency of the surfaces a person waits on, measured from outside the process, as they see it:

- the language server (`kientruc lsp` over stdio): a workspace opened in the editor, from the
  `didOpen` of one file to the `publishDiagnostics` of that file (the server analyses the whole
  workspace first), and the server's peak RSS; and isolated edits of that file, from each
  `didChange` to the `publishDiagnostics` of its version, with the server's peak RSS after them;
- `kientruc serve`: a declared view laid out and sent (`GET /api/view/ID`, the page's request),
  once the first analysis is done.

Used by bench/run.py; runs alone too:

    python3 bench/surfaces.py lsp-open architecture/hanoi architecture.ea
    python3 bench/surfaces.py lsp-edits WORKSPACE tinh/t0000.ea [EDITS]
    python3 bench/surfaces.py serve-view WORKSPACE VIEW_ID
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "kientruc")


def _message(payload):
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def _read_message(stream):
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(stream.read(length))


class _Server:
    """`kientruc lsp` over stdio, initialised on `workspace`."""

    def __init__(self, workspace, binary):
        self.process = subprocess.Popen(
            [binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, cwd=workspace,
        )
        self.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": os.getpid(), "rootUri": "file://" + workspace,
            "workspaceFolders": [{"uri": "file://" + workspace, "name": "bench"}],
            "capabilities": {}}})
        while True:
            message = _read_message(self.process.stdout)
            if message is None:
                sys.exit("the language server stopped during initialize")
            if message.get("id") == 1:
                break
        self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})

    def send(self, payload):
        self.process.stdin.write(_message(payload))
        self.process.stdin.flush()

    def wait_for_diagnostics(self, uri, version=None):
        """Reads on to the `publishDiagnostics` of `uri` (of `version`, when given)."""
        while True:
            message = _read_message(self.process.stdout)
            if message is None:
                sys.exit("the language server stopped before publishing diagnostics")
            if (message.get("method") == "textDocument/publishDiagnostics"
                    and message["params"]["uri"] == uri
                    and (version is None or message["params"].get("version") == version)):
                return message

    def peak_mib(self):
        """The server's own high-water mark, read while it runs (a child's ru_maxrss would also
        count this Python process's pages before the exec)."""
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) // 1024

    def close(self):
        self.send({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
        # Read on to the shutdown's answer, so the server is never blocked writing to us.
        while True:
            message = _read_message(self.process.stdout)
            if message is None or message.get("id") == 2:
                break
        self.send({"jsonrpc": "2.0", "method": "exit", "params": None})
        self.process.stdin.close()
        self.process.stdout.read()
        self.process.wait(timeout=60)


def _open(server, path, uri):
    """Opens `path`; milliseconds from `didOpen` to its first `publishDiagnostics`."""
    with open(path, encoding="utf-8") as source:
        text = source.read()
    started = time.monotonic()
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "kientruc", "version": 1, "text": text}}})
    server.wait_for_diagnostics(uri)
    return (time.monotonic() - started) * 1000


def lsp_open(workspace, file_name, runs=3, binary=BINARY):
    """Milliseconds from `didOpen` of `file_name` to its first `publishDiagnostics` (median of
    `runs` fresh servers), and the largest peak RSS of those servers in MiB."""
    workspace = os.path.abspath(workspace)
    path = os.path.join(workspace, file_name)
    times, peaks = [], []
    for _ in range(runs):
        server = _Server(workspace, binary)
        times.append(_open(server, path, "file://" + path))
        peaks.append(server.peak_mib())
        server.close()
    return statistics.median(times), max(peaks)


def lsp_edits(workspace, file_name, edits=30, pause=0.3, binary=BINARY):
    """One fresh server: `file_name` opened (milliseconds to its first diagnostics), then `edits`
    isolated edits, each `pause` seconds after the last one's diagnostics (longer than the
    server's debounce, so each is analysed at once), timed from the `didChange` to the
    `publishDiagnostics` of its version. The edits are those of the latency example
    (lsp/examples/latency.rs): the first inserts `parent missing_1` as the fourth line of the file
    (the first element's body in a generated workspace), each next one renames the missing
    element. Returns the first diagnostics' time, the edits' p50, p95 and max (nearest rank), and
    the server's peak RSS in MiB after all of them."""
    workspace = os.path.abspath(workspace)
    path = os.path.join(workspace, file_name)
    uri = "file://" + path
    server = _Server(workspace, binary)
    first = _open(server, path, uri)
    samples, previous = [], ""
    column = len("  parent ")
    for step in range(edits):
        time.sleep(pause)
        value = f"missing_{step + 1}"
        if step == 0:
            change = {"range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 0}},
                      "text": f"  parent {value}\n"}
        else:
            change = {"range": {"start": {"line": 3, "character": column},
                                "end": {"line": 3, "character": column + len(previous)}},
                      "text": value}
        version = step + 2
        started = time.monotonic()
        server.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
        published = server.wait_for_diagnostics(uri, version)
        samples.append((time.monotonic() - started) * 1000)
        if not any(value in diagnostic["message"] for diagnostic in published["params"]["diagnostics"]):
            sys.exit(f"version {version}: no diagnostic about `{value}`")
        previous = value
    peak = server.peak_mib()
    server.close()
    samples.sort()
    at = lambda percent: samples[((len(samples) - 1) * percent + 50) // 100]
    return {"first": first, "p50": at(50), "p95": at(95), "max": samples[-1], "peak": peak}


def serve_view(workspace, view, requests=10, binary=BINARY):
    """`kientruc serve WORKSPACE`: the first analysis (ms, as serve prints it), and for
    `GET /api/view/VIEW` after one warm-up request: p50 and max in ms, the elements laid out and
    the size of the answer in bytes."""
    server = subprocess.Popen(
        [binary, "serve", workspace, "--port", "0"], stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True,
    )
    try:
        line = server.stderr.readline()
        found = re.search(r"http://(127\.0\.0\.1:\d+)/ .*ready in (\d+) ms", line)
        if not found:
            sys.exit(f"kientruc serve did not start: {line}")
        address, ready = found.group(1), int(found.group(2))
        url = f"http://{address}/api/view/{view}"

        def get():
            started = time.monotonic()
            with urllib.request.urlopen(url, timeout=120) as answer:
                body = answer.read()
            return (time.monotonic() - started) * 1000, body

        _, body = get()
        payload = json.loads(body)
        elements = len(payload.get("nodes", payload.get("view", {}).get("nodes", [])))
        times = sorted(get()[0] for _ in range(requests))
        return {
            "ready": ready,
            "p50": statistics.median(times),
            "max": times[-1],
            "elements": elements,
            "bytes": len(body),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "lsp-open":
        median, peak = lsp_open(sys.argv[2], sys.argv[3])
        print(f"open → first diagnostics: {median:.1f} ms (median of 3), server peak RSS {peak} MiB")
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "lsp-edits":
        edits = int(sys.argv[4]) if len(sys.argv) == 5 else 30
        print(json.dumps(lsp_edits(sys.argv[2], sys.argv[3], edits)))
    elif len(sys.argv) == 4 and sys.argv[1] == "serve-view":
        print(json.dumps(serve_view(sys.argv[2], sys.argv[3])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
