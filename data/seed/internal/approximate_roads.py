"""Writes data/seed/roads.geojson and boundary.geojson.

津塘路 is the OSM-derived centreline (see internal/jintang). The other five
key roads have no surveyed geometry at hand: they are laid out approximately
in a local frame along 津塘路 (u: meters along it from its north-western end
towards the south-east; n: meters to its south-west), with gentle bends, and
are marked approximate. Run from the repository root:

    go run ./data/seed/internal/jintang data/seed/jintang-road-osm-wgs84.geojson > /tmp/jintang.json
    python3 data/seed/internal/approximate_roads.py /tmp/jintang.json
"""
import json, math, sys

jt = json.load(open(sys.argv[1]))["coordinates"]
O = jt[0]
KX, KY = 111320 * math.cos(math.radians(O[1])), 110574.0
ex, ey = (jt[-1][0] - O[0]) * KX, (jt[-1][1] - O[1]) * KY
L = math.hypot(ex, ey)
U = (ex / L, ey / L)            # along 津塘路, NW -> SE
N = (-U[1], U[0])               # left of U ...
if N[1] > 0:                    # ... we want the south-west side
    N = (-N[0], -N[1])

def ll(u, n):
    x, y = u * U[0] + n * N[0], u * U[1] + n * N[1]
    return [round(O[0] + x / KX, 7), round(O[1] + y / KY, 7)]

def street(a, b, wiggle, step=100.0):
    """A street from (u, n) a to b with vertices every step meters, bent by wiggle meters."""
    (u0, n0), (u1, n1) = a, b
    length = math.hypot(u1 - u0, n1 - n0)
    k = max(2, int(round(length / step)))
    pu, pn = -(n1 - n0) / length, (u1 - u0) / length
    pts = []
    for i in range(k + 1):
        t = i / k
        w = wiggle * math.sin(math.pi * t) * math.sin(3.1 * t + 0.7)
        pts.append(ll(u0 + t * (u1 - u0) + w * pu, n0 + t * (n1 - n0) + w * pn))
    return pts

APPROX = "approximate geometry, not surveyed: replace with the street office's survey (PUT /api/v1/roads/{id})"
roads = [
    ("houtai-xilu", "后台西路", "Houtai Xilu", 20, street((700, 25), (700, 830), 12),
     [{"kind": "line-marking", "start": "2026-05-11T00:00:00+08:00",
       "note": "划线治理 pilot: painted shop lines along the shop fronts"}]),
    ("jintang-lu", "津塘路", "Jintang Lu", 30, jt, []),
    ("gongqian-jie", "宫前街", "Gongqian Jie", 15, street((860, 620), (1290, 620), 6), []),
    ("dazhigu-zhonglu", "大直沽中路", "Dazhigu Zhonglu", 20, street((200, 350), (1400, 350), 15), []),
    ("liuwei-lu", "六纬路", "Liuwei Lu", 20, street((1500, 35), (1500, 1020), 14), []),
    ("zhigu-jie", "直沽街", "Zhigu Jie", 15, street((300, 375), (300, 880), 8), []),
]
features = []
for rid, name, pinyin, buf, coords, pilots in roads:
    osm = rid == "jintang-lu"
    features.append({"type": "Feature", "id": rid,
        "properties": {"id": rid, "name": name, "pinyin": pinyin, "key": True,
                       "approximate": not osm, "buffer_m": buf, "pilots": pilots,
                       "attribution": "© OpenStreetMap contributors, ODbL 1.0 (derived centreline)" if osm else APPROX},
        "geometry": {"type": "LineString", "coordinates": coords}})
json.dump({"type": "FeatureCollection", "features": features},
          open("data/seed/roads.geojson", "w"), ensure_ascii=False, indent=1)

ring = [ll(-300, -450), ll(L + 300, -450), ll(L + 300, 1320), ll(-300, 1320), ll(-300, -450)]
json.dump({"type": "FeatureCollection", "features": [{"type": "Feature",
    "properties": {"name": "大直沽街道 service area", "approximate": True,
                   "note": "approximate outline around the key roads with a 300 m margin; replace with the official boundary"},
    "geometry": {"type": "Polygon", "coordinates": [ring]}}]},
    open("data/seed/boundary.geojson", "w"), ensure_ascii=False, indent=1)
