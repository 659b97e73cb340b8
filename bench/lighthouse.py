"""Lighthouse scores of the main pages, served as in production.

    .venv/bin/python bench/lighthouse.py

Installs npm ``lighthouse@12`` into ``.cache/lighthouse`` when missing, prepares a
SQLite database with the real catalogue, serves it with gunicorn and production settings
(``DJANGO_DEBUG=0``, whitenoise, hashed static files), and runs Lighthouse in Chromium
(``CHROME_PATH``, default ``/usr/bin/chromium``) on the home page, a search, a resource
page and a pack page, with Lighthouse's default mobile emulation and throttling. Prints
the four category scores per page; targets are 100 everywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import _harness as harness

CACHE = harness.ROOT / ".cache" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]

PICK = """
import json
from catalogue.models import Resource
from accounts.models import StarterPack
resource = Resource.objects.published().filter(is_featured=True).order_by("slug").first()
pack = StarterPack.objects.filter(visibility="public", is_featured=True).order_by("pk").first()
print(json.dumps({
    "resource": resource.get_absolute_url(),
    "pack": pack.get_absolute_url() if pack else None,
}))
"""


def lighthouse_binary() -> Path:
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(CACHE), "lighthouse@12"],
            check=True,
        )
    return binary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--output", type=Path, help="write the JSON report here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="asrhub-lighthouse-"))
    env = harness.production_env(
        "lighthouse",
        f"sqlite:///{work / 'db.sqlite3'}",
        work / "static",
        # Served over plain HTTP on localhost, which browsers treat as a secure context.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_HSTS_SECONDS="0",
        WEB_CONCURRENCY="2",
        PORT=str(args.port),
        GUNICORN_ACCESS_LOG="/dev/null",
    )
    harness.prepare(env)
    urls = harness.shell_json(PICK, env)
    pages = {
        "home": "/",
        "search": "/resources/?q=whisper&kind=repository",
        "resource": urls["resource"],
    }
    if urls["pack"]:
        pages["pack"] = urls["pack"]

    binary = lighthouse_binary()
    try:
        with harness.gunicorn(env, args.port):
            scores = {
                name: score(binary, args.port, path, work / f"{name}.json", env)
                for name, path in pages.items()
            }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    output = json.dumps(scores, indent=2)
    print(output)
    if args.output:
        args.output.write_text(output)


def score(binary: Path, port: int, path: str, report: Path, env: dict) -> dict:
    """Lighthouse's category scores of one page, and the audits below 1."""
    command = [
        str(binary),
        f"http://127.0.0.1:{port}{path}",
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
        "--disable-background-networking --disable-component-update --disable-sync",
    ]
    lighthouse_env = {**env, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    # Lighthouse sometimes loses the trace (NO_NAVSTART): try a page up to 3 times.
    for _attempt in range(3):
        if subprocess.run(command, env=lighthouse_env, check=False).returncode == 0:
            break
    else:
        return {"error": "Lighthouse failed three times"}
    data = json.loads(report.read_text())
    scores: dict = {
        category: round(data["categories"][category]["score"] * 100) for category in CATEGORIES
    }
    failing = [
        audit["id"]
        for audit in data["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in {"binary", "numeric"}
    ]
    scores["path"] = path
    scores["below_1"] = failing[:15]
    return scores


if __name__ == "__main__":
    main()
