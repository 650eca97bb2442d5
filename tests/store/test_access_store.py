"""Access tables: API tokens stored hashed, revocation, one-time sign-in links, the JWT replay cache.

Requirements from issue 9 ("stored hashed", "single use across workers", "jti not replayed"); the
hash is SHA-256 (FIPS 180-4) of a 256-bit random secret (NIST SP 800-63B: a random secret of at
least 112 bits needs no slow hash). Two ``AccessStore`` objects on one SQLite file stand for two
worker processes: each has its own engine and connections.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from micromets.store import Store
from micromets.store.access import TOKEN_PREFIX, AccessStore


@pytest.fixture
def access() -> Iterator[AccessStore]:
    with AccessStore.in_memory() as store:
        yield store


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def _all_text(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as connection:
        tables = [row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))]
        dump = "\n".join(str(row) for table in tables for row in connection.execute(text(f"SELECT * FROM {table}")))
    engine.dispose()
    return dump


def test_a_token_is_random_shown_once_and_stored_only_as_its_hash(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    with AccessStore(url) as access:
        token, secret = access.create_token("write", name="lab import")
        _, other = access.create_token("write", name="lab import")
    assert secret.startswith(TOKEN_PREFIX) and secret != other
    assert len(secret) - len(TOKEN_PREFIX) >= 43  # 32 random bytes in base64url
    dump = _all_text(url)
    assert secret not in dump and secret[len(TOKEN_PREFIX):] not in dump
    assert hashlib.sha256(secret.encode()).hexdigest() in dump
    assert (token.id, token.scope, token.name, token.revoked_at) == (1, "write", "lab import", None)
    assert "secret" not in token.model_dump() and secret not in repr(token)


def test_authenticate_and_revoke(access: AccessStore) -> None:
    token, secret = access.create_token("read")
    assert access.authenticate(secret) == token
    for wrong in (secret[:-1], secret + "x", secret.upper(), "", TOKEN_PREFIX, secret[len(TOKEN_PREFIX):]):
        assert access.authenticate(wrong) is None
    revoked = access.revoke(token.id)
    assert revoked is not None and revoked.revoked_at is not None
    assert access.authenticate(secret) is None
    assert access.revoke(token.id) == revoked  # revoking again changes nothing
    assert access.revoke(999) is None and access.revoke(0) is None and access.revoke(2**70) is None
    assert [t.id for t in access.tokens()] == [token.id]


@pytest.mark.parametrize("scope", ["", "READ", "superuser", "read write"])
def test_only_the_three_scopes(access: AccessStore, scope: str) -> None:
    with pytest.raises(ValueError, match="scope"):
        access.create_token(scope)


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "line\nbreak", "tab\there"])
def test_token_names_are_short_printable_text(access: AccessStore, name: str) -> None:
    with pytest.raises(ValueError, match="name"):
        access.create_token("read", name=name)


def test_a_revocation_reaches_every_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    with AccessStore(url) as first, AccessStore(url) as second:
        token, secret = first.create_token("admin")
        assert second.authenticate(secret) == token
        second.revoke(token.id)
        assert first.authenticate(secret) is None


def test_the_access_tables_live_beside_the_audit_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    with Store(url), AccessStore(url) as access:
        access.create_token("read")
    engine = create_engine(url)
    with engine.connect() as connection:
        names = {row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    engine.dispose()
    assert {"assessments", "alembic_version", "api_tokens", "login_tokens", "cds_seen_jti"} <= names


def test_a_sign_in_link_works_once() -> None:
    clock = Clock()
    with AccessStore("sqlite://", clock=clock) as access:
        link = access.create_login_token(name="Dr A")
        assert access.consume_login_token(link) == "Dr A"
        assert access.consume_login_token(link) is None
        assert access.consume_login_token("") is None and access.consume_login_token("x" * 300) is None


def test_a_sign_in_link_expires() -> None:
    clock = Clock()
    with AccessStore("sqlite://", clock=clock) as access:
        link = access.create_login_token(ttl=dt.timedelta(minutes=60))
        clock.now += dt.timedelta(minutes=60)
        assert access.consume_login_token(link) is None
        fresh = access.create_login_token(ttl=dt.timedelta(minutes=60))
        clock.now += dt.timedelta(minutes=59)
        assert access.consume_login_token(fresh) == "web"


def test_a_sign_in_link_is_used_once_by_concurrent_workers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    workers = [AccessStore(url) for _ in range(4)]
    try:
        for _ in range(5):
            link = workers[0].create_login_token()
            with ThreadPoolExecutor(max_workers=8) as pool:
                results = list(pool.map(lambda i, link=link: workers[i % 4].consume_login_token(link), range(16)))
            assert sum(result is not None for result in results) == 1, results
    finally:
        for worker in workers:
            worker.close()


def test_the_sign_in_secret_is_not_stored(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    with AccessStore(url) as access:
        link = access.create_login_token()
    assert link not in _all_text(url)


def test_a_jti_is_accepted_once_until_it_expires() -> None:
    clock = Clock()
    with AccessStore("sqlite://", clock=clock) as access:
        expires = clock.now + dt.timedelta(minutes=5)
        assert access.remember_jti("https://ehr.example.org", "abc", expires)
        assert not access.remember_jti("https://ehr.example.org", "abc", expires)
        assert access.remember_jti("https://other.example.org", "abc", expires)  # another issuer's id
        clock.now += dt.timedelta(minutes=6)  # the JWT has expired: the entry may go
        assert access.remember_jti("https://ehr.example.org", "abc", clock.now + dt.timedelta(minutes=5))


def test_a_jti_replay_is_caught_across_workers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    with AccessStore(url) as first, AccessStore(url) as second:
        assert first.remember_jti("iss", "one", expires)
        assert not second.remember_jti("iss", "one", expires)


def test_concurrent_uses_of_one_jti_let_exactly_one_through(tmp_path: Path) -> None:
    """The replay cache under concurrent calls from two workers: each id is accepted once, whatever the batching."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    with AccessStore(url) as first, AccessStore(url) as second:
        futures = [store.remember_jti_later("iss", f"id-{i % 10}", expires) for i in range(100) for store in (first, second)]
        results = [future.result(timeout=60) for future in futures]
    assert sum(results) == 10


