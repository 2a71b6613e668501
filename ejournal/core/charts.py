"""Server-rendered SVG bar charts: no script, no CDN, they print and open on any phone.

In core because both reports and audit's usage monitoring draw them, and audit sits below reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Chart:
    """A bar chart of one or more series over the same labels, drawn as SVG (bar_chart)."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    unit: str = "%"
    maximum: float | None = 100.0


PALETTE = ("#3b6fd8", "#e08a2b", "#3aa76d", "#c4455a", "#7a5bc7")
BAR = 14
GAP = 10
LABEL_WIDTH = 120
PLOT_WIDTH = 360


def bar_chart(chart: Chart) -> str:
    """Horizontal bars, one group per label, one bar per series; the value written at the bar's end."""
    series = chart.series
    values = [v for _, vs in series for v in vs if v is not None]
    maximum = chart.maximum or max(values, default=0.0) or 1.0
    group_height = BAR * len(series) + GAP
    legend_height = 20 if len(series) > 1 else 0
    height = 24 + legend_height + group_height * len(chart.labels)
    width = LABEL_WIDTH + PLOT_WIDTH + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(chart.title)}">',
        f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(chart.title)}</text>',
    ]
    if legend_height:
        x = 0
        for index, (name, _) in enumerate(series):
            colour = PALETTE[index % len(PALETTE)]
            parts.append(f'<rect x="{x}" y="24" width="10" height="10" fill="{colour}"/>')
            parts.append(f'<text x="{x + 14}" y="33" font-size="11">{escape(name)}</text>')
            x += 20 + 7 * len(name)
    top = 24 + legend_height
    for row, label in enumerate(chart.labels):
        y = top + row * group_height
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR * len(series) / 2 + 4:.0f}" font-size="11" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        for index, (_, vs) in enumerate(series):
            value = vs[row]
            bar_y = y + index * BAR
            if value is None:
                parts.append(
                    f'<text x="{LABEL_WIDTH + 4}" y="{bar_y + 11}" font-size="10" fill="#777">нет данных</text>'
                )
                continue
            length = max(0.0, min(1.0, value / maximum)) * PLOT_WIDTH
            colour = PALETTE[index % len(PALETTE)]
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{bar_y + 1}" width="{length:.1f}" height="{BAR - 2}" fill="{colour}"/>'
            )
            shown = f"{value:.1f}".replace(".", ",") + (chart.unit if chart.unit == "%" else "")
            parts.append(f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{bar_y + 11}" font-size="10">{shown}</text>')
    parts.append("</svg>")
    return "".join(parts)
