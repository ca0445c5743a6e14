"""The program-office site: drill-down links, worker pages, determinism, escaping, and the
national page as headless Chromium renders it (DOM, screenshot pixels, OCR).

Browser tests skip only when Debian's `chromium` is missing (`bash scripts/setup-browser.sh`
installs it and tesseract-ocr). `python -m tests.test_site` saves the screenshots in docs/.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from collections import deque
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import numpy as np
import pytest
from PIL import Image

import pipelines.site
from pipelines.config import load_config
from pipelines.errors import CeledgerError
from pipelines.run import run
from pipelines.site import Scope, bin_hours, href, scope_sort_key, unique_slugs, write_site
from tests.support import COMPLETED, COURSE, MODULE, ROSTER, statement, void

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample"
AS_OF = date(2026, 11, 20)
CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (bash scripts/setup-browser.sh installs it)"
)

# The sample program's national figures (sample/README.md, "Expected results").
NATIONAL = {
    "FY2027": {
        "workers": "35",
        "compliant": "0",
        "on_track": "18",
        "at_risk": "17",
        "non_compliant": "0",
        "separated": "0",
        "percent_compliant": "0.0%",
        "mean_approved_hours": "2.34",
    },
    "FY2026": {
        "workers": "36",
        "compliant": "28",
        "on_track": "0",
        "at_risk": "0",
        "non_compliant": "7",
        "separated": "1",
        "percent_compliant": "80.0%",
        "mean_approved_hours": "16.25",
    },
}
ACCENT, ON_TRACK, AT_RISK = (0x1D, 0x3F, 0x6E), (0x1F, 0x6F, 0xB2), (0xF0, 0xB4, 0x29)


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sample(tmp_path_factory, sample_warehouse):
    """The session's sample warehouse, and its site written with the policy's time zone."""
    root = tmp_path_factory.mktemp("site-sample")
    warehouse = sample_warehouse
    timezone = load_config(SAMPLE / "config").policy.timezone
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        index = write_site(con, root / "out", AS_OF, timezone=timezone)
    finally:
        con.close()
    return {"root": root, "warehouse": warehouse, "site": index.parent, "timezone": timezone}


def query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# ---------------------------------------------------------------------------- HTML helpers


class Page(HTMLParser):
    """Links, assets, page identity, and the cells of rows marked with data attributes."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []  # links (<a>)
        self.stylesheets: list[str] = []  # <link rel="stylesheet"> hrefs
        self.sources: list[str] = []
        self.tags: set[str] = set()
        self.body: dict[str, str] = {}
        self.rows: dict[str, dict[str, str]] = {}  # row key -> data-col -> text
        self.text: list[str] = []
        self._section = ""
        self._row: str | None = None
        self._col: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag == "link":
            self.stylesheets.append(attrs.get("href", "") if attrs.get("rel") == "stylesheet" else "")
        elif "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "src" in attrs:
            self.sources.append(attrs["src"])
        if tag == "body":
            self.body = attrs
        if tag == "section":
            self._section = attrs.get("data-period", "")
        if tag == "tr":  # a period's figures, a worker's in a period's section ("FY2026/W009"), a track's
            worker = attrs.get("data-worker")
            track = attrs.get("data-track")
            self._row = (
                f"{self._section}/{worker}" if worker else f"track:{track}" if track else attrs.get("data-period")
            )
            if self._row:
                self.rows.setdefault(self._row, {})
        if tag == "td" and self._row and "data-col" in attrs:
            self._col = attrs["data-col"]

    def handle_endtag(self, tag):
        if tag == "td":
            self._col = None
        if tag == "tr":
            self._row = None
        if tag == "section":
            self._section = ""

    def handle_data(self, data):
        self.text.append(data)
        if self._row and self._col:
            self.rows[self._row][self._col] = self.rows[self._row].get(self._col, "") + data.strip()


