"""Mail and job settings from the environment fail loudly on bad values."""

from tests.test_settings import PRODUCTION, manage


def test_it_refuses_both_starttls_and_implicit_tls():
    result = manage("check", **PRODUCTION, EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    assert "Set at most one of EMAIL_USE_TLS and EMAIL_USE_SSL" in result.stderr


def test_it_refuses_an_unknown_task_backend():
    result = manage("check", **PRODUCTION, ASRHUB_TASKS_BACKEND="celery")
    assert "ASRHUB_TASKS_BACKEND must be one of ['database', 'immediate']" in result.stderr


def test_the_database_task_backend_passes_the_checks():
    result = manage("check", **PRODUCTION, ASRHUB_TASKS_BACKEND="database")
    assert result.returncode == 0, result.stderr
