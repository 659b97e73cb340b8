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
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "lighthouse"
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


def wait_until_up(port: int) -> None:
    for _ in range(120):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--output", type=Path, help="write the JSON report here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="asrhub-lighthouse-"))
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "lighthouse-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Served over plain HTTP on localhost, which browsers treat as a secure context.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "WEB_CONCURRENCY": "2",
        "PORT": str(args.port),
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }
    python = sys.executable
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["load_catalogue", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)
    picked = subprocess.run(
        [python, "manage.py", "shell", "-c", PICK],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    urls = json.loads(picked.stdout.strip().splitlines()[-1])
    pages = {
        "home": "/",
        "search": "/resources/?q=whisper&kind=repository",
        "resource": urls["resource"],
    }
    if urls["pack"]:
        pages["pack"] = urls["pack"]

    binary = lighthouse_binary()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py", "asrhub.wsgi"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    scores: dict[str, dict[str, int]] = {}
    try:
        wait_until_up(args.port)
        for name, path in pages.items():
            report = work / f"{name}.json"
            command = [
                str(binary),
                f"http://127.0.0.1:{args.port}{path}",
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
                "--disable-background-networking --disable-component-update --disable-sync",
            ]
            lighthouse_env = {
                **env,
                "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
            }
            # Lighthouse sometimes loses the trace (NO_NAVSTART): try a page up to 3 times.
            for _attempt in range(3):
                if subprocess.run(command, env=lighthouse_env, check=False).returncode == 0:
                    break
            else:
                scores[name] = {"error": "Lighthouse failed three times"}  # type: ignore[dict-item]
                continue
            data = json.loads(report.read_text())
            scores[name] = {
                category: round(data["categories"][category]["score"] * 100)
                for category in CATEGORIES
            }
            failing = [
                audit["id"]
                for audit in data["audits"].values()
                if audit.get("score") is not None
                and audit["score"] < 1
                and audit.get("scoreDisplayMode") in {"binary", "numeric"}
            ]
            scores[name]["path"] = path  # type: ignore[assignment]
            scores[name]["below_1"] = failing[:15]  # type: ignore[assignment]
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    output = json.dumps(scores, indent=2)
    print(output)
    if args.output:
        args.output.write_text(output)


if __name__ == "__main__":
    main()
