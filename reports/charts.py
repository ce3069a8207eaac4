"""Inline SVG charts generated in Python (no JavaScript, no network)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape

PALETTE = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
]
BAND_COLORS = {
    "xuat_sac": "#1a7f37",
    "tot": "#2e7d32",
    "a": "#2e7d32",
    "kha": "#66bb6a",
    "b": "#9ccc65",
    "trung_binh": "#fbc02d",
    "c": "#fbc02d",
    "yeu": "#e53935",
    "d": "#e53935",
}
FONT = "font-family='Segoe UI, Roboto, Arial, sans-serif'"


#: vn_number's texts by (type, exact text of the value, decimals): a report repeats its numbers
_VN_TEXTS: dict[tuple[type, str, int], str] = {}
_VN_TEXTS_MAX = 100_000


def vn_number(value: Decimal | float | None, decimals: int = 2) -> str:
    """Vietnamese style: '.' groups thousands, ',' marks decimals (91,33; 58.053).

    Rounded half up as the rubrics and the published scores are: a score 96.3750 or a
    rate stored as the float 98.925 (binary 98.92499…) prints 96,38 and 98,93."""
    if value is None:
        return "–"
    key = (value.__class__, str(value), decimals)  # str keeps a Decimal's sign and digits
    text = _VN_TEXTS.get(key)
    if text is None:
        text = _vn_number(value, decimals)
        if len(_VN_TEXTS) < _VN_TEXTS_MAX:
            _VN_TEXTS[key] = text
    return text


def _vn_number(value: Decimal | float | None, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def band_color(band_code: str | None, i: int = 0) -> str:
    return BAND_COLORS.get(band_code or "", PALETTE[i % len(PALETTE)])


def _nice_floor(v: float, step: float = 5.0) -> float:
    return math.floor(v / step) * step


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | float | None
    band: str | None
    band_code: str | None
    rank: int | None
    note: str = ""


def ranking_bars(bars: Sequence[Bar], *, title: str, chart_id: str, axis_max: float = 100.0) -> str:
    """Horizontal bars, best first, coloured by band, value and rank printed."""
    values = [float(b.value) for b in bars if b.value is not None]
    if not values:
        return f"<p class='empty'>{escape(title)}: không có dữ liệu / no data</p>"
    lo = max(0.0, _nice_floor(min(values) - 2))
    label_w, bar_w, row_h, top = 230, 520, 22, 34
    width, height = label_w + bar_w + 120, top + row_h * len(bars) + 40
    out = [
        f"<svg class='chart' data-chart='ranking' id='{chart_id}' xmlns='http://www.w3.org/2000/svg'"
        f" viewBox='0 0 {width} {height}' width='{width}' height='{height}' role='img' {FONT} font-size='12'>",  # noqa: E501
        f"<title>{escape(title)}</title>",
    ]
    x = lambda v: label_w + (float(v) - lo) / (axis_max - lo) * bar_w  # noqa: E731
    for t in range(int(lo), int(axis_max) + 1, 5 if axis_max - lo <= 40 else 10):
        out.append(
            f"<line x1='{x(t):.1f}' y1='{top - 6}' x2='{x(t):.1f}' y2='{height - 34}' stroke='#ddd'/>"
            f"<text x='{x(t):.1f}' y='{height - 20}' text-anchor='middle' fill='#555'>{t}</text>"
        )
    for i, b in enumerate(bars):
        y = top + i * row_h
        label = f"{b.rank if b.rank is not None else '–'}. {b.label}"
        out.append(f"<text x='{label_w - 8}' y='{y + 15}' text-anchor='end'>{escape(label)}</text>")
        if b.value is None:
            continue
        w = max(1.0, x(b.value) - label_w)
        out.append(
            f"<rect class='bar' x='{label_w}' y='{y + 3}' width='{w:.1f}' height='{row_h - 6}'"
            f" fill='{band_color(b.band_code, i)}'><title>{escape(b.label)}: {vn_number(b.value)} %"
            f" ({escape(b.band or '')}){escape(b.note)}</title></rect>"
            f"<text x='{label_w + w + 6:.1f}' y='{y + 15}' fill='#222'>{vn_number(b.value)}"
            f"{' · ' + escape(b.band) if b.band else ''}</text>"
        )
    out.append(
        f"<text x='{label_w}' y='{height - 4}' fill='#777' font-size='11'>Trục bắt đầu từ {int(lo)} %"
        f" / axis starts at {int(lo)} %</text>"
    )
    out.append(f"<text x='{label_w}' y='18' font-weight='bold'>{escape(title)}</text></svg>")
    return "".join(out)


def band_legend(bands: Sequence[tuple[str, str]]) -> str:
    items = "".join(
        f"<span class='legend-item'><span class='swatch' style='background:{band_color(code)}'></span>"
        f"{escape(name)}</span>"
        for code, name in bands
    )
    return f"<div class='legend'>{items}</div>"


@dataclass(frozen=True)
class Distribution:
    label: str
    max_points: Decimal | float
    values: Sequence[tuple[str, Decimal | float]]  # (unit name, points)
    highlight: str | None = None  # a unit name drawn in red


def distributions(dists: Sequence[Distribution], *, title: str, chart_id: str) -> str:
    """Each area's points across units as a strip: every unit a dot, the median a tick,
    the last-ranked unit highlighted; the axis runs from 0 to the area's maximum."""
    dists = [d for d in dists if d.values]
    if not dists:
        return f"<p class='empty'>{escape(title)}: không có dữ liệu / no data</p>"
    label_w, plot_w, row_h, top = 300, 460, 46, 34
    width, height = label_w + plot_w + 90, top + row_h * len(dists) + 10
    out = [
        f"<svg class='chart' data-chart='distribution' id='{chart_id}' xmlns='http://www.w3.org/2000/svg'"
        f" viewBox='0 0 {width} {height}' width='{width}' height='{height}' role='img' {FONT} font-size='12'>",  # noqa: E501
        f"<title>{escape(title)}</title>",
        f"<text x='10' y='18' font-weight='bold'>{escape(title)}</text>",
    ]
    for i, d in enumerate(dists):
        y = top + i * row_h + row_h / 2
        mx = d.max_points or max(v for _, v in d.values) or 1.0
        x = lambda v, mx=float(mx): label_w + float(v) / mx * plot_w  # noqa: E731
        out.append(
            f"<text x='{label_w - 10}' y='{y + 4:.1f}' text-anchor='end'>{escape(d.label)}</text>"
            f"<line x1='{label_w}' y1='{y:.1f}' x2='{label_w + plot_w}' y2='{y:.1f}' stroke='#bbb'/>"
            f"<text x='{label_w}' y='{y + 18:.1f}' fill='#777' font-size='10'>0</text>"
            f"<text x='{label_w + plot_w}' y='{y + 18:.1f}' fill='#777' font-size='10'"
            f" text-anchor='end'>{vn_number(mx)}</text>"
        )
        vals = sorted(v for _, v in d.values)
        median = (
            vals[len(vals) // 2] if len(vals) % 2 else (vals[len(vals) // 2 - 1] + vals[len(vals) // 2]) / 2
        )
        out.append(
            f"<line class='median' x1='{x(median):.1f}' y1='{y - 12:.1f}' x2='{x(median):.1f}'"
            f" y2='{y + 12:.1f}' stroke='#333' stroke-width='2'><title>trung vị / median"
            f" {vn_number(median)}</title></line>"
        )
        for name, v in d.values:
            hl = name == d.highlight
            out.append(
                f"<circle class='dot' cx='{x(v):.1f}' cy='{y:.1f}' r='{6 if hl else 4}'"
                f" fill='{'#d62728' if hl else '#1f77b4'}' fill-opacity='{1 if hl else 0.55}'>"
                f"<title>{escape(name)}: {vn_number(v)} / {vn_number(mx)}</title></circle>"
            )
        out.append(
            f"<text x='{label_w + plot_w + 8}' y='{y + 4:.1f}' fill='#555'>min {vn_number(vals[0])}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def line_chart(
    series: dict[str, list[tuple[str, float]]],
    *,
    title: str,
    chart_id: str,
    y_label: str = "%",
) -> str:
    """One line per unit over periods (x: period labels in order)."""
    series = {k: v for k, v in series.items() if v}
    if not series:
        return f"<p class='empty'>{escape(title)}: không có dữ liệu / no data</p>"
    periods = sorted({p for pts in series.values() for p, _ in pts})
    values = [float(v) for pts in series.values() for _, v in pts]
    lo, hi = min(values), max(values)
    pad = max((hi - lo) * 0.1, 0.5)
    lo, hi = max(0.0, lo - pad), hi + pad
    left, plot_w, plot_h, top = 50, 420, 220, 30
    legend_w = 230
    n_legend = len(series)
    width = left + plot_w + legend_w
    height = max(top + plot_h + 40, top + 16 * n_legend + 10)
    xs = {
        p: left + (plot_w * (i / (len(periods) - 1)) if len(periods) > 1 else plot_w / 2)
        for i, p in enumerate(periods)
    }
    y = lambda v: top + plot_h - (float(v) - lo) / (hi - lo) * plot_h  # noqa: E731
    out = [
        f"<svg class='chart' data-chart='trend' id='{chart_id}' xmlns='http://www.w3.org/2000/svg'"
        f" viewBox='0 0 {width} {height}' width='{width}' height='{height}' role='img' {FONT} font-size='11'>",  # noqa: E501
        f"<title>{escape(title)}</title>",
        f"<text x='{left}' y='16' font-weight='bold' font-size='12'>{escape(title)}</text>",
    ]
    for k in range(5):
        v = lo + (hi - lo) * k / 4
        out.append(
            f"<line x1='{left}' y1='{y(v):.1f}' x2='{left + plot_w}' y2='{y(v):.1f}' stroke='#eee'/>"
            f"<text x='{left - 5}' y='{y(v) + 4:.1f}' text-anchor='end' fill='#555'>{vn_number(v, 1)}</text>"
        )
    for p, px in xs.items():
        out.append(
            f"<text x='{px:.1f}' y='{top + plot_h + 16}' text-anchor='middle' fill='#555'>{escape(p)}</text>"
        )
    out.append(
        f"<text x='8' y='{top + plot_h / 2:.0f}' fill='#555' transform='rotate(-90 8 {top + plot_h / 2:.0f})'"
        f" text-anchor='middle'>{escape(y_label)}</text>"
    )
    for i, (name, pts) in enumerate(sorted(series.items())):
        color = PALETTE[i % len(PALETTE)]
        pts = sorted(pts)
        path = " ".join(f"{xs[p]:.1f},{y(v):.1f}" for p, v in pts)
        out.append(
            f"<polyline class='line' points='{path}' fill='none' stroke='{color}' stroke-width='2'>"
            f"<title>{escape(name)}</title></polyline>"
        )
        for p, v in pts:
            out.append(
                f"<circle cx='{xs[p]:.1f}' cy='{y(v):.1f}' r='3' fill='{color}'>"
                f"<title>{escape(name)} {escape(p)}: {vn_number(v)}</title></circle>"
            )
        ly = top + 6 + i * 16
        out.append(
            f"<rect x='{left + plot_w + 14}' y='{ly - 8}' width='10' height='10' fill='{color}'/>"
            f"<text x='{left + plot_w + 28}' y='{ly + 1}'>{escape(name[:32])}</text>"
        )
    out.append("</svg>")
    return "".join(out)