def page(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def words(found: Page) -> str:
    return " ".join(t.strip() for t in found.text if t.strip())


def crawl(site: Path) -> dict[Path, Page]:
    """Every page reachable from index.html by its links; each link must name an existing file."""
    seen: dict[Path, Page] = {}
    queue = deque([site / "index.html"])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen[path] = page(path)
        for ref in seen[path].hrefs:
            parts = urlsplit(ref)
            assert not (parts.scheme or parts.netloc or ref.startswith("/")), f"{path.name}: non-relative link {ref}"
            target = (path.parent / parts.path).resolve()
            assert target.is_file(), f"{path.relative_to(site)}: link {ref} names no file"
            assert target.is_relative_to(site.resolve()), f"{path.name}: link {ref} leaves the site"
            queue.append(target)
    return seen


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# ---------------------------------------------------------------------------- browser helpers


def chromium(*args: str, timeout: int = 120) -> str:
    """Run headless Chromium with a fresh profile and the flags this closed network needs."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        done = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    return done.stdout


def dump_dom(path: Path) -> Page:
    return Page(chromium("--dump-dom", path.resolve().as_uri()))


def screenshot(path: Path, png: Path, width: int, height: int, scale: int = 1) -> Path:
    chromium(
        "--hide-scrollbars",
        f"--window-size={width},{height}",
        f"--force-device-scale-factor={scale}",
        f"--screenshot={png}",
        path.resolve().as_uri(),
    )
    return png


def read_png(path: Path) -> np.ndarray:
    """The screenshot's pixels, RGB."""
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def pixels_of(image: np.ndarray, rgb: tuple[int, int, int]) -> int:
    return int(np.all(image == np.array(rgb, dtype=np.uint8), axis=2).sum())


def ocr(png: Path) -> str:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        pytest.fail("tesseract is not installed: bash scripts/setup-browser.sh installs it with chromium")
    # --psm 6 (one uniform block) reads a table row left to right; the default layout analysis
    # splits columns apart and reads lone zeros in cells as "(0)" or "Oo"
    done = subprocess.run([tesseract, str(png), "-", "--psm", "6"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", " ", done.stdout)


# ---------------------------------------------------------------------------- the site as files


def test_drill_down_links_resolve_and_reach_every_page(sample):
    site = sample["site"]
    pages = crawl(site)
    on_disk = {p.resolve() for p in site.rglob("*.html")}
    assert set(pages) == on_disk, "pages no link reaches"
    kinds = sorted(p.body.get("data-page") for p in pages.values())
    assert kinds.count("national") == 1 and kinds.count("region") == 2 and kinds.count("facility") == 5
    for path, found in pages.items():  # one stylesheet, the site's own, linked relatively; nothing else loaded
        assert found.sources == [], f"{path.name} loads assets"
        assert not found.tags & {"script", "style", "iframe", "img", "object"}, f"{path.name}: {found.tags}"
        assert len(found.stylesheets) == 1 and not urlsplit(found.stylesheets[0]).scheme, found.stylesheets
        assert (path.parent / found.stylesheets[0]).resolve() == (site / "site.css").resolve(), found.stylesheets


def test_every_worker_with_a_compliance_row_has_a_page(sample):
    with_rows = {w for (w,) in query(sample["warehouse"], "select distinct worker_id from compliance_worker")}
    roster = {w for (w,) in query(sample["warehouse"], "select worker_id from cfg_roster")}
    pages = crawl(sample["site"])
    workers = {p.body["data-key"] for p in pages.values() if p.body.get("data-page") == "worker"}
    assert workers == with_rows and with_rows <= roster
    assert len(workers) == 36


def test_a_worker_page_lists_the_workers_ledger_per_period(sample):
    w004 = page(sample["site"] / "worker" / "w004.html")
    entries = query(sample["warehouse"], "select period, count(*) from ledger_book where worker_id = 'W004' group by 1")
    text = words(w004)
    # decided by the wrong supervisor: pending, once in the ledger and once in the pa-cps transcript
    # (approval: none admits pending credit)
    assert text.count("Motivational Interviewing Foundations") == 2
    assert re.search(r"Pending 3\.00 h", text)
    html = (sample["site"] / "worker" / "w004.html").read_text()
    for period, count in entries:
        section = html.split(f'<section data-period="{period}">', 1)[1].split("</section>", 1)[0]
        assert section.count("<tr class=") == count, period


def test_the_facility_page_lists_its_workers_with_hours_and_status(sample):
    providence = page(sample["site"] / "facility" / "providence-vamc.html")
    text = words(providence)
    assert "Rachel Goldberg W012 Peer specialist 15.00 12.00 0.00 3.00 Separated" in text  # left in FY2026
    assert "David Medeiros W009 Peer specialist 15.00 14.75 0.00 0.25 Non-compliant" in text


def test_writing_the_site_twice_gives_byte_identical_files(sample, tmp_path):
    con = duckdb.connect(str(sample["warehouse"]), read_only=True)
    try:
        con.execute("set TimeZone = 'Asia/Tokyo'")  # the session's zone must not leak into the pages
        write_site(con, tmp_path / "a", AS_OF, timezone=sample["timezone"])
        stale = tmp_path / "a" / "site" / "worker" / "gone.html"
        stale.write_text("a worker who left the tables")
        write_site(con, tmp_path / "a", AS_OF, timezone=sample["timezone"])
    finally:
        con.close()
    assert not stale.exists()
    assert tree_digest(tmp_path / "a" / "site") == tree_digest(sample["site"])
    assert not [p.name for p in (tmp_path / "a").iterdir() if p.name != "site"]  # no scratch folders left


@pytest.mark.system
def test_a_rerun_rewrites_the_site_as_a_site_drawn_afresh(program, tmp_path):
    ann, bob = "ann.peer@va.example.gov", "bob.peer@va.example.gov"
    program.add("1.ndjson", [statement("a", ann, COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    program.add("2.ndjson", [statement("b", bob, COMPLETED, MODULE, "2026-01-06T15:00:00Z")])
    program.run()
    site = program.out / "site"
    ann_page, bob_page = site / "worker" / "w1.html", site / "worker" / "w2.html"
    ann_before, ann_inode, bob_inode = ann_page.read_bytes(), ann_page.stat().st_ino, bob_page.stat().st_ino

    program.add("3.ndjson", [statement("c", bob, COMPLETED, COURSE, "2026-02-01T15:00:00Z")])
    result = program.run()
    assert ann_page.read_bytes() == ann_before and ann_page.stat().st_ino == ann_inode  # linked, not redrawn
    assert bob_page.stat().st_ino != bob_inode  # Bob's page: redrawn
    assert "Wellness and Recovery Promotion" in bob_page.read_text()

    def afresh(as_of: date) -> dict[str, str]:
        con = duckdb.connect(str(result.warehouse), read_only=True)
        try:
            return tree_digest(write_site(con, tmp_path / str(as_of), as_of, timezone="America/New_York").parent)
        finally:
            con.close()

    assert tree_digest(site) == afresh(AS_OF)
    program.run(as_of="2026-11-27")  # a new as-of date shows on every page
    assert ann_page.read_bytes() != ann_before and ann_page.stat().st_ino != ann_inode
    assert tree_digest(site) == afresh(date(2026, 11, 27))


# One change to what each of the worker pages' queries reads (pipelines.site.PAGE_QUERIES):
# (table, what is set, the key of the row changed, the table whose first key is taken).
PAGE_INPUT_CHANGES = {
    "workers": ("cfg_roster", "name = name || ' Jr.'", "worker_id", "compliance_worker"),
    "ledger": ("cfg_catalog", "title = title || ' (revised)'", "activity_id", "ledger_book"),
    "track_cycles": ("compliance_track", "counted_hours = counted_hours + 1", "worker_id", "compliance_track"),
    "track_minimums": ("compliance_track_minimums", "counted_hours = 99", "worker_id", "compliance_track_minimums"),
    "track_credits": ("int_track_credits", "cap = 'a new cap'", "entry_id", "int_track_credits"),
}


@pytest.mark.parametrize("query", sorted(PAGE_INPUT_CHANGES))
def test_a_rerun_redraws_the_pages_whose_rows_changed_in_any_of_their_queries(sample, tmp_path, query):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sample["warehouse"], warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    write_site(con, tmp_path / "rerun", AS_OF, timezone=sample["timezone"])
    before = tree_digest(tmp_path / "rerun" / "site")
    con.close()
    with duckdb.connect(str(warehouse)) as writer:
        table, change, key, source = PAGE_INPUT_CHANGES[query]
        writer.execute(f"update {table} set {change} where {key} = (select min({key}) from {source})")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        write_site(con, tmp_path / "rerun", AS_OF, timezone=sample["timezone"])
        write_site(con, tmp_path / "afresh", AS_OF, timezone=sample["timezone"])
    after = tree_digest(tmp_path / "rerun" / "site")
    assert [page for page in after if page.startswith("worker/") and after[page] != before[page]]
    assert after == tree_digest(tmp_path / "afresh" / "site")


@pytest.mark.system
def test_other_processes_draw_the_same_pages_and_their_failure_leaves_the_old_site(sample, tmp_path, monkeypatch):
    con = duckdb.connect(str(sample["warehouse"]), read_only=True)
    try:
        site = write_site(con, tmp_path, AS_OF, timezone=sample["timezone"], parallel=True).parent
        assert tree_digest(site) == tree_digest(sample["site"])
        inodes = {p.name: p.stat().st_ino for p in (site / "worker").iterdir()}
        write_site(con, tmp_path, AS_OF, timezone=sample["timezone"], parallel=True)  # nothing changed
        assert {p.name: p.stat().st_ino for p in (site / "worker").iterdir()} == inodes  # every page linked
        assert tree_digest(site) == tree_digest(sample["site"])
        (site / "worker" / "s01.html").unlink()  # an unchanged page the old site lacks is drawn after all
        write_site(con, tmp_path, AS_OF, timezone=sample["timezone"], parallel=True)
        assert tree_digest(site) == tree_digest(sample["site"])

        # the drawing processes are given a warehouse that is not there: each fails to open it
        monkeypatch.setattr(pipelines.site, "read_only_file", lambda con: str(tmp_path / "gone.duckdb"))
        (site / "worker" / "gone.html").write_text("from the last site")
        with pytest.raises(CeledgerError, match="drawing the site's pages failed: IOException"):
            write_site(con, tmp_path, date(2026, 11, 27), timezone=sample["timezone"], parallel=True)
    finally:
        con.close()
    assert (site / "worker" / "gone.html").exists()  # the last site stands whole
    assert not [p.name for p in tmp_path.iterdir() if p.name != "site"]  # no scratch folders left


def test_without_a_time_zone_the_one_recorded_in_run_state_is_used(sample, tmp_path):
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(sample["warehouse"], copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute("delete from run_state where key = 'timezone'")  # a warehouse from before it was recorded
        utc = write_site(con, tmp_path / "utc", AS_OF).parent
        con.execute("insert or replace into run_state values ('timezone', ?)", [sample["timezone"]])
        recorded = write_site(con, tmp_path / "recorded", AS_OF).parent
    finally:
        con.close()
    assert tree_digest(recorded) == tree_digest(sample["site"])
    assert "Earned (UTC)" in (utc / "worker" / "w004.html").read_text()


def test_reversals_show_and_everything_is_escaped(program):
    tricky = [list(r) for r in ROSTER]
    tricky[2][1] = 'Ann <b>"Peer"</b> & Co'
    tricky[2][4] = "Boston <VAMC> & 'Clinic'"
    program.write_config(roster=[tuple(r) for r in tricky])
    ann = "ann.peer@va.example.gov"
    program.add("1.ndjson", [statement("c", ann, COMPLETED, MODULE, "2026-01-05T15:00:00Z")])
    program.run()
    program.add("2.ndjson", [void("v", ann, "c", "2026-02-01T00:00:00Z")])
    result = program.run()
    con = duckdb.connect(str(result.warehouse), read_only=True)
    try:
        index = write_site(con, program.out, AS_OF, timezone="America/New_York")
    finally:
        con.close()
    site = index.parent
    ann_page = (site / "worker" / "w1.html").read_text()
    assert "<b>" not in ann_page and "&lt;b&gt;&quot;Peer&quot;&lt;/b&gt; &amp; Co" in ann_page
    assert all("<VAMC>" not in p.read_text() for p in site.rglob("*.html"))
    assert "Boston &lt;VAMC&gt; &amp; &#x27;Clinic&#x27;" in ann_page
    rows = Page(ann_page).text
    assert "-3.00" in rows and "3.00" in rows
    assert re.search(r'<tr class="reversal" data-entry="E\w+">', ann_page)
    assert "reversed by E" in ann_page and "reverses E" in ann_page
    assert "2026-01-05 10:00" in ann_page  # earned_at in the policy's zone (15:00Z is 10:00 in New York)
    assert 'id="track-mix"' not in (site / "index.html").read_text() and "transcript" not in ann_page  # no tracks
    crawl(site)


# rules 13-17's sample rows (sample/README.md, "Requirement tracks"): the national page's status mix
TRACK_MIX = {
    "track:ne-cpss": ("4", "0", "0", "2", "0", "1", "1", "0.0%"),
    "track:pa-cps": ("3", "0", "1", "1", "0", "1", "0", "0.0%"),
    "track:tx-cps": ("3", "1", "1", "1", "0", "0", "0", "33.3%"),
}
TRACK_COLUMNS = ("holders", "compliant", "on_track", "at_risk", "non_compliant", "separated", "waived",
                 "percent_compliant")  # fmt: skip


def track_mix(found: Page) -> dict[str, tuple]:
    return {key: tuple(row[c] for c in TRACK_COLUMNS) for key, row in found.rows.items() if key.startswith("track:")}


def transcript(html: str, track: str, cycle: str) -> str:
    """The section of a worker page that is one cycle's renewal transcript."""
    return html.split(f'<section class="page transcript" data-track="{track}" data-cycle="{cycle}">', 1)[1].split(
        "</section>", 1
    )[0]


def test_scope_pages_show_each_tracks_status_mix_in_the_cycles_under_way(sample):
    site = sample["site"]
    assert track_mix(page(site / "index.html")) == TRACK_MIX
    assert track_mix(page(site / "region" / "visn-22.html")) == {
        "track:ne-cpss": ("2", "0", "0", "0", "0", "1", "1", "—"),  # W022 lapsed, W029 waived
        "track:tx-cps": ("2", "1", "1", "0", "0", "0", "0", "50.0%"),
    }
    assert track_mix(page(site / "facility" / "san-diego-vamc.html")) == {
        "track:ne-cpss": ("1", "0", "0", "0", "0", "0", "1", "—"),
        "track:tx-cps": ("1", "1", "0", "0", "0", "0", "0", "100.0%"),
    }
    assert track_mix(page(site / "facility" / "white-river-junction-vamc.html")) == {
        "track:tx-cps": ("1", "0", "0", "1", "0", "0", "0", "0.0%")  # W014 only
    }


def test_a_worker_page_is_the_renewal_transcript_of_each_cycle(sample):
    html = (sample["site"] / "worker" / "w001.html").read_text()
    # two pa-cps cycles (the ended one after the one under way) and one ne-cpss cycle, a printed page each
    assert re.findall(r'class="page transcript" data-track="([^"]+)" data-cycle="([^"]+)"', html) == [
        ("ne-cpss", "2025-09-01/2027-08-31"),
        ("pa-cps", "2026-03-15/2028-03-14"),
        ("pa-cps", "2024-03-15/2026-03-14"),
    ]
    current = transcript(html, "pa-cps", "2026-03-15/2028-03-14")
    text = words(Page(current))
    assert "On track" in text and "Counted 24.00 h" in text and "Still needed 12.00 h" in text
    assert "ethics ethics 3.00 2.50 0.50" in text
    assert "peer_recovery peer_support, recovery 24.00 20.00 4.00" in text
    assert current.count("Empathy and Validation") == 1  # completed in FY2026 and FY2027: counts once a cycle
    certified = query(sample["warehouse"], "select evidence from ledger_evidence")
    assert (
        "1e6c9a6f63c0bd73c6494e3c2795d3277619e9e6b6f79d1606bc30600fcdd7d3" in current
    )  # trauma-informed's certificate
    assert len(certified) == 2
    ended = words(Page(transcript(html, "pa-cps", "2024-03-15/2026-03-14")))
    assert "Non-compliant" in ended and "Counted 4.75 h" in ended


def test_a_transcript_shows_the_hours_a_cap_cut(sample):
    html = (sample["site"] / "worker" / "w026.html").read_text()
    text = words(Page(transcript(html, "tx-cps", "2025-06-15/2027-06-14")))
    assert "Compliant" in text and "Counted 21.25 h" in text and "Cut by caps 2.00 h" in text
    assert text.count("self_paced") == 8  # the eight catalog-approved courses
    assert "Motivational Interviewing" not in text  # not approved by the catalog: tx-cps does not admit it
    assert "only activities the catalog approves" in text


def test_page_names_links_order_and_bins():
    slugs = unique_slugs({"a": "Main / Clinic", "b": "main clinic", "c": "Boston VAMC", "d": "<>"})
    assert slugs["c"] == "boston-vamc" and slugs["d"] == "page"
    assert slugs["a"] != slugs["b"] and slugs["a"].startswith("main-clinic-")  # case-insensitive disks too
    assert href("index.html", "region/visn-1.html") == "region/visn-1.html"
    assert href("worker/w001.html", "facility/boston-vamc.html") == "../facility/boston-vamc.html"
    assert href("worker/w001.html", "worker/s01.html") == "s01.html"
    regions = sorted((Scope("region", r) for r in ("VISN 10", "VISN 2", "VISN 22", "VISN 1")), key=scope_sort_key)
    assert [r.region for r in regions] == ["VISN 1", "VISN 2", "VISN 10", "VISN 22"]
    bins = bin_hours([Decimal("0"), Decimal("14.75"), Decimal("15"), Decimal("40")], Decimal("15"))
    assert (bins.width, len(bins.counts), bins.open_ended) == (1, 31, True)
    assert (bins.counts[0], bins.counts[14], bins.counts[15], bins.counts[30]) == (1, 1, 1, 1)


# ---------------------------------------------------------------------------- the site in a browser


@pytest.mark.system
@needs_chromium
def test_chromium_renders_the_national_figures_for_both_periods(sample, tmp_path):
    dom = dump_dom(sample["site"] / "index.html")
    assert dom.body.get("data-page") == "national"
    for period, figures in NATIONAL.items():
        assert dom.rows[period] == figures, period
    published = query(sample["warehouse"], "select period, compliant, percent_compliant from compliance_national")
    for period, compliant, percent in published:
        assert (dom.rows[period]["compliant"], dom.rows[period]["percent_compliant"]) == (str(compliant), f"{percent}%")


@pytest.mark.system
@needs_chromium
def test_chromium_renders_a_facility_page_with_its_workers(sample):
    dom = dump_dom(sample["site"] / "facility" / "providence-vamc.html")
    assert dom.body.get("data-page") == "facility" and dom.body.get("data-key") == "Providence VAMC"
    assert dom.rows["FY2026"]["percent_compliant"] == "66.7%"
    workers = {key.split("/")[1] for key in dom.rows if key.startswith("FY2027/")}
    assert workers == {"S02", "W007", "W008", "W009", "W010", "W011"}  # W012 left in FY2026
    assert dom.rows["FY2026/W009"] == {
        "required_hours": "15.00",
        "approved_hours": "14.75",
        "pending_hours": "0.00",
        "hours_needed": "0.25",
        "status": "Non-compliant",
    }
    assert dom.rows["FY2026/W012"]["status"] == "Separated"


@pytest.mark.system
@needs_chromium
def test_the_screenshot_of_the_national_page_is_drawn(sample, tmp_path):
    png = screenshot(sample["site"] / "index.html", tmp_path / "national.png", 1200, 1000)
    image = read_png(png)
    assert image.shape == (1000, 1200, 3)
    colours = np.unique(image.reshape(-1, 3), axis=0)
    white = pixels_of(image, (255, 255, 255)) / (1200 * 1000)
    assert len(colours) > 50 and 0.3 < white < 0.97, (len(colours), white)
    assert tuple(image[20, 20]) == ACCENT  # the header band
    assert pixels_of(image, ON_TRACK) > 2000 and pixels_of(image, AT_RISK) > 2000  # the status-mix bars


@pytest.mark.system
@needs_chromium
def test_ocr_reads_the_key_figures_off_the_screenshot(sample, tmp_path):
    png = screenshot(sample["site"] / "index.html", tmp_path / "national@2x.png", 1200, 800, scale=2)
    text = ocr(png)
    for figure in (
        "0.0%",
        "80.0%",
        "0 of 35 workers",
        "18 on track",
        "17 at risk",
        "28 compliant",
        "7 non-compliant",
        "1 separated",
        "FY2027",
        "FY2026",
    ):
        assert figure in text, f"{figure!r} not read in: {text}"
    # the period table's rows: workers, the five statuses, % compliant, mean approved hours
    assert re.search(r"FY2027\W+current 35 0 18 17 0 0 0\.0% 2\.34", text), text
    assert re.search(r"FY2026\W+previous 36 28 0 0 7 1 80\.0% 16\.25", text), text


@pytest.mark.system
@needs_chromium
def test_chromium_renders_a_workers_renewal_transcript(sample, tmp_path):
    dom = dump_dom(sample["site"] / "worker" / "w026.html")
    text = words(dom)
    assert "Renewal transcript: TX-CPS (tx-cps), 2025-06-15 to 2027-06-14" in text
    assert (
        "Compliant Certified 2025-06-15 Required 20.00 h Counted 21.25 h Cut by caps 2.00 h Still needed 0.00 h" in text
    )
    png = screenshot(sample["site"] / "worker" / "w026.html", tmp_path / "w026.png", 1200, 4000)
    image = crop_to_content(read_png(png))
    assert pixels_of(image, (0x2E, 0x7D, 0x32)) > 200  # the compliant badge, printed in colour


# ---------------------------------------------------------------------------- docs screenshots


def crop_to_content(image: np.ndarray, margin: int = 24) -> np.ndarray:
    inked = np.where((image != 255).any(axis=(1, 2)))[0]
    return image[: min(len(image), int(inked[-1]) + margin)] if len(inked) else image


def write_png(path: Path, image: np.ndarray) -> None:
    Image.fromarray(image).save(path, optimize=True)


def save_docs_screenshots() -> None:
    """docs/report-national.png, docs/report-facility.png and docs/report-transcript.png (a
    worker page with its renewal transcript) from a fresh run of the sample."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        run(SAMPLE / "config", [SAMPLE / "statements"], AS_OF, root / "out", root / "wh.duckdb")
        con = duckdb.connect(str(root / "wh.duckdb"), read_only=True)
        zone = load_config(SAMPLE / "config").policy.timezone
        site = write_site(con, root / "out", AS_OF, timezone=zone).parent
        con.close()
        pages = (
            ("national", site / "index.html"),
            ("facility", site / "facility/providence-vamc.html"),
            ("transcript", site / "worker/w026.html"),
        )
        for name, path in pages:
            shot = screenshot(path, root / f"{name}.png", 1200, 4000)
            write_png(ROOT / "docs" / f"report-{name}.png", crop_to_content(read_png(shot)))


if __name__ == "__main__":
    save_docs_screenshots()
