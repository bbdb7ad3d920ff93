#!/usr/bin/env python3
"""Loads pages of a built Baton site in headless Chromium, at a desktop and a phone width, in the light and the
dark scheme: saves a screenshot of each and runs axe-core (from the axe-selenium-python package) on it.
Exits non-zero when axe finds a serious or critical violation, and prints every finding.

Usage: scripts/site_browser_check.py SITE_DIR [SHOTS_DIR]
Needs chromium and chromium-driver (apt-get install chromium chromium-driver) and
pip install selenium axe-selenium-python. `make test-browser` builds the example and runs this.
"""
import json
import os
import sys

from axe_selenium_python import Axe
from selenium import webdriver

PAGES = [
    ("home", "index.html"),
    ("role", "roles/northmoor-relationship-manager.html"),
    ("person", "people/gareth-lowe.html"),
    ("handover", "handovers/gareth-lowe-to-nadia-farouk.html"),
    ("onboarding", "onboardings/nadia-farouk-northmoor-relationship-manager.html"),
    ("knowledge", "knowledge/management-activities/incident-escalation-path.html"),
    ("health", "healthchecks/2026-relationship-check.html"),
    ("trend", "health.html"),
    ("kpi", "kpis/p1-restore.html"),
    ("escalation", "escalation.html"),
    ("plan", "plan.html"),
    ("search", "search.html?q=exit+plan"),
]
SIZES = [("1280x800", 1280, 800), ("390x844", 390, 844)]
SCHEMES = ["light", "dark"]


def driver(width, height, scheme):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     f"--window-size={width},{height}", "--allow-file-access-from-files",
                     f"--blink-settings=preferredColorScheme={0 if scheme == 'dark' else 1}"]:
        options.add_argument(argument)
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    browser = webdriver.Chrome(options=options)
    # The window's size is not the page's (headless Chromium keeps windows at least 500 px wide): set the viewport.
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    return browser


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    site = os.path.abspath(sys.argv[1])
    shots = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "/tmp/baton-browser-check")
    os.makedirs(shots, exist_ok=True)
    missing = [page for _, page in PAGES if not os.path.exists(os.path.join(site, page.split("?")[0]))]
    if missing:
        print("not in the site: " + ", ".join(missing), file=sys.stderr)
        return 2
    serious = 0
    for size, width, height in SIZES:
        for scheme in SCHEMES:
            browser = driver(width, height, scheme)
            try:
                for name, page in PAGES:
                    browser.get("file://" + os.path.join(site, page))
                    browser.implicitly_wait(1)
                    if name == "search":  # results appear after the index loads
                        browser.find_element("css selector", "#search-results .results li")
                    shot = os.path.join(shots, f"{name}-{size}-{scheme}.png")
                    browser.save_screenshot(shot)
                    axe = Axe(browser)
                    axe.inject()
                    found = axe.run()["violations"]
                    bad = [v for v in found if v.get("impact") in ("serious", "critical")]
                    serious += len(bad)
                    header = browser.execute_script(
                        "const h = document.querySelector('.masthead'); return h ? Math.round(h.getBoundingClientRect().height) : 0")
                    status = "ok" if not found else f"{len(found)} finding(s), {len(bad)} serious or critical"
                    print(f"{name:10} {size:8} {scheme:5}  header {header:3} px  axe: {status}  {shot}")
                    for violation in found:
                        nodes = ", ".join(n["target"][0] if isinstance(n["target"][0], str) else json.dumps(n["target"])
                                          for n in violation["nodes"][:3])
                        print(f"    {violation['impact']}: {violation['id']} — {violation['help']} ({nodes})")
            finally:
                browser.quit()
    print(f"\n{serious} serious or critical violation(s)")
    return 1 if serious else 0


if __name__ == "__main__":
    sys.exit(main())
