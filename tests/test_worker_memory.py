"""What a web worker loads: nothing big that only some rare request needs (issue 17,
docs/performance.md "Worker memory")."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Once every URL module is imported, as in a gunicorn worker after its first request.
WORKER = """
import sys
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver
get_wsgi_application()
get_resolver().url_patterns
print("confusable_homoglyphs.confusables" in sys.modules)
from accounts.validators import validate_username_lookalikes
validate_username_lookalikes("alice")
print("confusable_homoglyphs.confusables" in sys.modules)
"""


def test_the_username_look_alike_tables_load_only_when_a_username_is_checked():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    result = subprocess.run(
        [sys.executable, "-c", WORKER],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "asrhub.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["False", "True"], result.stderr
