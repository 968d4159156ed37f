"""Charts drawn as SVG on the server: no script, no CDN, no inline style (colours come from
classes in static/staff.css), each with a title and a text description for screen readers;
the numbers are in the tables beside them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

HEAT_STEPS = 6  # shades of the heat map, 0 = none


def _svg(width: int, height: int, label: str, body: list[str], css: str) -> Markup:
    return Markup(
        f'<svg class="chart {css}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _nice(top: float) -> int:
    """A round number at or above ``top`` for the scale (1, 2 or 5 times a power of 10)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= top:
                return step * factor
        step *= 10


def bars(
    label: str,
    points: Sequence[tuple[str, int, int]],
    number: Callable[[float], str],
    tip: Callable[[str, int, int], str],
) -> Markup:
    """One bar per point ``(axis label, total, highlighted part)``: the part (e.g. searches
    with no answer) is drawn darker at the bottom of its bar."""
    width, height, left, bottom = 720, 220, 48, 28
    top = _nice(max((total for _, total, _ in points), default=0) or 1)
    plot = height - bottom - 8
    step = (width - left - 4) / max(1, len(points))
    body = [
        f'<line class="axis" x1="{left}" y1="{8 + plot}" x2="{width - 4}" y2="{8 + plot}"/>',
        f'<text class="tick" x="{left - 6}" y="14" text-anchor="end">{escape(number(top))}</text>',
        f'<text class="tick" x="{left - 6}" y="{8 + plot}" text-anchor="end">{number(0)}</text>',
    ]
    every = max(1, round(len(points) / 8))
    for n, (name, total, part) in enumerate(points):
        x = left + n * step + step * 0.12
        w = step * 0.76
        h = plot * total / top
        p = plot * part / top
        body.append(
            f"<g><title>{escape(tip(name, total, part))}</title>"
            f'<rect class="bar" x="{x:.1f}" y="{8 + plot - h:.1f}" width="{w:.1f}" '
            f'height="{h:.1f}"/><rect class="bar-part" x="{x:.1f}" y="{8 + plot - p:.1f}" '
            f'width="{w:.1f}" height="{p:.1f}"/></g>'
        )
        if n % every == 0:
            body.append(
                f'<text class="tick" x="{x + w / 2:.1f}" y="{height - 8}" '
                f'text-anchor="middle">{escape(name)}</text>'
            )
    return _svg(width, height, label, body, "bars")


def heat_map(
    label: str,
    rows: Sequence[Sequence[int]],
    day_names: Sequence[str],
    tip: Callable[[str, int, int], str],
) -> Markup:
    """Weekday × hour: a square per hour of each day, darker the busier."""
    cell, left, top_margin = 26, 44, 18
    width, height = left + 24 * cell, top_margin + 7 * cell
    busiest = max((v for row in rows for v in row), default=0)
    body = []
    for hour in range(0, 24, 3):
        x = left + hour * cell + cell / 2
        body.append(f'<text class="tick" x="{x}" y="12" text-anchor="middle">{hour:02d}</text>')
    for day, row in enumerate(rows):
        y = top_margin + day * cell
        body.append(
            f'<text class="tick" x="{left - 6}" y="{y + cell * 0.65:.1f}" '
            f'text-anchor="end">{escape(day_names[day])}</text>'
        )
        for hour, value in enumerate(row):
            shade = 0 if not value else 1 + int((HEAT_STEPS - 2) * value / busiest)
            body.append(
                f'<rect class="heat-{shade}" x="{left + hour * cell}" y="{y}" '
                f'width="{cell - 2}" height="{cell - 2}">'
                f"<title>{escape(tip(day_names[day], hour, value))}</title></rect>"
            )
    return _svg(width, height, label, body, "heat")


def spark(label: str, values: Sequence[int]) -> Markup:
    """A small bar per value (tickets a week), on one scale for the row."""
    width, height = 8 * max(1, len(values)), 24
    busiest = max(values, default=0) or 1
    body = []
    for n, value in enumerate(values):
        h = max(1.0 if value else 0.0, (height - 2) * value / busiest)
        body.append(
            f'<rect class="bar" x="{n * 8 + 1}" y="{height - h:.1f}" width="6" height="{h:.1f}"/>'
        )
    return _svg(width, height, label, body, "spark")
