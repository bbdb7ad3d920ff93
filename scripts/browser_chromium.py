#!/usr/bin/env python3
"""Headless Chromium over the browser search, from file://, through the DevTools protocol.

Two uses:

  scripts/browser_chromium.py page SITE_DIR QUERY EXPECTED_TITLE SCREENSHOT.png
      Opens SITE_DIR/index.html, presses "/" to reach the search box, types QUERY into it, waits for the results
      in the panel under the box (screenshot SCREENSHOT-popup.png), submits, then waits for the results on
      search.html (screenshot SCREENSHOT.png); checks that the first result's title is EXPECTED_TITLE in both.
      Exit 1 when it is not.

  scripts/browser_chromium.py timing SEARCH_DIR QUERIES.txt [COUNT]
      Makes a bare page beside SEARCH_DIR (a `baton-bench --export` folder or a site's search/), loads it from
      file://, then types each query into the box as a person would (one input event per query) and reports
      how long results took to be on screen after the script's debounce: the first query (nothing loaded yet)
      and the others (median and 95th percentile).

Needs `chromium` and the websocket-client package (pip install websocket-client).
"""
import base64
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    def __init__(self):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="baton-chromium-")
        self.process = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--allow-file-access-from-files", f"--remote-debugging-port={self.port}",
             f"--user-data-dir={self.profile}", "--window-size=1280,1000", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json"))
                page = next(t for t in targets if t["type"] == "page")
                break
            except Exception:
                time.sleep(0.1)
        else:
            raise SystemExit("chromium did not start")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=120)
        self.next_id = 0
        # Called with each event the browser sends (a message with a method and no id), when set.
        self.on_event = None
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if "method" in message and "id" not in message and self.on_event:
                self.on_event(message)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(json.dumps(result["exceptionDetails"])[:2000])
        return result["result"].get("value")

    def pump(self):
        """Hands every event the browser sent so far to `on_event`."""
        self.call("Runtime.evaluate", expression="0")

    def open(self, url):
        self.call("Page.navigate", url=url)
        self.evaluate("new Promise(r => document.readyState === 'complete' ? r() : addEventListener('load', () => r()))")

    def key(self, key, text=None):
        for kind in ("keyDown", "keyUp"):
            params = {"type": kind, "key": key}
            if text and kind == "keyDown":
                params["text"] = text
            self.call("Input.dispatchKeyEvent", **params)

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            self.process.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


WAIT_FOR_RESULTS = """new Promise((resolve, reject) => {
  const started = performance.now();
  (function poll() {
    const status = document.querySelector('.search-status');
    if (status && status.dataset.ms) return resolve({ms: +status.dataset.ms, status: status.textContent,
      titles: [...document.querySelectorAll('.results li > a')].map(a => a.textContent)});
    if (performance.now() - started > 30000) return reject(new Error('no results after 30 s'));
    setTimeout(poll, 5);
  })();
})"""


def page(site, query, expected, screenshot):
    browser = Browser()
    try:
        browser.open("file://" + os.path.abspath(site) + "/index.html")
        browser.key("/", "/")
        focused = browser.evaluate("document.activeElement && document.activeElement.id")
        if focused != "search-box":
            raise SystemExit(f"'/' did not focus the search box (focus is on {focused!r})")
        for character in query:
            browser.key(character, character)
        # Results as you type, in the panel under the header box.
        popup = browser.evaluate(WAIT_FOR_RESULTS)
        shot = browser.call("Page.captureScreenshot", format="png")
        with open(screenshot.replace(".png", "-popup.png"), "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        visible = browser.evaluate("!document.getElementById('search-popup').hidden")
        if not visible or not popup["titles"] or popup["titles"][0] != expected:
            raise SystemExit(f"the panel under the search box shows {popup['titles'][:1]} (visible: {visible})")
        browser.key("Enter", "\r")
        for _ in range(100):
            time.sleep(0.1)
            try:
                if browser.evaluate("location.pathname.endsWith('/search.html') && document.readyState") == "complete":
                    break
            except RuntimeError:
                pass
        found = browser.evaluate(WAIT_FOR_RESULTS)
        shot = browser.call("Page.captureScreenshot", format="png")
        with open(screenshot, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        first = found["titles"][0] if found["titles"] else None
        print(json.dumps({"query": query, "first": first, "status": found["status"], "results": found["titles"],
                          "panel": popup["titles"][:3], "panel_status": popup["status"],
                          "screenshot": screenshot}, ensure_ascii=False))
        if first != expected:
            raise SystemExit(f"expected the first result to be {expected!r}, got {first!r}")
    finally:
        browser.close()


def timing(search_dir, queries_path, count):
    search_dir = os.path.abspath(search_dir)
    shutil.copy(os.path.join(REPO, "site", "assets", "search.js"), os.path.join(search_dir, "search.js"))
    harness = os.path.join(os.path.dirname(search_dir), "baton-timing.html")
    folder = os.path.basename(search_dir)
    with open(harness, "w") as out:
        out.write(f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>timing</title>
<script src="{folder}/search.js" data-meta="meta.js" data-root="" defer></script></head><body>
<form><input id="search-box" name="q" type="search"></form>
<form><input id="search-query" name="q" type="search"><button>Search</button></form>
<div id="search-results"></div></body></html>""")
    queries = [q for q in open(queries_path, encoding="utf-8").read().split("\n") if q][:count]
    browser = Browser()
    try:
        browser.open("file://" + harness)
        times = []
        for query in queries:
            times.append(browser.evaluate("""(async q => {
              const input = document.getElementById('search-query');
              const status = document.querySelector('.search-status');
              if (status) delete status.dataset.ms;
              input.value = q;
              input.dispatchEvent(new Event('input'));
              return await """ + WAIT_FOR_RESULTS + """;
            })(""" + json.dumps(query) + ")")["ms"])
        rest = sorted(times[1:])
        print(json.dumps({"queries": len(times), "first_ms": round(times[0], 1),
                          "median_ms": round(statistics.median(rest), 1),
                          "p95_ms": round(rest[min(len(rest) - 1, int(0.95 * len(rest)))], 1),
                          "max_ms": round(rest[-1], 1)}))
    finally:
        browser.close()
        os.remove(harness)
        os.remove(os.path.join(search_dir, "search.js"))


if __name__ == "__main__":
    if len(sys.argv) >= 6 and sys.argv[1] == "page":
        page(*sys.argv[2:6])
    elif len(sys.argv) >= 4 and sys.argv[1] == "timing":
        timing(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 200)
    else:
        print(__doc__)
        sys.exit(2)
