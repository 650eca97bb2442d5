"""``micromets token``: create prints the token once as the last line of stdout; list never shows
secrets; revoke; login-url prints a one-time sign-in link (issue 9, "Access control")."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from micromets.cli import app
from micromets.store.access import TOKEN_PREFIX, AccessStore

runner = CliRunner()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'audit.sqlite3'}"


def _create(db_url: str, *args: str) -> str:
    result = runner.invoke(app, ["token", "create", "--db-url", db_url, *args])
    assert result.exit_code == 0, result.output
    return result.stdout.rstrip("\n").splitlines()[-1]


def test_create_prints_the_token_last_and_it_authenticates(db_url: str) -> None:
    secret = _create(db_url, "--scope", "write", "--name", "lab import")
    assert secret.startswith(TOKEN_PREFIX) and " " not in secret
    with AccessStore(db_url) as access:
        token = access.authenticate(secret)
    assert token is not None and (token.scope, token.name) == ("write", "lab import")


def test_list_shows_tokens_without_secrets_and_revoke_marks_them(db_url: str) -> None:
    first = _create(db_url, "--scope", "read", "--name", "dashboard")
    second = _create(db_url, "--scope", "admin")
    listed = runner.invoke(app, ["token", "list", "--db-url", db_url])
    assert listed.exit_code == 0
    assert "dashboard" in listed.stdout and "unnamed" in listed.stdout and "active" in listed.stdout
    assert first not in listed.stdout and second not in listed.stdout and TOKEN_PREFIX not in listed.stdout
    revoked = runner.invoke(app, ["token", "revoke", "1", "--db-url", db_url])
    assert revoked.exit_code == 0 and "Revoked API token 1" in revoked.stdout
    assert "revoked" in runner.invoke(app, ["token", "list", "--db-url", db_url]).stdout
    with AccessStore(db_url) as access:
        assert access.authenticate(first) is None and access.authenticate(second) is not None


def test_revoking_an_unknown_token_is_an_error(db_url: str) -> None:
    result = runner.invoke(app, ["token", "revoke", "42", "--db-url", db_url])
    assert result.exit_code == 2 and "no API token 42" in result.stderr


@pytest.mark.parametrize("args", [["--scope", "root"], [], ["--scope", "read", "--name", ""]])
def test_bad_create_arguments(db_url: str, args: list[str]) -> None:
    assert runner.invoke(app, ["token", "create", "--db-url", db_url, *args]).exit_code == 2


def test_an_empty_list(db_url: str) -> None:
    result = runner.invoke(app, ["token", "list", "--db-url", db_url])
    assert result.exit_code == 0 and "No API tokens" in result.stdout


def test_login_url_prints_a_one_time_link(db_url: str) -> None:
    result = runner.invoke(app, ["token", "login-url", "--url", "http://127.0.0.1:8080/", "--db-url", db_url])
    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert link.startswith("http://127.0.0.1:8080/?token=")
    with AccessStore(db_url) as access:
        assert access.consume_login_token(link.split("token=", 1)[1]) == "web"
    bad = runner.invoke(app, ["token", "login-url", "--url", "ftp://x", "--db-url", db_url])
    assert bad.exit_code == 2


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["token", "list", "--db-url", "postgresql+nosuchdriver://x/y"])
    assert result.exit_code == 2 and "cannot open" in result.stderr


def test_create_takes_a_lifetime_and_list_shows_the_expiry(db_url: str) -> None:
    import datetime as dt

    before = dt.datetime.now(dt.UTC)
    secret = _create(db_url, "--scope", "read", "--expires-in", "12h")
    with AccessStore(db_url) as access:
        token = access.authenticate(secret)
    assert token is not None and token.expires_at is not None
    assert dt.timedelta(hours=12) <= token.expires_at - before < dt.timedelta(hours=12, minutes=1)
    listed = runner.invoke(app, ["token", "list", "--db-url", db_url])
    assert f"{token.expires_at:%Y-%m-%d %H:%M}" in listed.stdout and "active" in listed.stdout


def test_list_marks_expired_tokens_and_tokens_without_expiry(db_url: str) -> None:
    import datetime as dt

    from sqlalchemy import create_engine, text

    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=100)
    with AccessStore(db_url, clock=lambda: long_ago) as access:
        access.create_token("write", name="old import")  # 90 days from 100 days ago: expired
    with AccessStore(db_url) as access:
        legacy, _ = access.create_token("read", name="legacy")
    engine = create_engine(db_url)
    with engine.begin() as connection:  # as a token created before expiries existed (revision 0004) is
        connection.execute(text("UPDATE api_tokens SET expires_at = NULL WHERE id = :id"), {"id": legacy.id})
    engine.dispose()
    listed = runner.invoke(app, ["token", "list", "--db-url", db_url])
    lines = {line.split()[-1]: line for line in listed.stdout.splitlines()[1:]}
    assert "expired" in lines["import"] and "active" not in lines["import"]
    assert "no expiry" in lines["legacy"] and "active" in lines["legacy"]
    assert "replace them" in listed.stderr


@pytest.mark.parametrize("lifetime", ["90", "0d", "367d", "1y", "-5d", "1.5d", ""])
def test_bad_lifetimes_are_refused(db_url: str, lifetime: str) -> None:
    result = runner.invoke(app, ["token", "create", "--scope", "read", "--expires-in", lifetime, "--db-url", db_url])
    assert result.exit_code == 2 and "error:" in result.stderr
    with AccessStore(db_url) as access:
        assert access.tokens() == []
