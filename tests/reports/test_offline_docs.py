"""The dbt docs and the Great Expectations Data Docs of a real demo night, opened from disk
(file://) in headless Chromium with the network disabled: they show content and styles.

Chromium is /usr/bin/chromium (Debian's package; .ci/run installs it). Without it these
tests fail and say how to install it: they do not skip.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"

#: headless, no network at all: every host name resolves to nothing and every request that
#: still tries goes to a closed local port
OFFLINE_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
    "--proxy-server=127.0.0.1:9",
    "--enable-logging=stderr",
    "--v=0",
    "--window-size=1400,1000",
    "--virtual-time-budget=5000",
    "--dump-dom",
]

#: what a page makes the browser fetch by itself, found independently of the code under test
FETCHED = re.compile(
    r"""<(?:script|img|iframe)\b[^>]*?\bsrc\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)"""
    r"""|<link\b[^>]*?\bhref\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)"""
    r"""|url\(\s*["']?\s*((?:https?:)?//[^"')\s]+)""",
    re.I,
)

#: written into the page copy: what the browser computed, as JSON on <body data-parwh-probe>
PROBE = """<script>
window.addEventListener('load', function () {
  document.fonts.ready.then(function () {
    var q = function (s) { return document.querySelector(s); };
    var css = function (s, pseudo) { var e = q(s); return e ? getComputedStyle(e, pseudo || null) : {}; };
    var jq = window.jQuery;
    var r = {
      jquery: jq ? jq.fn.jquery : null,
      bootstrap_js: !!(jq && jq.fn.tooltip && jq.fn.collapse),
      bootstrap_table: !!(jq && jq.fn.bootstrapTable),
      datepicker: !!(jq && jq.fn.datepicker),
      navbar_position: css('nav.navbar').position,
      button_radius: css('.btn').borderTopLeftRadius,
      table_loading_visibility: css('.fixed-table-loading').visibility,
      result_rows: document.querySelectorAll('table.ge-index-page-validation-results-table tbody tr').length,
      suite_rows: document.querySelectorAll('table.ge-index-page-expectation_suites-table tbody tr').length,
      icon_font: css('.fas', '::before').fontFamily,
      icon_content: css('.fas', '::before').content,
      icon_font_loaded: Array.from(document.fonts).some(function (f) {
        return f.family.indexOf('Font Awesome') >= 0 && f.status === 'loaded'; }),
      logo_width: q('nav img') ? q('nav img').naturalWidth : null,
      menu_width: q('.app-menu') ? q('.app-menu').getBoundingClientRect().width : null,
      menu_background: css('.app-menu').backgroundColor,
      body_font: css('body').fontFamily
    };
    document.body.setAttribute('data-parwh-probe', JSON.stringify(r));
  });
});
</script>"""


def chromium_binary() -> str:
    found = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if not found:
        pytest.fail(
            f"Chromium is not installed ({CHROMIUM} is missing): the offline docs are checked in "
            "a real browser. Install Debian's package: `apt-get install chromium` "
            "(.ci/run installs it when it is missing).",
            pytrace=False,
        )
    return found


@pytest.fixture(scope="module")
def browser() -> str:
    return chromium_binary()


@pytest.fixture(scope="module")
def warehouse(published_db: Path) -> Path:
    """The demo warehouse of the report tests (one real night, run once per session)."""
    return published_db.parent.parent


def open_offline(browser: str, page: Path, profile: Path) -> tuple[str, list[str], list[str]]:
    """The DOM of `page` after its scripts ran, opened from disk with no network; the
    browser's console lines; the network requests the page made (Chromium's NetLog: every
    URL request whose initiator is the page, whether it could connect or not)."""
    netlog = profile.with_name(f"{profile.name}.netlog.json")
    cmd = [browser, *OFFLINE_FLAGS, f"--user-data-dir={profile}", f"--log-net-log={netlog}", page.as_uri()]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, err = proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"Chromium did not finish rendering {page} within 180 s")
    assert proc.returncode == 0, err[-3000:]
    assert "<body" in out, f"Chromium printed no DOM for {page}: {err[-3000:]}"
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    requests = [
        params["url"]
        for e in log["events"]
        if e["type"] == start_job
        and "url" in (params := e.get("params", {}))
        and params.get("initiator") != "not an origin"  # the browser's own (updates, accounts)
    ]
    return out, [line for line in err.splitlines() if ":CONSOLE" in line], requests


