#!/usr/bin/env python3
"""Baton's browser search against Pagefind's, over HTTP, in headless Chromium, in one run.

  scripts/bench_browser_http.py BATON_SITE PAGEFIND_SITE QUERIES.txt [--rtt MS] [--count N] [--rounds R]
                                [--interval MS] [--json]

BATON_SITE is a folder `baton build` wrote; PAGEFIND_SITE a folder Pagefind indexed (it holds pagefind/). Each is
served from 127.0.0.1 by a threaded HTTP/1.1 server of this script (keep-alive, gzip for whatever the browser
accepts it for, as a static host would), and Chromium adds MS milliseconds (default 50) to every request through
the DevTools protocol, as a round trip to a distant host. For each round, each tool in turn (Baton first in odd
rounds, Pagefind first in even ones), a fresh browser profile opens a page with the tool's own search box: a page
of the Baton site (the header box and its panel), and for Pagefind a page with Pagefind's default UI
(`new PagefindUI(...)`, its own settings). Then the first COUNT one- and two-word queries of QUERIES.txt
(default 10) are typed into the box a character at a time, INTERVAL ms apart (default 80, a quick typist), the
box emptied between queries. For each query it records:

- from the last keystroke to the results on screen: for Baton when the panel shows the count with its titles
  and snippets, for Pagefind when its message gives the count for the whole query and every result it shows has
  its title (its fragments loaded);
- the requests the query made (from its first keystroke until then), their bytes as transferred (gzipped
  where served so), and the round trips: the longest chain of requests each started after the previous ended;
  and the same for the requests started after the last keystroke (what the wait for results is made of).

It prints a table of medians over rounds and queries (first query apart from the others), or JSON.
Needs `chromium` and the websocket-client package; see `make bench-browser`.
"""
import argparse
import gzip
import http.server
import json
import os
import socketserver
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_chromium import Browser  # noqa: E402

COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt", ".xml")


def serve(folder):
    """A threaded HTTP/1.1 server of `folder` on a free port, gzip when accepted (cached): (server, port)."""
    cache = {}

    class Handler(http.server.SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=folder, **kwargs)

        def log_message(self, *args):
            pass

        def do_GET(self):
            path = self.translate_path(self.path.split("?")[0])
            if os.path.isdir(path):
                path = os.path.join(path, "index.html")
            if not os.path.isfile(path):
                self.send_error(404)
                return
            with open(path, "rb") as f:
                body = f.read()
            kind = self.guess_type(path)
            zipped = False
            if path.endswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
                if path not in cache:
                    cache[path] = gzip.compress(body, 6)
                body, zipped = cache[path], True
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            if zipped:
                self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            self.wfile.write(body)

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


# Installed before any page script: the time of the last keystroke, and the time the results were first seen
# complete (checked on every change to the page) for the query `window.__expect` names.
WATCH = """
window.__lastKey = 0; window.__shown = 0; window.__expect = null;
document.addEventListener('input', () => { window.__lastKey = performance.now(); window.__shown = 0; }, true);
function __check() {
  if (!window.__expect || window.__shown) return;
  if (window.__done && window.__done(window.__expect)) window.__shown = performance.now();
}
new MutationObserver(__check).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""

BATON_DONE = """window.__done = q => {
  const popup = document.getElementById('search-popup'), box = document.getElementById('search-box');
  if (!popup || popup.hidden || box.value !== q) return false;
  const status = popup.querySelector('.search-status');
  if (!status || !status.dataset.ms) return false;
  return [...popup.querySelectorAll('.results li')].every(li => li.querySelector('a').textContent);
};"""

PAGEFIND_DONE = """window.__done = q => {
  const message = document.querySelector('.pagefind-ui__message');
  if (!message || !message.textContent.includes(q)) return false;
  const results = [...document.querySelectorAll('.pagefind-ui__result')];
  const count = /^No results/.test(message.textContent.trim()) ? 0 : parseInt(message.textContent, 10);
  if (!(results.length >= Math.min(count, 5))) return false;
  return results.every(r => !r.querySelector('.pagefind-ui__loading') && r.querySelector('.pagefind-ui__result-link')
    && r.querySelector('.pagefind-ui__result-link').textContent.trim());
};"""

PAGEFIND_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Search</title>
<link href="/pagefind/pagefind-ui.css" rel="stylesheet"><script src="/pagefind/pagefind-ui.js"></script></head>
<body><div id="search"></div><script>window.addEventListener('DOMContentLoaded', () => {
new PagefindUI({ element: "#search", showSubResults: false, showImages: false }); });</script></body></html>"""


