"""Build checks of make memmap's picture (tools/memmap_svg.c): for each
shipped configuration and each good test configuration, the SVG renders to
PNG (rsvg-convert, Debian's librsvg2-bin), every box's label lies inside its
box, and no band from a slot to its host memory runs behind a box."""

import glob
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import harness

ROOT = harness.ROOT
SVG = "{http://www.w3.org/2000/svg}"
CHAR_W = 6.6   # monospace at font-size 11 (DejaVu Sans Mono: 0.602 em)
ASCENT = 9     # above the baseline, at font-size 11


def check_svg(path):
    """None, or what is wrong with the picture at path."""
    root = ET.parse(path).getroot()
    rects = {r.get("id"): r for r in root.iter(SVG + "rect") if r.get("class") == "box"}
    labels = [t for t in root.iter(SVG + "text") if t.get("class") == "label"]
    if not rects or len({t.get("for") for t in labels}) != len(rects):
        return f"{len(rects)} boxes but labels for {len({t.get('for') for t in labels})}"
    for t in labels:
        r = rects.get(t.get("for"))
        if r is None:
            return f"label {t.text!r} names no box"
        x, y = float(t.get("x")), float(t.get("y"))
        rx, ry = float(r.get("x")), float(r.get("y"))
        rw, rh = float(r.get("width")), float(r.get("height"))
        right = x + len(t.text or "") * CHAR_W
        if not (rx <= x and right <= rx + rw and ry <= y - ASCENT and y + 3 <= ry + rh):
            return (f"label {t.text!r} ({x:.0f}-{right:.0f}, {y - ASCENT:.0f}-{y + 3:.0f}) "
                    f"leaves its box ({rx:.0f}-{rx + rw:.0f}, {ry:.0f}-{ry + rh:.0f})")
    for p in root.iter(SVG + "polygon"):
        xs = [float(pt.split(",")[0]) for pt in p.get("points").split()]
        lo, hi = min(xs), max(xs)
        for r in rects.values():
            rx, rw = float(r.get("x")), float(r.get("width"))
            if rx < hi and rx + rw > lo:
                return f"a band ({lo:.0f}-{hi:.0f}) runs behind box {r.get('id')}"
    return None


def configurations():
    out = [(f"configs/{n}", dict(CONFIG=n)) for n in ("default", "baremetal", "bench")]
    out.append(("configs/single", dict(CONFIG="single", GUEST="build/guests/hello.bin")))
    out.append(("configs/single+flash+loads", dict(
        CONFIG="single", GUEST="build/guests/hello.bin",
        LOAD="build/guests/hello.bin@0x44000000")))
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/configs/good/*.c"))):
        rel = os.path.relpath(path, ROOT)
        out.append((rel, dict(CONFIG_FILE=rel)))
    return out


def check():
    if not shutil.which("rsvg-convert"):
        return "rsvg-convert is missing: make setup installs librsvg2-bin", ""
    log = ""
    for name, variables in configurations():
        build = os.path.join("build", "test", "memmap-picture",
                             re.sub(r"[^\w.-]", "_", name))
        args = [f"{k}={v}" for k, v in variables.items()] + [f"BUILD={build}", "memmap"]
        proc = subprocess.run(["make", "-s", "--no-print-directory"] + args, cwd=ROOT,
                              capture_output=True, text=True)
        log += f"== {name}\n" + proc.stdout[-300:] + proc.stderr[-600:]
        if proc.returncode != 0:
            return f"make memmap failed for {name}", log
        svg = os.path.join(ROOT, build, "memmap.svg")
        png = svg[:-4] + ".png"
        proc = subprocess.run(["rsvg-convert", svg, "-o", png], capture_output=True, text=True)
        if proc.returncode != 0 or not os.path.getsize(png):
            return f"rsvg-convert could not render {name}'s picture: {proc.stderr.strip()}", log
        why = check_svg(svg)
        if why:
            return f"{name}: {why}", log
    return None, log