def test_access_tables_made_before_their_migration_are_kept(tmp_path: Path) -> None:
    """Development builds created the access tables with create_all before revision 0003 existed: upgrading such a
    database keeps them (and their rows) instead of failing with 'table already exists'."""
    from alembic import command

    from micromets.store.db import ApiTokenRow, LoginTokenRow, SeenJtiRow
    from micromets.store.migrate import config, current, head, upgrade

    engine = create_engine(f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    with engine.begin() as connection:
        command.upgrade(config(connection), "0002")
        for row in (ApiTokenRow, LoginTokenRow, SeenJtiRow):
            row.__table__.create(connection)  # type: ignore[attr-defined]
        connection.execute(text("INSERT INTO login_tokens (secret_sha256, name, expires_at) "
                                "VALUES ('x', 'kept', '2099-01-01 00:00:00')"))
    assert upgrade(engine) == head() == current(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM login_tokens")).scalar() == "kept"
    engine.dispose()


# Credential lifetime: token expiry and signed-out sessions. An expiry is the instant from which the
# credential is refused, as JWT "exp" (RFC 7519 section 4.1.4: "on or after which the JWT MUST NOT be accepted").


def test_a_token_works_until_its_expiry_and_not_from_then_on(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    with AccessStore("sqlite://", clock=clock) as access:
        token, secret = access.create_token("write", lifetime=dt.timedelta(days=30))
        assert token.expires_at == clock.now + dt.timedelta(days=30)
        clock.now += dt.timedelta(days=30) - dt.timedelta(seconds=1)
        assert access.authenticate(secret) is not None
        clock.now += dt.timedelta(seconds=1)
        assert access.authenticate(secret) is None
        assert [t.expired(clock.now) for t in access.tokens()] == [True]  # still listed
    # The operator learns why the client is refused (the client does not); the log never holds the secret.
    assert any(f"API token {token.id} refused: it expired" in r.getMessage() for r in caplog.records)
    assert secret not in caplog.text


def test_a_new_token_expires_after_90_days_by_default() -> None:
    clock = Clock()
    with AccessStore("sqlite://", clock=clock) as access:
        token, secret = access.create_token("read")
        assert token.expires_at == clock.now + dt.timedelta(days=90)
        clock.now += dt.timedelta(days=90)
        assert access.authenticate(secret) is None


@pytest.mark.parametrize("lifetime", [dt.timedelta(0), dt.timedelta(seconds=-1), dt.timedelta(days=367)])
def test_a_token_lifetime_is_positive_and_at_most_366_days(access: AccessStore, lifetime: dt.timedelta) -> None:
    with pytest.raises(ValueError, match="lifetime"):
        access.create_token("read", lifetime=lifetime)
    assert access.tokens() == []


def test_tokens_from_before_expiries_keep_working_and_show_no_expiry(tmp_path: Path) -> None:
    """A database at revision 0003 (tokens had no expiry) upgraded to the head: its tokens keep working, with
    ``expires_at`` None, which ``micromets token list`` shows as "no expiry"."""
    from alembic import command

    from micromets.store.migrate import config, upgrade

    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    secret = TOKEN_PREFIX + "made-before-expiries-existed-0123456789abcdef"
    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(config(connection), "0003")
        connection.execute(text("INSERT INTO api_tokens (name, scope, secret_sha256, created_at) "
                                "VALUES ('old lab', 'write', :digest, '2026-01-01 00:00:00')"),
                           {"digest": hashlib.sha256(secret.encode()).hexdigest()})
    upgrade(engine)
    engine.dispose()
    with AccessStore(url) as access:
        token = access.authenticate(secret)
        assert token is not None and token.name == "old lab" and token.expires_at is None
        assert [t.expires_at for t in access.tokens()] == [None]
        access.create_token("write")
        assert access.tokens()[1].expires_at is not None


def test_a_signed_out_session_is_refused_by_every_worker_until_it_expires(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    clock = Clock()
    with AccessStore(url, clock=clock) as first, AccessStore(url, clock=clock) as second:
        assert not second.session_revoked("sid-1")
        first.revoke_session("sid-1", clock.now + dt.timedelta(hours=12))
        first.revoke_session("sid-1", clock.now + dt.timedelta(hours=12))  # twice: no error
        assert second.session_revoked("sid-1") and not second.session_revoked("sid-2")
        clock.now += dt.timedelta(hours=12)  # the cookie has expired: its record may go
        second.revoke_session("sid-2", clock.now + dt.timedelta(hours=1))
        assert not first.session_revoked("sid-1") and first.session_revoked("sid-2")
    assert "sid-2" not in _all_text(url)  # only its hash is kept


def test_a_failing_session_lookup_is_a_store_error(tmp_path: Path) -> None:
    """The sign-out check reads through a driver connection: its errors still come out as StoreError (the web app
    then refuses the request with a 503 instead of letting the cookie through)."""
    from micromets.store import StoreError

    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    with AccessStore(url) as access:
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE revoked_sessions"))
        engine.dispose()
        with pytest.raises(StoreError, match="access tables"):
            access.session_revoked("sid")


def test_signing_out_everywhere_ends_every_session_of_that_account_only(tmp_path: Path) -> None:
    """OWASP Session Management Cheat Sheet: the user can close all active sessions. A session remembers the
    account's generation it was opened at; ``end_sessions`` moves it on, seen by every worker."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    with AccessStore(url) as first, AccessStore(url) as second:
        assert first.session_generation("alice") == 0
        assert not second.session_revoked("sid-a", "alice", 0)
        assert first.end_sessions("alice") == 1
        assert second.session_revoked("sid-a", "alice", 0)  # opened before: ended
        assert not second.session_revoked("sid-b", "bob", 0)  # another account: untouched
        assert second.session_generation("alice") == 1
        assert not second.session_revoked("sid-c", "alice", 1)  # opened after: works
        assert second.end_sessions("alice") == 2 and first.session_revoked("sid-c", "alice", 1)
        _, secret = first.create_token("read", name="alice")  # API tokens are separate credentials
        assert second.authenticate(secret) is not None


def test_looking_at_a_sign_in_link_does_not_use_it_up(access: AccessStore) -> None:
    """The confirmation page names the link's account before anything is used up (RFC 9110 section 9.2.1: GET
    is safe)."""
    link = access.create_login_token(name="Dr A")
    assert access.login_token_name(link) == access.login_token_name(link) == "Dr A"
    assert access.consume_login_token(link) == "Dr A"
    assert access.login_token_name(link) is None
    expired = access.create_login_token(name="Dr B", ttl=dt.timedelta(seconds=-1))
    assert access.login_token_name(expired) is None and access.login_token_name("") is None
    assert access.login_token_name("x" * 300) is None


def test_concurrent_sign_outs_everywhere_all_count(db_url: str) -> None:
    """Four workers signing one account out everywhere at once, the first time: none fails (no primary-key clash
    on the account's first row) and every one moves the generation on."""
    workers = [AccessStore(db_url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            generations = list(pool.map(lambda i: workers[i % 4].end_sessions("alice"), range(16)))
        assert sorted(generations) == list(range(1, 17))
        assert workers[0].session_generation("alice") == 16
    finally:
        for worker in workers:
            worker.close()
