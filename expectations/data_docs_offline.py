"""Great Expectations Data Docs that open offline: the CDN assets bundled with the site.

GX 1.x page templates load jQuery, Bootstrap 4, bootstrap-table (with its filter-control
extension), bootstrap-datepicker, Font Awesome and vega from public CDNs, and the logo from
GX's web-asset bucket. The Department's network is closed, so the site was blank. After
each build, `bundle_assets` copies the vendored files (`data_docs_assets/`, with their
licences; README.md there says where they come from) into `<site>/static/vendor/` and
rewrites every page's references to relative paths. Vega is not bundled: no page of this
project draws a chart (our expectations render as tables); a page that does is named in a
warning. `external_references` lists what a page would still fetch from the network.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

ASSETS_DIR = Path(__file__).resolve().parent / "data_docs_assets"
#: where the assets go inside a site (beside GX's own static/images, static/styles)
VENDOR_DIR = ("static", "vendor")

#: the last path segment of a CDN URL -> the vendored files that replace it ("" = drop it)
_SCRIPTS: dict[str, tuple[str, ...]] = {
    "jquery.min.js": ("jquery/jquery.min.js",),
    "bootstrap.min.js": ("bootstrap/bootstrap.bundle.min.js",),  # the bundle includes Popper
    "popper.min.js": (),
    "bootstrap-table.min.js": ("bootstrap-table/bootstrap-table.min.js",),
    "bootstrap-table-filter-control.min.js": (
        "bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.min.js",
    ),
    "bootstrap-datepicker.min.js": ("bootstrap-datepicker/bootstrap-datepicker.min.js",),
    "vega": (),
    "vega-lite": (),
    "vega-embed": (),
}
_STYLES: dict[str, tuple[str, ...]] = {
    "bootstrap.min.css": ("bootstrap/bootstrap.min.css",),
    "bootstrap-table.min.css": ("bootstrap-table/bootstrap-table.min.css",),
    "bootstrap-table-filter-control.css": (
        "bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.min.css",
    ),
    "bootstrap-table-filter-control.min.css": (
        "bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.min.css",
    ),
    "bootstrap-datepicker.min.css": ("bootstrap-datepicker/bootstrap-datepicker.min.css",),
    # only the solid style is used (`fas` icons): its CSS and one font instead of all.min.css
    "all.min.css": ("fontawesome/css/fontawesome.min.css", "fontawesome/css/solid.min.css"),
    # the dark colour scheme (a second whole Bootstrap): pages stay in the light scheme
    "bootstrap-prefers-dark.css": (),
}

_SCRIPT_TAG = re.compile(r"""<script\b[^>]*?\bsrc=["'](https?://[^"']+)["'][^>]*>\s*</script>""", re.I)
_LINK_TAG = re.compile(r"""<link\b[^>]*?\bhref=["'](https?://[^"']+)["'][^>]*>""", re.I)
#: GX's logo images (an <img> in the navigation bar, a CSS background in the dark scheme)
_GX_IMAGE = re.compile(
    r"https://great-expectations-web-assets\.s3[\w.-]*\.amazonaws\.com/([\w.-]+)(?:\?[^\"')\s]*)?"
)
_LOGO = "logo-long.png"
MTIME_SLACK_SECONDS = 1.0

#: what a browser fetches by itself: script/img/iframe/source src, link href, CSS url()/@import
_FETCHED = re.compile(
    r"""<(?:script|img|iframe|source|embed|audio|video)\b[^>]*?\bsrc=["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|<link\b[^>]*?\bhref=["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|url\(\s*["']?((?:https?:)?//[^"')\s]+)"""
    r"""|@import\s+["']((?:https?:)?//[^"']+)""",
    re.I,
)


def external_references(text: str) -> list[str]:
    """URLs that an HTML page (or a style sheet) makes the browser fetch from the network:
    script, image and frame sources, linked style sheets and fonts, CSS url() and @import.
    Links people click (<a href>) and text are not fetches and are not listed."""
    return [next(g for g in m.groups() if g) for m in _FETCHED.finditer(text)]


def _key(url: str) -> str:
    """The file a CDN URL names, without its version: `.../jquery-3.7.1.min.js` ->
    `jquery.min.js`, `.../npm/vega-lite@5` -> `vega-lite`."""
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    name = re.sub(r"@[\w.]+$", "", name)
    return re.sub(r"-\d+(?:\.\d+)*(?=\.min\.|\.js$|\.css$)", "", name)


def localise(text: str, prefix: str, images: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """`text` (one page) with the CDN assets replaced by `prefix` + the vendored paths, and
    the URLs left unreplaced (unknown assets). `prefix` is the relative path from the page
    to the site root, ending in "/" (or ""); `images` are the file names in static/images."""
    unknown: list[str] = []
    vendor = prefix + "/".join(VENDOR_DIR) + "/"

    def script(match: re.Match[str]) -> str:
        url = match.group(1)
        files = _SCRIPTS.get(_key(url))
        if files is None:
            unknown.append(url)
            return match.group(0)
        return "".join(f'<script src="{vendor}{f}"></script>' for f in files)

    def link(match: re.Match[str]) -> str:
        url = match.group(1)
        files = _STYLES.get(_key(url))
        if files is None:
            unknown.append(url)
            return match.group(0)
        return "".join(f'<link rel="stylesheet" href="{vendor}{f}">' for f in files)

    def image(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"{prefix}static/images/{name if name in images else _LOGO}"

    text = _SCRIPT_TAG.sub(script, text)
    text = _LINK_TAG.sub(link, text)
    text = _GX_IMAGE.sub(image, text)
    return text, unknown


def page_stamps(site: Path) -> dict[Path, int]:
    """Every page below the site's index, with the time it was last written (ns)."""
    return {p: p.stat().st_mtime_ns for p in site.rglob("*.html") if p.parent != site}


def written_since(site: Path, before: dict[Path, int], started: float) -> list[Path]:
    """The pages below the index a build wrote: new or rewritten since `before`
    (`page_stamps` taken as it started), or written after `started` (a `time.time()`, less a
    second of slack for coarse file times). Either test alone would do on a local disk."""
    since = int((started - MTIME_SLACK_SECONDS) * 1e9)
    return [p for p, stamp in page_stamps(site).items() if before.get(p) != stamp or stamp >= since]


def bundle_assets(site: Path, pages: list[Path] | None = None) -> list[Path]:
    """Copy the vendored assets into `site` and rewrite every page (and GX's style sheets)
    to use them; idempotent. The pages changed. Warns about what still needs the network.

    With `pages`, only those of the pages below the index are rewritten: the others were by
    an earlier call (an incremental Data Docs build writes only the pages it rendered,
    `written_since`). The index and the style sheets are always rewritten."""
    if not site.is_dir():
        return []
    shutil.copytree(
        ASSETS_DIR,
        site.joinpath(*VENDOR_DIR),
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("README.md", "__pycache__"),
    )
    images_dir = site / "static" / "images"
    images = frozenset(p.name for p in images_dir.iterdir()) if images_dir.is_dir() else frozenset()
    changed: list[Path] = []
    vendor = site.joinpath(*VENDOR_DIR)
    always = [*site.glob("*.html"), *(site / "static" / "styles").glob("*.css")]
    below = [p for p in site.rglob("*.html") if p.parent != site] if pages is None else pages
    for page in [*always, *below]:
        if vendor in page.parents:
            continue
        text = page.read_text(encoding="utf-8")
        if "//" not in text:
            continue
        # relative to the page (or to the style sheet, for its url()s)
        up = Path(os.path.relpath(site, page.parent)).as_posix()
        prefix = "" if up == "." else up + "/"
        new, unknown = localise(text, prefix, images)
        if "vegaEmbed(" in new:
            log.warning("Data Docs page %s draws a chart; vega is not bundled: it shows no chart", page)
        left = unknown + [u for u in external_references(new) if u not in unknown]
        if left:
            log.warning("Data Docs page %s still loads from the network: %s", page, ", ".join(left))
        if new != text:
            tmp = page.with_name(f".{page.name}.tmp")
            tmp.write_text(new, encoding="utf-8")
            tmp.replace(page)
            changed.append(page)
    return changed