def visible_text(dom: str) -> str:
    """What a reader sees: the DOM without scripts, styles and tags."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text))


def probe(browser: str, page: Path, profile: Path) -> dict:
    """Computed styles and loaded libraries of `page`, from a copy beside it with `PROBE`."""
    copy = page.with_name(f"{page.stem}.probe.html")
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>", 1), "utf-8")
    try:
        dom, _, requests = open_offline(browser, copy, profile)
    finally:
        copy.unlink()
    assert requests == [], requests
    found = re.search(r'data-parwh-probe="([^"]*)"', dom)
    assert found, f"the probe did not run in {page}"
    return json.loads(html.unescape(found.group(1)))


def fetched(text: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in FETCHED.finditer(text)]


def test_the_browser_really_has_no_network(browser: str, tmp_path: Path) -> None:
    """The control: a page that needs a CDN gets nothing, and the failure is on the console."""
    page = tmp_path / "needs_cdn.html"
    page.write_text(
        '<html><head><script src="https://code.jquery.com/jquery-3.7.1.min.js"></script></head>'
        "<body><script>document.body.setAttribute('data-jquery', typeof window.jQuery);</script>"
        "</body></html>",
        encoding="utf-8",
    )
    dom, _, requests = open_offline(browser, page, tmp_path / "profile")
    assert 'data-jquery="undefined"' in dom
    assert requests == ["https://code.jquery.com/jquery-3.7.1.min.js"]


def test_dbt_docs_open_offline(browser: str, warehouse: Path, tmp_path: Path) -> None:
    docs = warehouse / "published" / "reports" / "dbt_docs"
    index = docs / "index.html"
    text = index.read_text(encoding="utf-8")
    assert fetched(text) == []
    assert "MANIFEST.JSON INLINE DATA" not in text and "CATALOG.JSON INLINE DATA" not in text
    assert "sp.js" not in text  # dbt's usage tracker is emptied
    for name in ("manifest.json", "catalog.json"):  # kept beside the page for tools
        assert (docs / name).stat().st_size > 10_000
    manifest = json.loads((docs / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["metadata"]["send_anonymous_usage_stats"] is False

    dom, _, requests = open_offline(browser, index, tmp_path / "profile")
    assert requests == []
    seen = visible_text(dom)
    assert "(loading)" not in seen
    assert "Welcome to the auto-generated documentation for your dbt project" in seen
    # the project tree of the sidebar, drawn from the inlined manifest (not in the file as such)
    for model in ("fct_scores", "fct_staffing", "mart_points_lost", "rankings", "dim_admin_units"):
        node = f'data-nav-unique-id="model.par_warehouse.{model}" title="{model}"'
        assert node in dom and node not in text, model
    assert "Tables and Views" in seen and 'title="data_quality_findings"' in dom  # a source

    styles = probe(browser, index, tmp_path / "profile")
    assert styles["menu_width"] and styles["menu_width"] > 100, styles  # the sidebar is laid out
    assert styles["menu_background"] not in ("", "rgba(0, 0, 0, 0)"), styles
    assert "Times" not in styles["body_font"], styles


def test_data_docs_open_offline(browser: str, warehouse: Path, tmp_path: Path) -> None:
    site = warehouse / "docs" / "quality"
    pages = sorted(site.rglob("*.html"))
    suites = sorted(p.stem for p in (site / "expectations").glob("*.html"))
    validations = sorted((site / "validations").rglob("*.html"))
    assert len(suites) >= 5 and validations, pages
    for page in pages:
        assert fetched(page.read_text(encoding="utf-8")) == [], page
        assert "vegaEmbed(" not in page.read_text(encoding="utf-8"), f"{page} draws a chart"
    for asset in (
        "jquery/jquery.min.js",
        "bootstrap/bootstrap.min.css",
        "bootstrap-table/bootstrap-table.min.js",
        "fontawesome/webfonts/fa-solid-900.woff2",
    ):
        assert (site / "static" / "vendor" / asset).is_file(), asset

    # the index: its two tables are drawn by bootstrap-table from data in the page
    index = site / "index.html"
    dom, console, requests = open_offline(browser, index, tmp_path / "profile")
    assert requests == []
    assert not console, console  # no script error
    seen = visible_text(dom)
    for suite in suites:
        assert suite in seen, suite
    shown = [int(n) for n in re.findall(r"Showing 1 to \d+ of (\d+) rows", seen)]
    assert shown == [len(validations), len(suites)], seen[:3000]

    styles = probe(browser, index, tmp_path / "profile")
    assert styles["jquery"] == "3.7.1", styles
    assert styles["bootstrap_js"] and styles["bootstrap_table"] and styles["datepicker"], styles
    assert styles["navbar_position"] == "sticky", styles  # Bootstrap's .sticky-top
    assert styles["button_radius"] not in ("", "0px"), styles  # Bootstrap's .btn-sm
    assert "Segoe UI" in styles["body_font"], styles  # Bootstrap's font stack
    assert styles["table_loading_visibility"] == "hidden", styles  # bootstrap-table's CSS
    assert styles["result_rows"] == min(len(validations), 10), styles  # 10 rows a page
    assert styles["suite_rows"] == min(len(suites), 10), styles
    assert "Font Awesome 6 Free" in styles["icon_font"] and styles["icon_font_loaded"], styles
    assert styles["icon_content"] not in ("", "none", "normal"), styles
    assert styles["logo_width"] and styles["logo_width"] > 0, styles  # GX's logo, from the site

    # a validation result, four folders down: the relative paths hold
    page = validations[-1]
    dom, console, requests = open_offline(browser, page, tmp_path / "profile")
    assert requests == [] and not console, (requests, console)
    seen = visible_text(dom)
    assert "Expectation Validation Result" in seen and "Evaluated Expectations" in seen
    styles = probe(browser, page, tmp_path / "profile")
    assert styles["jquery"] == "3.7.1" and styles["bootstrap_table"], styles
    assert styles["navbar_position"] == "sticky", styles
    assert styles["icon_font_loaded"], styles


def test_bundling_rewrites_by_depth_and_names_what_it_cannot_bundle(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """No browser: the page rewriting itself, on a page two folders down."""
    from expectations.data_docs_offline import bundle_assets

    site = tmp_path / "quality"
    (site / "static" / "images").mkdir(parents=True)
    (site / "static" / "images" / "logo-long.png").write_bytes(b"png")
    page = site / "expectations" / "deep" / "suite.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>'
        '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>'
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'
        '<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js" '
        'integrity="sha384-x" crossorigin="anonymous"></script>'
        '<script src="https://example.org/new-widget.js"></script>'
        '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1">'
        '<a href="https://greatexpectations.io">Great Expectations</a>',
        encoding="utf-8",
    )
    with caplog.at_level("WARNING"):
        assert bundle_assets(site) == [page]
    text = page.read_text(encoding="utf-8")
    assert text == (
        '<link rel="stylesheet" href="../../static/vendor/bootstrap/bootstrap.min.css">'
        '<script src="../../static/vendor/jquery/jquery.min.js"></script>'
        '<script src="https://example.org/new-widget.js"></script>'
        '<img src="../../static/images/logo-long.png">'
        '<a href="https://greatexpectations.io">Great Expectations</a>'
    )
    assert (site / "static" / "vendor" / "jquery" / "jquery.min.js").is_file()
    assert "https://example.org/new-widget.js" in caplog.text and str(page) in caplog.text
    assert bundle_assets(site) == []  # idempotent
