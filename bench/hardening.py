"""Re-probe the hardening of issue 16 against a production-mode gunicorn.

    .venv/bin/python bench/hardening.py
    .venv/bin/python bench/hardening.py --database-url postgres://…/asrhub_x --redis-url ''

Prepares a PostgreSQL database (migrate, a few members, packs and entries), starts
gunicorn with ``deploy/gunicorn.conf.py`` and ``DJANGO_DEBUG=0`` as ``bench/load.py``
does, with ``AXES_PROXY_COUNT=1`` and ``FORWARDED_ALLOW_IPS=127.0.0.1``: this script
plays the one trusted proxy (it connects from 127.0.0.1, sends ``X-Forwarded-Proto:
https`` and appends the "client" address to ``X-Forwarded-For``). Where a probe needs
an untrusted peer it connects to the machine's own non-loopback address.

Each probe prints one line, ``PASS`` or ``FAIL``, with what was measured; a JSON
summary follows. The exit status is 1 if any probe failed. The slow-client probe only
measures (gunicorn's sync/gthread workers need the buffering proxy docs/deploy.md
requires); it does not count as a failure.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import _harness as harness

HOST = harness.HOST

PASSWORD = "a-Long-bench-passw0rd"  # noqa: S105 - a throw-away bench account

PREPARE = """
import json
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from accounts.models import User, StarterPack, PackItem, Follow
from catalogue.models import Resource

PASSWORD = %r
StarterPack.objects.filter(owner__username__in=["h-alice", "h-bob"]).delete()
User.objects.filter(username__startswith="h-").delete()
User.objects.filter(username__in=["poe", "\\u0440\\u043e\\u0435"]).delete()
alice = User.objects.create_user("h-alice", "h-alice@example.org", PASSWORD)
bob = User.objects.create_user("h-bob", "h-bob@example.org", PASSWORD)
viewer = User.objects.create_user("h-viewer", "h-viewer@example.org", PASSWORD, is_staff=True)
for model in ("resource", "event", "starterpack"):
    viewer.user_permissions.add(Permission.objects.get(codename=f"view_{model}"))
User.objects.create_superuser("h-curator", "h-curator@example.org", PASSWORD)
User.objects.create_user("poe", "poe@example.org", PASSWORD)
resources = []
for n in range(8):
    resource, _ = Resource.objects.update_or_create(
        slug=f"hardening-{n}",
        defaults={"title": f"Hardening {n}", "kind": "blog", "url": f"https://example.org/{n}",
                  "summary": "A probe.", "is_published": True, "is_featured": False,
                  "feed_url": f"https://example.org/{n}.xml"},
    )
    resources.append(resource)
Follow.objects.create(user=alice, resource=resources[0])
busy = StarterPack.objects.create(owner=alice, title="Busy", slug="busy", visibility="public")
for n, resource in enumerate(resources):
    PackItem.objects.create(pack=busy, resource=resource, position=n)
unlisted = StarterPack.objects.create(
    owner=alice, title="Secret plans", slug="unlisted-7f3a", visibility="unlisted")
PackItem.objects.create(pack=unlisted, resource=resources[1], position=0)
private = StarterPack.objects.create(
    owner=alice, title="Private", slug="private-9c1d", visibility="private")
tricky = StarterPack.objects.create(
    owner=alice, slug="tricky", visibility="public",
    title="**Pwned** [click](javascript:alert(1))")
PackItem.objects.create(pack=tricky, position=0, external_title="Invoice",
                        external_url="https://example.org/\\u202egpj.exe")
print(json.dumps({
    "alice_token": alice.feed_token,
    "busy_items": [i.pk for i in busy.items.order_by("position")],
    "resource_pk": resources[2].pk,
    "pack_ct": ContentType.objects.get_for_model(StarterPack).pk,
    "private_pk": private.pk,
}))
"""

STATE = """
import json
from catalogue.models import Resource
from accounts.models import PackItem, StarterPack
r = Resource.objects.get(slug="hardening-2")
busy = StarterPack.objects.get(owner__username="h-alice", slug="busy")
print(json.dumps({"published": r.is_published, "featured": r.is_featured,
  "positions": sorted(busy.items.values_list("position", flat=True))}))
