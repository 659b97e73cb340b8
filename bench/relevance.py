"""Search relevance: hit@1, hit@3 and MRR of tests/search/relevance.yaml.

    .venv/bin/python bench/relevance.py                        # a fresh SQLite database
    .venv/bin/python bench/relevance.py --database-url postgres://postgres@127.0.0.1:5432/asrhub_rel
    .venv/bin/python bench/relevance.py --database-url ... --skip-prepare   # reuse it

Each query goes through the real view (``/resources/?q=...``, Django's full request
handling) against a database holding the real catalogue (``migrate`` and
``load_catalogue``, unless ``--skip-prepare``), and the slugs of the first page are
scored against the expected entries:

- **hit@1**: the first result is one of the expected entries;
- **hit@3**: one of them is within the first three;
- **MRR**: the mean of 1 / (rank of the best-placed expected entry), 0 when none is in
  the first ten.

A case with ``top: 1`` passes when it is a hit@1, one with ``top: 3`` when it is a
hit@3. tests/search/test_relevance.py fails when hit@3 < 0.9 or MRR < 0.8.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "search" / "relevance.yaml"
DEPTH = 10
BAR = {"hit@3": 0.9, "mrr": 0.8}


def load_cases(path: Path = CASES) -> list[dict]:
    import yaml

    return yaml.safe_load(path.read_text())


def score(cases: list[dict], results: dict[str, list[str]]) -> dict:
    """hit@1, hit@3, MRR and the cases that missed, from each query's ranked slugs."""
    hit1 = hit3 = reciprocal = 0.0
    misses = []
    for case in cases:
        ranked = results[case["q"]][:DEPTH]
        places = [ranked.index(slug) + 1 for slug in case["expect"] if slug in ranked]
        best = min(places, default=None)
        hit1 += best == 1
        hit3 += best is not None and best <= 3
        reciprocal += 1 / best if best else 0.0
        if best is None or best > case["top"]:
            misses.append({"q": case["q"], "expect": case["expect"], "got": ranked[:5]})
    n = len(cases)
    return {
        "queries": n,
        "hit@1": round(hit1 / n, 3),
        "hit@3": round(hit3 / n, 3),
        "mrr": round(reciprocal / n, 3),
        "passed": n - len(misses),
        "misses": misses,
    }


def ranked_slugs(client, q: str) -> list[str]:
    """The slugs of the first page of ``/resources/?q=...``, in the page's order."""
    response = client.get("/resources/", {"q": q}, secure=True)
    assert response.status_code == 200, (q, response.status_code)
    return [resource.slug for resource in response.context["page_obj"].object_list]


def evaluate(client, cases: list[dict] | None = None) -> dict:
    cases = load_cases() if cases is None else cases
    return score(cases, {case["q"]: ranked_slugs(client, case["q"]) for case in cases})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--skip-prepare", action="store_true")
    args = parser.parse_args()
    database_url = args.database_url
    if not database_url:
        path = Path(tempfile.mkdtemp()) / "relevance.sqlite3"
        database_url = f"sqlite:///{path}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "asrhub.settings",
        "REDIS_URL": "",
    }
    if database_url.startswith("postgres") and not args.skip_prepare:
        name = database_url.rsplit("/", 1)[1]
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name])
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    if not args.skip_prepare:
        for command in (["migrate", "--noinput", "-v0"], ["load_catalogue", "-v0"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # response.context
    client = Client(HTTP_HOST="127.0.0.1", headers={"X-Forwarded-Proto": "https"})
    report = {"database": database_url.split(":")[0], **evaluate(client)}
    print(json.dumps(report, indent=2))
    ok = report["hit@3"] >= BAR["hit@3"] and report["mrr"] >= BAR["mrr"]
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
