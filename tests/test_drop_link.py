"""Drop links: a person opens a single-use page and drops files, in a real browser.

Headless Chromium (Debian's ``chromium``, driven by Playwright) against a real server
over TLS: fetching the link (a scanner, a preview, the page itself) opens nothing, the
person's first file does; two files dropped on the page arrive with the right SHA-256,
a connection cut mid-file is resumed from the server's offset, and the link is used
afterwards.
The refusals (used, expired, forged, another browser, too many files) are checked
in-process, and a cross-origin ``fetch`` PUT to a presigned URL works only from a
configured origin.
"""

from __future__ import annotations

import html
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from appliance import clock
from appliance.accounts import apikeys, orgs
from appliance.clock import iso_epoch
from appliance.uploads import tus_records
from tests.helpers import error_of, presign, sha, wait_until
from tests.servers import InProcess, MakeServer, Server, in_process

# Playwright is imported where a browser starts: 0.15 s of CPU in each pytest process
# that collects this module, most of which start none.
if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Route

# One worker runs the module, so that its browser, page server and appliance start once
# rather than on each worker.
pytestmark = pytest.mark.xdist_group("drop-link")

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 8 * 1024 * 1024  # the page's PATCH size (http/link_views.CHUNK_SIZE)
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("no chromium: ./install.sh --test installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def expect(actual: Any) -> Any:
    """Playwright's ``expect``, imported on first use."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(actual)


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<!doctype html><title>a partner's web app</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def web_app() -> Iterator[int]:
    """A partner's web app: a real page on a loopback port of its own. Reached as
    ``http://127.0.0.1:PORT`` it is the configured origin; as ``http://localhost:PORT``,
    another one. (Loopback like the appliance: from a public origin Chromium would
    first ask the person for local-network access, a rule of the browser's.)"""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def portal_server(make_server: MakeServer, web_app: int) -> Server:
    """A server that lets the web app's pages call it (cors_origins)."""
    return make_server(cors_origins=f"http://127.0.0.1:{web_app}")


def new_context(browser: Browser) -> BrowserContext:
    """A fresh browser profile (no cookies) that trusts the test server's certificate."""
    return browser.new_context(ignore_https_errors=True)


def mint_link(client: httpx.Client, key: str, **body: Any) -> dict[str, Any]:
    r = client.post("/v1/uploads", headers={"X-API-Key": key}, json={"protocol": "link", **body})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_person_drops_two_files_and_the_link_is_then_used(
    portal_server: Server, browser: Browser, tmp_path: Path
) -> None:
    server = portal_server
    _org, key = server.new_org()
    big = tmp_path / "lab results.csv"
    big.write_bytes(os.urandom(2 * CHUNK + 12345))  # three PATCHes
    small = tmp_path / "notes é.txt"
    small.write_bytes(b"seen on ward 7\n" * 100)
    with server.client() as client:
        link = mint_link(client, key, label="Study 7: lab results", max_files=5)
    assert link["url"].startswith(server.url + "/v1/drop/")

    context = new_context(browser)
    patches: list[tuple[str, str]] = []
    cut: list[str] = []

    def drop_one_connection(route: Route) -> None:
        request = route.request
        if request.method == "PATCH":
            offset = request.headers["upload-offset"]
            patches.append((request.url, offset))
            if not cut and offset == str(CHUNK):  # the big file's second PATCH, once
                cut.append(request.url)
                route.abort("connectionreset")
                return
        route.continue_()

    context.route("**/v1/tus/**", drop_one_connection)
    with server.client() as scanner:  # a mail gateway's link scanner, before the person
        assert scanner.head(link["url"]).status_code == 200
        assert scanner.get(link["url"]).status_code == 200
    page = context.new_page()
    answer = page.goto(link["url"])
    assert answer is not None and answer.status == 200
    assert "Study 7: lab results" in page.content()
    assert context.cookies() == []  # showing the page opened nothing
    with server.client() as preview:  # a chat's preview, after the page is shown
        assert preview.get(link["url"]).status_code == 200
    page.set_input_files("#picker", [str(big), str(small)])
    expect(page.locator(".file.done")).to_have_count(2, timeout=60_000)
    assert [c["name"] for c in context.cookies()] == ["hpx_drop"]  # the first file opened it
    with server.client() as preview:
        assert preview.get(link["url"]).status_code == 410  # now this browser's only
    statuses = page.locator(".file .status").all_inner_texts()
    assert all(s.endswith("received") for s in statuses), statuses
    for bar in page.locator(".file progress").all():
        assert bar.evaluate("b => b.value === b.max && b.max > 1")

    # The cut PATCH was sent again from the offset the server had, not from zero.
    assert cut, "the big file's second PATCH never ran"
    offsets = [offset for url, offset in patches if url == cut[0]]
    assert offsets == ["0", str(CHUNK), str(CHUNK), str(2 * CHUNK)], offsets

    page.click("#finish")
    page.wait_for_selector("#receipt", state="visible")
    rows = page.locator("#received tr").all()
    receipt = {r.locator(".name").inner_text(): r.locator(".sha256").inner_text() for r in rows}
    assert receipt == {
        big.name: sha(big.read_bytes()),
        small.name: sha(small.read_bytes()),
    }
    with server.client() as client:
        stored = client.get("/v1/files", headers={"X-API-Key": key}).json()["files"]
        by_name = {f["filename"]: f for f in stored}
        assert by_name[big.name]["sha256"] == sha(big.read_bytes())
        content = client.get(
            f"/v1/files/{by_name[big.name]['file_id']}/content",
            headers={"X-API-Key": key},
        )
        assert content.content == big.read_bytes()

    # Used: the same browser (it holds the session) and any other browser alike.
    again = page.goto(link["url"])
    assert again is not None and again.status == 410
    assert page.inner_text("h1") == "This link has already been used"
    context.close()
    other = new_context(browser)
    visit = other.new_page()
    answer = visit.goto(link["url"])
    assert answer is not None and answer.status == 410
    assert visit.inner_text("h1") == "This link has already been used"
    other.close()


def test_the_page_loads_nothing_from_elsewhere(portal_server: Server, browser: Browser) -> None:
    """No CDN: every request the page makes goes to the appliance itself."""
    _org, key = portal_server.new_org()
    with portal_server.client() as client:
        link = mint_link(client, key)
    context = new_context(browser)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(link["url"], wait_until="load")
    assert requested and all(u.startswith(portal_server.url + "/") for u in requested)
    assert problems == []
    context.close()


def fetch_put(browser: Browser, origin: str, url: str, body: str) -> dict[str, Any]:
    """A page of ``origin`` PUTs ``body`` to ``url`` with ``fetch``."""
    context = new_context(browser)
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(f"{r.method} {r.failure}"))
    page.on("console", lambda m: failed.append(m.text))
    page.goto(origin + "/upload")
    result: dict[str, Any] = page.evaluate(
        """async ([url, body]) => {
            try {
                const headers = {"Content-Type": "text/csv"};
                const r = await fetch(url, {method: "PUT", body, headers});
                return {status: r.status, body: await r.json()};
            } catch (e) { return {error: String(e)}; }
        }""",
        [url, body],
    )
    context.close()
    if "error" in result:
        result["failed"] = failed
    return result


def test_a_cross_origin_put_works_only_from_a_configured_origin(
    portal_server: Server, browser: Browser, web_app: int
) -> None:
    _org, key = portal_server.new_org()
    body = "id,value\n1,2\n"
    with portal_server.client() as client:
        allowed = presign(client, key, filename="from-portal.csv")
        refused = presign(client, key, filename="from-elsewhere.csv")

    result = fetch_put(browser, f"http://127.0.0.1:{web_app}", allowed["upload_url"], body)
    assert result.get("status") == 201, result
    assert result["body"]["sha256"] == sha(body.encode())

    result = fetch_put(browser, f"http://localhost:{web_app}", refused["upload_url"], body)
    assert "error" in result and "status" not in result, result
    assert any("CORS policy" in line for line in result["failed"]), result
    with portal_server.client() as client:  # nothing was sent: the URL is still unused
        assert client.put(refused["upload_url"], content=body.encode()).status_code == 201


@pytest.mark.skipif(
    not (ROOT / "tests/js/node_modules").is_dir(),
    reason="needs `npm ci --prefix tests/js` (./install.sh --test runs it before the tests)",
)
def test_the_shipped_tus_client_is_the_published_one() -> None:
    """The page's tus-js-client is byte for byte the npm package the tests install from
    tests/js/package-lock.json (integrity-checked by npm), not an edited copy."""
    shipped = (ROOT / "appliance/http/static/vendor/tus.min.js").read_bytes()
    published = (ROOT / "tests/js/node_modules/tus-js-client/dist/tus.min.js").read_bytes()
    assert sha(shipped) == sha(published)


# -- refusals, in-process ------------------------------------------------------------------


@pytest.fixture
def app(tmp_path: Path) -> InProcess:
    return in_process(tmp_path)


def path_of(app: InProcess, url: str) -> str:
    return url.split(app.url, 1)[1]


def create_through(client: httpx.Client, link_path: str, size: int = 3) -> httpx.Response:
    return client.post(
        link_path + "/tus/",
        headers={"Tus-Resumable": "1.0.0", "Upload-Length": str(size),
                 "Upload-Metadata": "filename YS5jc3Y="},
    )  # fmt: skip


def test_a_second_browser_finds_the_link_used_while_the_first_goes_on(app: InProcess) -> None:
    _org, key = app.new_org()
    with app.client() as first, app.client() as second:
        link = path_of(app, mint_link(first, key)["url"])
        assert first.get(link).status_code == 200
        assert second.get(link).status_code == 200  # shown, not opened: either may open it
        assert "hpx_drop" not in first.cookies
        assert first.post(link + "/open").status_code == 200
        assert "hpx_drop" in first.cookies
        used = second.get(link)
        assert used.status_code == 410 and "already been used" in used.text
        assert used.headers["content-type"].startswith("text/html")
        assert create_through(second, link).status_code == 403
        assert error_of(second.post(link + "/open")) == "token_used"
        assert first.get(link).status_code == 200  # a reload in the same browser
        assert first.post(link + "/open").status_code == 200  # and its script again
        r = create_through(first, link)
        assert r.status_code == 201, r.text
        assert first.patch(
            path_of(app, r.headers["location"]),
            content=b"a,b",
            headers={"Tus-Resumable": "1.0.0", "Upload-Offset": "0",
                     "Content-Type": "application/offset+octet-stream"},
        ).status_code == 204  # fmt: skip
        done = first.post(link + "/done")
        assert done.status_code == 200
        assert [f["sha256"] for f in done.json()["files"]] == [sha(b"a,b")]
        assert first.post(link + "/done").status_code == 410
        assert error_of(create_through(first, link)) == "token_used"


def test_a_link_takes_at_most_its_number_of_files(app: InProcess) -> None:
    _org, key = app.new_org()
    with app.client() as client:
        link = path_of(app, mint_link(client, key, max_files=2)["url"])
        client.post(link + "/open")
        assert [create_through(client, link).status_code for _ in range(3)] == [201, 201, 403]


def test_expired_forged_and_paused_links_show_a_page_not_json(app: InProcess) -> None:
    org, key = app.new_org()
    with app.client() as client:
        with clock.shifted(-2 * 24 * 3600):  # made two days ago, for one hour
            old = path_of(app, mint_link(client, key, expires_in=3600)["url"])
        r = client.get(old)
        assert (r.status_code, "This link has expired" in r.text) == (410, True)
        assert r.headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert r.headers["referrer-policy"] == "no-referrer"

        fresh = path_of(app, mint_link(client, key)["url"])
        r = client.get(fresh[:-3] + ("AAA" if not fresh.endswith("AAA") else "BBB"))
        assert (r.status_code, "This link is not valid" in r.text) == (404, True)
        # Broken across two lines by a mail program: still the page, not JSON.
        middle = len(fresh) - 10
        r = client.get(fresh[:middle] + "%0A" + fresh[middle:])
        assert (r.status_code, "This link is not valid" in r.text) == (404, True)
        assert r.headers["content-type"].startswith("text/html")

        orgs.set_status(app.appliance.db, org.id, "suspended")
        r = client.get(fresh)
        assert (r.status_code, "Uploads are paused" in r.text) == (403, True)
        orgs.set_status(app.appliance.db, org.id, "active")
        assert client.get(fresh).status_code == 200  # not used up by the refusals


def test_a_link_mints_only_with_sane_fields(app: InProcess) -> None:
    _org, key = app.new_org()
    with app.client() as client:
        for body in ({"max_files": 0}, {"max_files": 100_000}, {"label": ""}, {"label": "x" * 201}):
            r = client.post(
                "/v1/uploads", headers={"X-API-Key": key}, json={"protocol": "link", **body}
            )
            assert (r.status_code, error_of(r)) == (400, "invalid_request"), body


def test_the_receipt_leaves_out_a_file_deleted_since(app: InProcess) -> None:
    _org, key = app.new_org()
    with app.client() as client:
        link = path_of(app, mint_link(client, key)["url"])
        client.post(link + "/open")
        upload = path_of(app, create_through(client, link).headers["location"])
        client.patch(upload, content=b"a,b", headers={
            "Tus-Resumable": "1.0.0", "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream"})  # fmt: skip
        [file] = client.get("/v1/files", headers={"X-API-Key": key}).json()["files"]
        deleted = client.delete(f"/v1/files/{file['file_id']}", headers={"X-API-Key": key})
        assert deleted.status_code == 204
        done = client.post(link + "/done")
        assert (done.status_code, done.json()) == (200, {"files": []})


PATCH = {"Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream"}


def test_fetching_a_link_never_opens_it(app: InProcess) -> None:
    """A mail gateway's link scanner (HEAD, then GET), a chat preview (GET): the link
    stays unopened, and the person who then opens it from the page gets it."""
    _org, key = app.new_org()
    with app.client() as scanner, app.client() as preview, app.client() as person:
        link = path_of(app, mint_link(scanner, key)["url"])
        head = scanner.head(link)
        assert head.status_code == 200 and head.headers["content-type"].startswith("text/html")
        assert "set-cookie" not in head.headers
        got = scanner.get(link)
        assert got.status_code == 200 and "set-cookie" not in got.headers
        assert preview.get(link).status_code == 200
        assert preview.get(link).status_code == 200
        assert error_of(create_through(scanner, link)) == "forbidden"  # not opened yet
        assert person.get(link).status_code == 200
        opened = person.post(link + "/open")
        assert opened.status_code == 200 and "hpx_drop" in opened.headers["set-cookie"]
        assert create_through(person, link).status_code == 201
        used = scanner.get(link)
        assert (used.status_code, "already been used" in used.text) == (410, True)
        assert scanner.head(link).status_code == 410
        log = app.appliance.db.rows("SELECT action FROM audit_log WHERE action LIKE 'link.%'")
        assert [row["action"] for row in log] == ["link.create", "link.open"]


def test_finishing_ends_the_links_unfinished_uploads(app: InProcess) -> None:
    """After Finish, an upload the link started and never completed takes no more
    bytes, from anyone (it used to, for the 24 h of its own expiry)."""
    org, key = app.new_org()
    with app.client() as person, app.client() as stranger:
        link = path_of(app, mint_link(person, key)["url"])
        person.post(link + "/open")
        whole = path_of(app, create_through(person, link, size=3).headers["location"])
        assert (
            person.patch(whole, content=b"a,b", headers=PATCH | {"Upload-Offset": "0"}).status_code
            == 204
        )
        half = path_of(app, create_through(person, link, size=6).headers["location"])
        assert (
            person.patch(half, content=b"a,b", headers=PATCH | {"Upload-Offset": "0"}).status_code
            == 204
        )
        half_id = app.appliance.signer.verify(half.rsplit("/", 1)[1]).upload_id
        assert half_id in app.appliance.store.resumable_ids(org.id)
        done = person.post(link + "/done")
        assert done.status_code == 200
        assert [f["sha256"] for f in done.json()["files"]] == [sha(b"a,b")]
        for client in (stranger, person):
            r = client.patch(half, content=b"c,d", headers=PATCH | {"Upload-Offset": "3"})
            assert r.status_code == 404, r.text
            assert client.head(half, headers={"Tus-Resumable": "1.0.0"}).status_code == 404
        assert half_id not in app.appliance.store.resumable_ids(org.id)  # its bytes went too
        files = person.get("/v1/files", headers={"X-API-Key": key}).json()["files"]
        assert [f["sha256"] for f in files] == [sha(b"a,b")]


def test_finish_waits_for_a_file_still_arriving(portal_server: Server) -> None:
    """Finish while a PATCH runs: 409, and the link stays open; once the PATCH has
    ended, Finish closes the link and the unfinished upload with it."""
    server = portal_server
    org, key = server.new_org()
    with server.client() as person:
        link = mint_link(person, key)["url"]
        assert person.post(link + "/open").status_code == 200
        r = person.post(
            link + "/tus/",
            headers={"Tus-Resumable": "1.0.0", "Upload-Length": str(1024 * 1024)},
        )
        upload_url = r.headers["location"]
        upload_id = server.appliance.signer.verify(upload_url.rsplit("/", 1)[1]).upload_id
        conn = server.ssl_context().wrap_socket(
            socket.create_connection(("127.0.0.1", server.port)), server_hostname="127.0.0.1"
        )
        head = (
            f"PATCH {upload_url.split(server.url, 1)[1]} HTTP/1.1\r\nHost: x\r\n"
            "Tus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n"
            f"Upload-Offset: 0\r\nContent-Length: {1024 * 1024}\r\n\r\n"
        )
        conn.sendall(head.encode() + b"x" * 4096)
        db = server.appliance.db
        wait_until(
            lambda: tus_records.get(db, org.id, upload_id).state == "receiving",
            "the server never started receiving",
        )
        done = person.post(link + "/done")
        assert (done.status_code, error_of(done)) == (409, "upload_in_progress")
        conn.close()
        wait_until(
            lambda: tus_records.get(db, org.id, upload_id).state == "open", "the PATCH never ended"
        )
        done = person.post(link + "/done")
        assert (done.status_code, done.json()) == (200, {"files": []})
        r = person.patch(upload_url, content=b"x", headers=PATCH | {"Upload-Offset": "4096"})
        assert r.status_code == 404, r.text


@pytest.mark.parametrize(
    ("name", "store"),
    [
        ("St Mary's", "St Mary's store"),
        ("Kings'", "Kings' store"),
        ("Riverside", "Riverside's store"),
    ],
)
def test_the_page_names_the_store_in_good_english(app: InProcess, name: str, store: str) -> None:
    """A name already possessive keeps its one apostrophe: never "St Mary's's store"."""
    org = orgs.create_org(app.appliance.db, name)
    key = apikeys.issue_key(app.appliance.db, org.id).api_key
    with app.client() as client:
        page = client.get(path_of(app, mint_link(client, key)["url"]))
        assert page.status_code == 200
        assert f"Files go straight to {store} on this server" in html.unescape(page.text)


DROP_A_FOLDER = """async (files) => {
    // What a person's drop of a folder gives the page: DataTransfer items whose
    // entries are the browser's own FileSystem entries, walked with readEntries and
    // read with file() as a desktop folder's are. Playwright cannot drag from the
    // desktop, so the folder is made in the page's temporary file system and only the
    // drop event itself is built here (a real DataTransfer cannot carry entries).
    const fs = await new Promise((ok, fail) =>
        window.webkitRequestFileSystem(window.TEMPORARY, 1 << 20, ok, fail));
    const dir = (parent, name) => new Promise((ok, fail) =>
        parent.getDirectory(name, { create: true }, ok, fail));
    for (const [path, text] of Object.entries(files)) {
        const parts = path.split("/");
        let parent = fs.root;
        for (const name of parts.slice(0, -1)) parent = await dir(parent, name);
        const entry = await new Promise((ok, fail) =>
            parent.getFile(parts.at(-1), { create: true }, ok, fail));
        await new Promise((ok, fail) => entry.createWriter((w) => {
            w.onwriteend = ok; w.onerror = fail; w.write(new Blob([text]));
        }, fail));
    }
    const top = await dir(fs.root, Object.keys(files)[0].split("/")[0]);
    const event = new Event("drop", { bubbles: true, cancelable: true });
    Object.defineProperty(event, "dataTransfer", {
        value: { items: [{ kind: "file", webkitGetAsEntry: () => top }], files: [] },
    });
    document.getElementById("drop").dispatchEvent(event);
    return [top.isDirectory, top.fullPath];
}"""


def test_a_dropped_or_chosen_folder_keeps_each_files_path(
    portal_server: Server, browser: Browser, tmp_path: Path
) -> None:
    server = portal_server
    _org, key = server.new_org()
    contents = {
        "tree/2024/labs.csv": b"id,hb\n1,13.1\n",
        "tree/2025/labs.csv": b"id,hb\n1,12.7\n",
        "tree/readme.txt": b"two years of labs\n",
        "more/2026/labs.csv": b"id,hb\n1,14.0\n",
    }
    for name, data in contents.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    with server.client() as client:
        link = mint_link(client, key, max_files=10)
    context = new_context(browser)
    page = context.new_page()
    page.goto(link["url"])

    tree = {name: data.decode() for name, data in contents.items() if name.startswith("tree/")}
    assert page.evaluate(DROP_A_FOLDER, tree) == [True, "/tree"]  # one folder dropped
    expect(page.locator(".file.done")).to_have_count(3, timeout=60_000)

    page.set_input_files("#folder-picker", str(tmp_path / "more"))
    expect(page.locator(".file.done")).to_have_count(4, timeout=60_000)
    shown = sorted(page.locator(".file .name").all_inner_texts())
    assert shown == sorted(contents)

    page.click("#finish")
    page.wait_for_selector("#receipt", state="visible")
    rows = page.locator("#received tr").all()
    receipt = {r.locator(".name").inner_text(): r.locator(".sha256").inner_text() for r in rows}
    assert receipt == {name: sha(data) for name, data in contents.items()}
    context.close()
    with server.client() as client:
        stored = client.get("/v1/files", headers={"X-API-Key": key}).json()["files"]
    assert {f["path"]: f["sha256"] for f in stored} == {n: sha(d) for n, d in contents.items()}


def test_a_link_lasts_a_week_unless_told_otherwise(tmp_path: Path) -> None:
    """A person may open the mail days later: a link's default lifetime is 7 days,
    another per link (expires_in) or for the appliance (link_ttl)."""
    week, hour = 7 * 86400, 3600
    start = 1_790_000_000
    with clock.frozen_at(start):
        app = in_process(tmp_path / "default")
        _org, key = app.new_org()
        with app.client() as client:
            assert mint_link(client, key)["expires_at"] == iso_epoch(start + week)
            assert mint_link(client, key, expires_in=hour)["expires_at"] == iso_epoch(start + hour)
            r = client.post("/v1/uploads", headers={"X-API-Key": key},
                            json={"protocol": "link", "expires_in": week + 1})  # fmt: skip
            assert r.status_code == 400 and "expires_in" in r.json()["message"]
            # a presigned upload URL keeps its own, shorter default
            grant = presign(client, key, filename="a.csv")
            assert grant["expires_at"] == iso_epoch(start + hour)
        shorter = in_process(tmp_path / "configured", link_ttl=2 * 86400)
        _org, key = shorter.new_org()
        with shorter.client() as client:
            assert mint_link(client, key)["expires_at"] == iso_epoch(start + 2 * 86400)
