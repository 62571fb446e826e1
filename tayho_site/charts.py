"""Geometry for small server-drawn SVG bar charts (no JavaScript, nothing inline to
allow in the Content-Security-Policy). Each chart is also given as a table beside it.

The drawing area is `width` × 100 user units; templates scale it with viewBox."""

STEP = 10  # width of one column slot
BAR = 8  # width of the bar inside its slot
TOP = 90  # the tallest bar's height, leaving room above it


def columns(values, peak=None):
    """One bar per value; `peak` is the value drawn at full height (the largest by default)."""
    values = list(values)
    peak = peak if peak is not None else max((v for v in values if v is not None), default=0)
    bars = []
    for index, value in enumerate(values):
        height = round(TOP * (value or 0) / peak) if peak else 0
        bars.append({"x": index * STEP + 1, "y": 100 - height, "height": height, "width": BAR, "value": value})
    return {"bars": bars, "width": max(STEP, len(values) * STEP)}


def stacked(rows, keys):
    """One column per row, its segments stacked bottom-up in the order of `keys`.
    `rows` are mappings holding a count under each key."""
    rows = list(rows)
    peak = max((sum(row[key] for key in keys) for row in rows), default=0)
    out = []
    for index, row in enumerate(rows):
        y = 100
        segments = []
        for key in keys:
            height = TOP * row[key] / peak if peak else 0
            y -= height
            if row[key]:
                segments.append({"key": key, "count": row[key], "y": round(y, 2), "height": round(height, 2)})
        out.append({"x": index * STEP + 1, "width": BAR, "segments": segments, "row": row})
    return {"columns": out, "width": max(STEP, len(rows) * STEP)}


def legend(keys, labels):
    """The legend of a chart: each key with its label, in order."""
    return [{"key": key, "label": labels[key]} for key in keys]


def bars(rows, keys, labels, *, name="label"):
    """One horizontal bar per row, for charts whose bars need a name and numbers (units
    on the accountability page): the name and each segment's count are written as text
    beside the bar, so the chart reads on a phone and without colour. Each segment's
    `x` and `width` are shares of 100 of the largest row's total."""
    rows = list(rows)
    peak = max((sum(row[key] for key in keys) for row in rows), default=0)
    out = []
    for row in rows:
        x = 0.0
        segments = []
        for key in keys:
            count = row[key]
            width = 100 * count / peak if peak else 0
            if count:
                segments.append(
                    {"key": key, "count": count, "label": labels[key], "x": round(x, 2), "width": round(width, 2)}
                )
            x += width
        out.append({"name": row[name], "total": sum(row[key] for key in keys), "segments": segments})
    return out
