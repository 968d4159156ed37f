"""axe-core's findings on the demo shop and the help centre, by impact, per page.

usage: python3 scripts/axe-report.py [LOCALE ...]   (default sv da; needs scripts/setup-tests.sh)
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from live import demo_page
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "build" / "axe-core" / "axe.min.js"
DEMO = [
    "product/wool-sweater",
    "cart",
    "checkout/delivery",
    "checkout/payment",
    "checkout/confirmation",
    "order",
]


def main(locales: list[str]) -> int:
    worst = 0
    with demo_page() as (url, page):
        # Injected before the pages' own scripts: their CSP allows no inline script.
        page.add_init_script(path=str(AXE))
        for locale in locales:
            paths = [f"/demo/{locale}/{p}" for p in DEMO]
            paths += [
                f"/{locale}/help",
                f"/{locale}/help/delivery-time",
                f"/{locale}/help/search?q=xyzzy",
            ]
            for path in paths:
                page.goto(url + path)
                if path.startswith("/demo"):
                    expect(page.locator("[role=option]").first).to_be_visible()
                result = page.evaluate("async () => await axe.run(document)")
                impacts = Counter(v["impact"] for v in result["violations"])
                worst += impacts["serious"] + impacts["critical"]
                found = ", ".join(f"{k} {n}" for k, n in sorted(impacts.items())) or "none"
                ids = ", ".join(v["id"] for v in result["violations"])
                print(
                    f"{path:40s} rules passed {len(result['passes']):3d}; "
                    f"violations: {found}{' (' + ids + ')' if ids else ''}"
                )
    return 1 if worst else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["sv", "da"]))