"""


def machine_address() -> str | None:
    """This machine's non-loopback address (no packet is sent), or None."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


class Browser:
    """One client behind the proxy: keeps cookies, speaks through the proxy's headers."""

    def __init__(self, port: int, client_address: str, *, peer: str = HOST, proxy: bool = True):
        self.port, self.client_address, self.peer, self.proxy = port, client_address, peer, proxy
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection(self.peer, self.port, timeout=30)
        sent = {"Host": HOST, **(headers or {})}
        if self.proxy:
            sent["X-Forwarded-Proto"] = "https"
            sent["X-Forwarded-For"] = sent.pop("X-Forwarded-For-Prefix", "") + self.client_address
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            sent.setdefault("Origin", f"https://{HOST}")
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read()
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, response, content.decode("utf-8", "replace")

    def get(self, path: str, **headers):
        return self.request("GET", path, headers=headers)

    def post(self, path: str, fields: dict, form_page: str | None = None, **headers):
        """POST a form with the CSRF token read from ``form_page`` (default: ``path``)."""
        _, _, page = self.get(form_page or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = {"csrfmiddlewaretoken": token.group(1) if token else "", **fields}
        body = urlencode(data).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
        return self.request("POST", path, body=body, headers=headers)

    def log_in(self, username: str, password: str):
        return self.post("/accounts/login/", {"username": username, "password": password})


class Report:
    def __init__(self) -> None:
        self.results: list[dict] = []

    def check(self, name: str, passed: bool, measured) -> None:
        self.results.append({"probe": name, "passed": passed, "measured": measured})
        print(f"{'PASS' if passed else 'FAIL'}  {name}: {measured}", flush=True)

    def note(self, name: str, measured) -> None:
        self.results.append({"probe": name, "passed": None, "measured": measured})
        print(f"INFO  {name}: {measured}", flush=True)


def raw_exchange(port: int, head: bytes, body_chunks, *, peer: str = HOST) -> tuple[str, float]:
    """Send a request by hand; returns the status line and the seconds until it came."""
    started = time.perf_counter()
    with socket.create_connection((peer, port), timeout=20) as sock:
        sock.sendall(head)
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except OSError:
            pass  # the server answered and closed while we were still sending
        data = b""
        try:
            while b"\r\n" not in data:
                piece = sock.recv(4096)
                if not piece:
                    break
                data += piece
        except OSError:
            pass
    return data.split(b"\r\n", 1)[0].decode("latin-1"), time.perf_counter() - started


def probe_body_limit(report: Report, port: int, spool: Path) -> None:
    declared = 300 * 1024 * 1024
    head = (
        f"POST /accounts/login/ HTTP/1.1\r\nHost: {HOST}\r\nX-Forwarded-Proto: https\r\n"
        f"X-Forwarded-For: 198.51.100.200\r\n"
        f"Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: {declared}\r\n\r\n"
    ).encode()
    part = b'--xyz\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\n'
    chunks = [part] + [b"\0" * (1024 * 1024)] * 8  # send 8 MB of the 300 MB
    status, seconds = raw_exchange(port, head, chunks)
    spooled = sorted(p.name for p in spool.iterdir())
    report.check(
        "300 MB anonymous multipart POST to /accounts/login/",
        status.split(" ")[1:2] == ["413"] and not spooled,
        f"{status!r} after {seconds:.2f} s; files in the workers' TMPDIR: {len(spooled)}",
    )


def probe_nul(report: Report, port: int, token: str) -> None:
    member = Browser(port, "198.51.100.30")
    member.log_in("h-alice", PASSWORD)
    paths = [
        "/packs/?q=%00", "/members/%00/", "/u/%00/feed.atom", "/u/%00/following.opml",
        "/u/%00/calendar.ics", "/packs/%00/x/pack.md", "/me/feed/?resource=%00",
        "/resources/?q=%00", f"/u/{token}/feed.atom?x=%00",
    ]  # fmt: skip
    statuses = {path: member.get(path)[0] for path in paths}
    forms = {
        "pack form": member.post("/me/packs/", {"title": "a\x00b", "visibility": "private"})[0],
        "login username": Browser(port, "198.51.100.31").log_in("h-alice\x00", "x")[0],
        "signup username": Browser(port, "198.51.100.32").post(
            "/accounts/signup/",
            {"username": "eve\x00", "email": "eve@example.org",
             "password1": PASSWORD, "password2": PASSWORD},
        )[0],
    }  # fmt: skip
    report.check(
        "NUL in addresses and forms answers 400 (never 500)",
        all(s == 400 for s in [*statuses.values(), *forms.values()]),
        {**statuses, **forms},
    )


def probe_lockout(report: Report, port: int) -> None:
    attacker = Browser(port, "203.0.113.9")
    tries = [attacker.log_in("h-bob", "wrong")[0] for _ in range(5)]
    right = attacker.log_in("h-bob", PASSWORD)[0]
    forged = Browser(port, "203.0.113.9")
    forged_status = forged.request(
        "GET", "/accounts/login/", headers={"X-Forwarded-For-Prefix": "192.0.2.77, "}
    )[0]
    forged_login = forged.post(
        "/accounts/login/",
        {"username": "h-bob", "password": PASSWORD},
        **{"X-Forwarded-For-Prefix": "192.0.2.77, "},
    )[0]
    owner = Browser(port, "198.51.100.7").log_in("h-bob", PASSWORD)[0]
    report.check(
        "five failures lock the client address (real one, via the proxy), not the member",
        tries[:4] == [200] * 4 and tries[4] == 429 and right == 429
        and forged_login == 429 and owner == 302,
        {"failures": tries, "same client, right password": right,
         "same client, forged X-Forwarded-For": (forged_status, forged_login),
         "owner from another client": owner},
    )  # fmt: skip


def probe_username_throttle(report: Report, port: int) -> None:
    owner = Browser(port, "198.51.100.8")
    first = owner.log_in("h-alice", PASSWORD)[0]
    owner.post("/accounts/logout/", {}, form_page="/")
    spread = [Browser(port, f"203.0.113.{20 + n}").log_in("h-alice", "wrong")[0] for n in range(10)]
    slot = Browser(port, "203.0.113.40").log_in("h-alice", "wrong")[0]
    throttled = Browser(port, "203.0.113.41").log_in("h-alice", PASSWORD)[0]
    known = owner.log_in("h-alice", PASSWORD)[0]
    report.check(
        "guesses from many addresses are throttled per username; the owner still gets in",
        first == 302 and spread == [200] * 10 and slot == 200 and throttled == 429
        and known == 302,
        {"owner first login": first, "10 failures from 10 addresses": spread,
         "next try (the interval's one)": slot, "right password, new address": throttled,
         "owner's own browser": known},
    )  # fmt: skip


def probe_reset(report: Report, port: int, mail_log: Path) -> None:
    before = mail_log.read_text(errors="replace").count("Subject: ")
    client = Browser(port, "198.51.100.50")
    statuses = [
        client.post("/accounts/password/reset/", {"email": "h-alice@example.org"})[0]
        for _ in range(5)
    ]
    time.sleep(1)
    sent = mail_log.read_text(errors="replace").count("Subject: ") - before
    flood = [
        Browser(port, "198.51.100.51").post(
            "/accounts/password/reset/", {"email": f"nobody{n}@example.org"}
        )[0]
        for n in range(10)
    ]
    report.check(
        "password reset throttled (per address silently, per client 429)",
        statuses == [302] * 5 and sent == 3 and flood[-1] == 429,
        {"5 requests for one address": statuses, "mails sent": sent, "10 from one client": flood},
    )


def probe_admin(report: Report, port: int, data: dict, env: dict) -> None:
    viewer = Browser(port, "198.51.100.60")
    viewer.log_in("h-viewer", PASSWORD)
    _, _, page = viewer.get("/admin/catalogue/resource/")
    offered = sorted(set(re.findall(r'<option value="([a-z_]+)"', page)) - {""})
    posted = viewer.post(
        "/admin/catalogue/resource/",
        {"action": "unpublish", "_selected_action": data["resource_pk"], "index": "0"},
        form_page="/admin/catalogue/resource/",
    )[0]
    viewer.post(
        "/admin/catalogue/resource/",
        {"action": "feature", "_selected_action": data["resource_pk"], "index": "0"},
        form_page="/admin/catalogue/resource/",
    )
    state = harness.shell_json(STATE, env)
    report.check(
        "view-only staff are not offered data-changing actions and cannot POST them",
        not ({"publish", "unpublish", "feature", "fetch_now"} & set(offered))
        and state["published"] and not state["featured"],
        {"actions offered": offered, "POST unpublish": posted,
         "resource still published": state["published"],
         "resource still not featured": not state["featured"]},
    )  # fmt: skip
    url = f"/admin/r/{data['pack_ct']}/{data['private_pk']}/"
    harness.manage(
        "shell", "-c",
        "from accounts.models import User; User.objects.filter(username='h-staff').delete(); "
        f"User.objects.create_user('h-staff', 'h-staff@example.org', {PASSWORD!r}, is_staff=True)",
        env=env,
    )  # fmt: skip
    staff = Browser(port, "198.51.100.64")
    staff.log_in("h-staff", PASSWORD)
    refused = staff.get(url)
    curator = Browser(port, "198.51.100.62")
    curator.log_in("h-curator", PASSWORD)
    allowed = curator.get(url)
    report.check(
        "/admin/r/… tells a private pack's address only to staff who may view packs",
        refused[0] == 404
        and "private-9c1d" not in refused[2] + refused[1].getheader("Location", "")
        and allowed[0] == 302 and "private-9c1d" in allowed[1].getheader("Location", ""),
        {"staff without pack permission": refused[0],
         "curator": (allowed[0], allowed[1].getheader("Location"))},
    )  # fmt: skip


def probe_deadlocks(report: Report, port: int, data: dict, env: dict) -> None:
    sessions = []
    for n in range(6):
        browser = Browser(port, f"198.51.100.{100 + n}")
        browser.log_in("h-alice", PASSWORD)
        sessions.append(browser)
    statuses: list[int] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        browser = sessions[n]
        _, _, page = browser.get("/packs/h-alice/busy/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        for step in range(60):
            item = data["busy_items"][(n + step) % len(data["busy_items"])]
            body = urlencode(
                {"csrfmiddlewaretoken": token, "direction": "up" if (n + step) % 2 else "down"}
            ).encode()
            status = browser.request(
                "POST",
                f"/packs/h-alice/busy/items/{item}/move/",
                body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )[0]
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    state = harness.shell_json(STATE, env)
    errors = sum(1 for s in statuses if s >= 500)
    report.check(
        "six sessions reorder one pack (360 moves): no deadlock",
        errors == 0 and len(statuses) == 360 and state["positions"] == list(range(8)),
        {"requests": len(statuses), "5xx": errors, "positions": state["positions"]},
    )


def probe_leaks(report: Report, port: int, token: str) -> None:
    bob = Browser(port, "198.51.100.70")
    bob.log_in("h-bob", PASSWORD)
    _, _, page = bob.get("/packs/h-alice/unlisted-7f3a/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    copied = bob.request(
        "POST", "/packs/h-alice/unlisted-7f3a/copy/",
        body=urlencode({"csrfmiddlewaretoken": csrf}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    copy_url = copied[1].getheader("Location", "")
    # Make the copy public through its edit form, as its owner would.
    edit = bob.post(
        copy_url + "edit/",
        {"title": "Secret plans", "description": "", "visibility": "public"},
    )[0]
    anonymous = Browser(port, "198.51.100.71")
    copy_page = anonymous.get(copy_url)
    listing = anonymous.get("/packs/")[2]
    report.check(
        "a public copy of an unlisted pack hides the original's address",
        copy_page[0] == 200 and "unlisted-7f3a" not in copy_page[2]
        and "unlisted-7f3a" not in listing,
        {"copy": copy_url, "edit": edit, "copy page": copy_page[0],
         "original's slug on copy page": "unlisted-7f3a" in copy_page[2],
         "original's slug on /packs/": "unlisted-7f3a" in listing},
    )  # fmt: skip
    new = Browser(port, "198.51.100.72")
    taken = new.post(
        "/accounts/signup/",
        {"username": "h-dave", "email": "h-alice@example.org",
         "password1": PASSWORD, "password2": PASSWORD},
    )  # fmt: skip
    report.check(
        "sign-up does not say an address already exists",
        taken[0] == 302 and "already" not in taken[2],
        {"status": taken[0], "says 'already'": "already" in taken[2]},
    )
    lookalikes = {}
    for name in ["h-\u0430lice", "\u0440\u043e\u0435", "p\u0430ypal"]:
        status, _, body = Browser(port, "198.51.100.73").post(
            "/accounts/signup/",
            {"username": name, "email": "x@example.org",
             "password1": PASSWORD, "password2": PASSWORD},
        )  # fmt: skip
        lookalikes[name.encode("unicode_escape").decode()] = (
            status,
            "looks like another one" in body,
        )
    report.check(
        "look-alike usernames refused",
        all(status == 200 and refused for status, refused in lookalikes.values()),
        lookalikes,
    )
    markdown = anonymous.get("/packs/h-alice/tricky/pack.md")[2]
    report.check(
        "pack.md escapes Markdown in titles and drops links with bidi controls",
        markdown.startswith("# \\*\\*Pwned\\*\\* \\[click\\]") and "\u202e" not in markdown
        and "- [Invoice](#)" in markdown,
        {"first line": markdown.splitlines()[0], "has U+202E": "\u202e" in markdown},
    )  # fmt: skip
    opml = anonymous.get(f"/u/{token}/following.opml")[1].getheader("Cache-Control")
    alice = Browser(port, "198.51.100.74")
    alice.log_in("h-alice", PASSWORD)
    me = {
        path: alice.get(path)[1].getheader("Cache-Control")
        for path in ["/me/bookmarks/", "/me/packs/", "/me/feed/", "/me/following/"]
    }
    report.check(
        "following.opml and every /me/* page are private",
        "private" in (opml or "") and "no-store" in (opml or "")
        and all("private" in (v or "") for v in me.values()),
        {"following.opml": opml, **me},
    )  # fmt: skip
    ebcdic = (
        '<?xml version="1.0" encoding="cp037"?>\n'
        '<!DOCTYPE opml [<!ENTITY a "https://evil.example/f.xml">]>\n'
        '<opml version="2.0"><body><outline xmlUrl="&a;"/></body></opml>'
    ).encode("cp037")
    _, _, page = alice.get("/me/following/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = (
        b'--xyz\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        + csrf.encode()
        + b'\r\n--xyz\r\nContent-Disposition: form-data; name="file"; filename="x.opml"\r\n'
        b"Content-Type: text/x-opml\r\n\r\n" + ebcdic + b"\r\n--xyz--\r\n"
    )
    status, response, _ = alice.request(
        "POST", "/me/following/import/", body=body,
        headers={"Content-Type": "multipart/form-data; boundary=xyz"},
    )  # fmt: skip
    after = alice.get("/me/following/")[2]
    refusal = re.search(r"[^>]*Nothing was imported\.", after)
    report.check(
        "an EBCDIC OPML file declaring an entity is refused",
        status == 302 and refusal is not None and "evil.example" not in after,
        {"status": status, "message": refusal.group(0).strip() if refusal else None},
    )


def probe_forwarded_proto(report: Report, port: int, outside: str | None) -> None:
    trusted = Browser(port, "198.51.100.80").get("/resources/")[0]
    if outside is None:
        report.note("X-Forwarded-Proto from an untrusted peer", "skipped: no non-loopback address")
        return
    spoofer = Browser(port, "198.51.100.81", peer=outside)
    status, response, _ = spoofer.get("/resources/")
    report.check(
        "X-Forwarded-Proto is trusted from the proxy only",
        trusted == 200 and status == 301
        and response.getheader("Location", "").startswith("https://"),
        {"from the proxy (127.0.0.1)": trusted,
         f"same header from {outside}": (status, response.getheader("Location"))},
    )  # fmt: skip


def probe_slow_clients(report: Report, port: int, workers: int) -> None:
    """Open more slow connections than there are workers, then time a normal request."""
    slow = []
    for _ in range(workers * 2 + 2):
        sock = socket.create_connection((HOST, port), timeout=5)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        slow.append(sock)
    time.sleep(0.5)
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        connection.request("GET", "/healthz", headers={"Host": HOST, "X-Forwarded-Proto": "https"})
        outcome = f"answered {connection.getresponse().status}"
    except (OSError, http.client.HTTPException) as error:
        outcome = f"no answer ({type(error).__name__})"
    seconds = time.perf_counter() - started
    for sock in slow:
        sock.close()
    report.note(
        f"{len(slow)} slow clients straight at gunicorn ({workers} sync workers, no proxy)",
        f"a normal request: {outcome} after {seconds:.1f} s. Behind the buffering proxy that "
        "docs/deploy.md requires, slow clients never reach the workers.",
    )


def forget_failures(env: dict, redis_url: str) -> None:
    harness.manage("axes_reset", env=env)
    harness.flush_redis(redis_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    harness.server_arguments(
        parser,
        port=8766,
        workers=2,
        database_url="postgres://postgres@127.0.0.1:5432/asrhub_hardening",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/4",
        help="the shared cache the throttles use in production ('' for per-process memory); "
        "flushed first",
    )
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="asrhub-hardening-"))
    spool = scratch / "tmp"
    spool.mkdir()
    mail_log = scratch / "gunicorn-stdout.log"
    outside = machine_address()
    env = harness.production_env(
        "hardening",
        args.database_url,
        scratch / "static",
        redis_url=args.redis_url,
        WEB_CONCURRENCY=str(args.workers),
        GUNICORN_THREADS="1",
        PORT=str(args.port),
        GUNICORN_ACCESS_LOG="/dev/null",
        AXES_PROXY_COUNT="1",
        FORWARDED_ALLOW_IPS="127.0.0.1",
    )
    harness.prepare(env, catalogue=False)
    forget_failures(env, args.redis_url)
    data = harness.shell_json(PREPARE % PASSWORD, env)

    report = Report()
    server_env = {**env, "TMPDIR": str(spool)}
    with open(mail_log, "wb") as stdout, harness.gunicorn(server_env, args.port, stdout=stdout):
        probe_body_limit(report, args.port, spool)
        probe_nul(report, args.port, data["alice_token"])
        probe_lockout(report, args.port)
        probe_username_throttle(report, args.port)
        probe_reset(report, args.port, mail_log)
        # The probes above leave h-alice throttled and addresses locked: start afresh.
        forget_failures(env, args.redis_url)
        probe_admin(report, args.port, data, env)
        probe_deadlocks(report, args.port, data, env)
        probe_leaks(report, args.port, data["alice_token"])
        probe_forwarded_proto(report, args.port, outside)
        probe_slow_clients(report, args.port, args.workers)
    failed = [r["probe"] for r in report.results if r["passed"] is False]
    print(json.dumps({"probes": len(report.results), "failed": failed}, indent=2))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
