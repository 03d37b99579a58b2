#!/usr/bin/env python3
"""Draws ribbon.svg, the green-and-white ribbon of the Journées de la persévérance scolaire.

One band of constant width: its green half rises from the bottom-left tail through the
crossing and up the loop's right side to the top; its white half, outlined in green, comes
down the loop's left side, crosses in front and ends in the bottom-right tail. Both tails end
in an angled cut. A white halo keeps it visible on green or on a photo.

Run `python3 assets/art/ribbon.py > assets/art/ribbon.svg` after changing a number here; the
SVG is the asset (compiled into the renderer), this script is how it was made.
"""

import math

W, H = 200, 280  # viewBox
BAND = 36  # band width
TOP = (100.0, 28.0)  # apex of the loop, where the halves meet
CROSS = (100.0, 148.0)  # where the tails cross
TAIL = (40.0, 250.0)  # centre of the bottom-left tail's end (the other mirrors it)
GREEN, DARK, WHITE = "#2BA84A", "#1B7F3B", "#FFFFFF"


def norm(v):
    n = math.hypot(*v)
    return (v[0] / n, v[1] / n)


def bezier(p0, p1, p2, p3, t):
    u = 1 - t
    return tuple(u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d for a, b, c, d in zip(p0, p1, p2, p3))


def centreline():
    """The green half's centreline, from the tail's end to the top, as points."""
    d = norm((CROSS[0] - TAIL[0], CROSS[1] - TAIL[1]))  # up and to the right
    pts = [TAIL]
    # The straight tail, through the crossing...
    steps = 12
    for i in range(1, steps + 1):
        t = i / steps
        pts.append((TAIL[0] + (CROSS[0] - TAIL[0]) * t, TAIL[1] + (CROSS[1] - TAIL[1]) * t))
    # ...then the loop's right side, arriving at the top heading left (a smooth teardrop).
    c1 = (CROSS[0] + d[0] * 78, CROSS[1] + d[1] * 78)
    c2 = (TOP[0] + 66, TOP[1])
    for i in range(1, 41):
        pts.append(bezier(CROSS, c1, c2, TOP, i / 40))
    return pts


def band(pts):
    """The band's outline around a centreline, its first end cut at an angle."""
    left, right = [], []
    for i, p in enumerate(pts):
        a = pts[max(i - 1, 0)]
        b = pts[min(i + 1, len(pts) - 1)]
        t = norm((b[0] - a[0], b[1] - a[1]))
        n = (-t[1], t[0])
        left.append((p[0] + n[0] * BAND / 2, p[1] + n[1] * BAND / 2))
        right.append((p[0] - n[0] * BAND / 2, p[1] - n[1] * BAND / 2))
    # The angled cut: the tail's outer edge reaches lower than its inner edge.
    d = norm((pts[1][0] - pts[0][0], pts[1][1] - pts[0][1]))
    left[0] = (left[0][0] - d[0] * 10, left[0][1] - d[1] * 10)
    right[0] = (right[0][0] + d[0] * 10, right[0][1] + d[1] * 10)
    return left + right[::-1]


def mirror(poly):
    return [(W - x, y) for x, y in poly]


def path(poly):
    head = "M{:.1f},{:.1f}".format(*poly[0])
    return head + "".join(" L{:.1f},{:.1f}".format(*p) for p in poly[1:]) + " Z"


def main():
    green = band(centreline())
    # The white half is the green one mirrored, drawn from its top to the other tail.
    white = mirror(green)
    g, w = path(green), path(white)
    print(f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}">
  <!-- The green-and-white ribbon of the Journées de la persévérance scolaire: one loop, tails
       that cross, angled cuts, a green half and a white half outlined in green.
       Made by ribbon.py (same folder); edit the script, not these numbers. -->
  <g stroke="{WHITE}" stroke-width="14" stroke-linejoin="round" fill="{WHITE}">
    <path d="{g}"/>
    <path d="{w}"/>
  </g>
  <path fill="{GREEN}" stroke="{DARK}" stroke-width="4" stroke-linejoin="round" d="{g}"/>
  <path fill="{WHITE}" stroke="{GREEN}" stroke-width="6" stroke-linejoin="round" d="{w}"/>
</svg>""")


if __name__ == "__main__":
    main()