class Run:
    """One tool in one fresh browser: the page open, requests recorded."""

    def __init__(self, url, done, box, rtt):
        self.browser = Browser()
        b = self.browser
        b.call("Network.enable")
        b.call("Network.emulateNetworkConditions", offline=False, latency=rtt, downloadThroughput=-1,
               uploadThroughput=-1)
        b.call("Page.addScriptToEvaluateOnNewDocument", source=WATCH + done)
        self.rtt = rtt
        self.requests = {}
        self.sent = 10 ** 6
        b.on_event = self.event
        # Workers (Pagefind searches in one) fetch on targets of their own: attach to each as it starts, with the
        # same round trip, before it runs.
        b.call("Target.setAutoAttach", autoAttach=True, waitForDebuggerOnStart=True, flatten=True)
        b.open(url)
        self.box = box
        b.evaluate(f"new Promise(r => {{ (function w() {{ document.querySelector({json.dumps(box)}) ? r() : setTimeout(w, 10); }})(); }})")

    def send(self, session, method, **params):
        """A command to an attached target, its answer not awaited."""
        self.sent += 1
        self.browser.ws.send(json.dumps({"id": self.sent, "sessionId": session, "method": method, "params": params}))

    def event(self, message):
        method, params = message.get("method"), message.get("params", {})
        if method == "Target.attachedToTarget":
            session = params["sessionId"]
            self.send(session, "Network.enable")
            self.send(session, "Network.emulateNetworkConditions", offline=False, latency=self.rtt,
                      downloadThroughput=-1, uploadThroughput=-1)
            self.send(session, "Runtime.runIfWaitingForDebugger")
            return
        if method == "Network.requestWillBeSent":
            self.requests[params["requestId"]] = {"url": params["request"]["url"], "start": params["timestamp"],
                                                  "end": None, "bytes": 0}
            # The browser's monotonic clock against the wall clock, to place a keystroke among the requests.
            self.clock = params["wallTime"] - params["timestamp"]
        elif method == "Network.loadingFinished" and params["requestId"] in self.requests:
            r = self.requests[params["requestId"]]
            r["end"], r["bytes"] = params["timestamp"], params["encodedDataLength"]
        elif method == "Network.loadingFailed" and params["requestId"] in self.requests:
            self.requests[params["requestId"]]["end"] = params["timestamp"]

    def query(self, text, interval):
        b = self.browser
        box = json.dumps(self.box)
        # Empty the box, and let whatever that starts settle.
        b.evaluate(f"(() => {{ window.__expect = null; const i = document.querySelector({box}); i.focus(); i.value = '';"
                   f" i.dispatchEvent(new Event('input', {{bubbles: true}})); }})()")
        time.sleep(0.6)
        # What the last query left on screen is not this one's.
        b.evaluate("document.querySelectorAll('.search-status').forEach(s => delete s.dataset.ms)")
        b.pump()
        before = set(self.requests)
        b.evaluate(f"window.__expect = {json.dumps(text)}; window.__shown = 0;")
        for ch in text:
            b.call("Input.insertText", text=ch)
            time.sleep(interval / 1000)
        waited = time.time()
        while True:
            shown = b.evaluate("(__check(), window.__shown ? window.__shown - window.__lastKey : 0)")
            if shown:
                break
            if time.time() - waited > 30:
                raise SystemExit(f"no results for {text!r} after 30 s")
            time.sleep(0.005)
        time.sleep(0.05)
        b.pump()
        mine = [r for k, r in self.requests.items() if k not in before and r["end"] is not None]
        mine.sort(key=lambda r: r["start"])

        def chain(requests):
            depth = []
            for r in requests:
                depth.append(1 + max([d for o, d in zip(requests, depth) if o["end"] <= r["start"]], default=0))
            return max(depth, default=0)

        last_key = b.evaluate("(performance.timeOrigin + window.__lastKey) / 1000") - getattr(self, "clock", 0)
        after = [r for r in mine if r["start"] >= last_key]
        if os.environ.get("BENCH_DEBUG"):
            for r in mine:
                print(f"  {text!r}: {(r['start'] - mine[0]['start']) * 1000:6.0f}–{(r['end'] - mine[0]['start']) * 1000:6.0f} ms "
                      f"{r['bytes']:7d} {r['url'][-60:]}", file=sys.stderr)
        return {"query": text, "ms": shown, "requests": len(mine), "bytes": sum(r["bytes"] for r in mine),
                "round_trips": chain(mine), "requests_after": len(after), "round_trips_after": chain(after)}

    def close(self):
        self.browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("baton")
    parser.add_argument("pagefind")
    parser.add_argument("queries")
    parser.add_argument("--rtt", type=float, default=50)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--interval", type=float, default=80)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.baton, "index.html")) or not os.path.isdir(os.path.join(args.baton, "search")):
        raise SystemExit(f"{args.baton}: not a site baton build wrote (no index.html and search/)")
    if not os.path.isfile(os.path.join(args.pagefind, "pagefind", "pagefind-ui.js")):
        raise SystemExit(f"{args.pagefind}: no pagefind/pagefind-ui.js (run pagefind --site on it first)")
    queries = [q for q in open(args.queries, encoding="utf-8").read().split("\n")
               if q and '"' not in q and 1 <= len(q.split()) <= 2][:args.count]
    page = os.path.join(args.pagefind, "baton-bench-pagefind.html")
    with open(page, "w") as out:
        out.write(PAGEFIND_PAGE)
    servers = []
    try:
        baton_server, baton_port = serve(os.path.abspath(args.baton))
        pagefind_server, pagefind_port = serve(os.path.abspath(args.pagefind))
        servers = [baton_server, pagefind_server]
        tools = {
            "baton": (f"http://127.0.0.1:{baton_port}/index.html", BATON_DONE, "#search-box"),
            "pagefind": (f"http://127.0.0.1:{pagefind_port}/baton-bench-pagefind.html", PAGEFIND_DONE,
                         ".pagefind-ui__search-input"),
        }
        rows = {"baton": [], "pagefind": []}
        for round_number in range(args.rounds):
            order = ["baton", "pagefind"] if round_number % 2 == 0 else ["pagefind", "baton"]
            for name in order:
                run = Run(*tools[name], args.rtt)
                try:
                    got = [run.query(q, args.interval) for q in queries]
                finally:
                    run.close()
                rows[name].append(got)
                if not args.json:
                    print(f"round {round_number + 1} {name}: first {got[0]['ms']:.0f} ms, then median "
                          f"{statistics.median(g['ms'] for g in got[1:]):.0f} ms", file=sys.stderr)
    finally:
        for s in servers:
            s.shutdown()
        os.remove(page)

    def summary(name):
        firsts = [r[0] for r in rows[name]]
        rest = [q for r in rows[name] for q in r[1:]]
        med = lambda xs, k: statistics.median(x[k] for x in xs)
        return {
            "first_ms": med(firsts, "ms"), "first_kb": med(firsts, "bytes") / 1000,
            "first_requests": med(firsts, "requests"), "first_round_trips": med(firsts, "round_trips"),
            "later_ms": med(rest, "ms"), "later_p95_ms": sorted(q["ms"] for q in rest)[int(0.95 * (len(rest) - 1))],
            "later_kb": med(rest, "bytes") / 1000, "later_requests": med(rest, "requests"),
            "later_round_trips": med(rest, "round_trips"), "later_max_round_trips": max(q["round_trips"] for q in rest),
            "first_round_trips_after": med(firsts, "round_trips_after"),
            "later_requests_after": med(rest, "requests_after"), "later_round_trips_after": med(rest, "round_trips_after"),
            "later_max_round_trips_after": max(q["round_trips_after"] for q in rest),
        }

    result = {"rtt_ms": args.rtt, "rounds": args.rounds, "queries": queries, "interval_ms": args.interval,
              "baton": summary("baton"), "pagefind": summary("pagefind")}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    b, p = result["baton"], result["pagefind"]
    print(f"\n{len(queries)} queries typed {args.interval:.0f} ms a character, {args.rtt:.0f} ms round trip, "
          f"HTTP/1.1 with gzip, {args.rounds} rounds, medians\n")
    print("| | Baton | Pagefind | Baton / Pagefind |\n|---|---|---|---|")
    lines = [
        ("first query: last keystroke to results", "first_ms", "{:.0f} ms"),
        ("first query: bytes transferred", "first_kb", "{:.1f} KB"),
        ("first query: requests", "first_requests", "{:.0f}"),
        ("first query: round trips", "first_round_trips", "{:.0f}"),
        ("later queries: last keystroke to results", "later_ms", "{:.0f} ms"),
        ("later queries: p95", "later_p95_ms", "{:.0f} ms"),
        ("later queries: bytes", "later_kb", "{:.1f} KB"),
        ("later queries: requests", "later_requests", "{:.0f}"),
        ("later queries: round trips (median / most)", "later_round_trips", "{:.0f}"),
        ("first query: round trips after the last keystroke", "first_round_trips_after", "{:.0f}"),
        ("later queries: requests after the last keystroke", "later_requests_after", "{:.0f}"),
        ("later queries: round trips after the last keystroke (median / most)", "later_round_trips_after", "{:.0f}"),
    ]
    for label, key, form in lines:
        bv, pv = b[key], p[key]
        if key in ("later_round_trips", "later_round_trips_after"):
            most = key.replace("later_", "later_max_")
            bs, ps = f"{bv:.0f} / {b[most]}", f"{pv:.0f} / {p[most]}"
        else:
            bs, ps = form.format(bv), form.format(pv)
        ratio = f"{bv / pv:.2f}×" if pv else "–"
        print(f"| {label} | {bs} | {ps} | {ratio} |")


if __name__ == "__main__":
    main()
