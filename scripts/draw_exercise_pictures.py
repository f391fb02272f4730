"""Draw the exercise pictures: src/upperback/knowledge/exercise_pictures/ID.svg.

Each picture shows the start and the end position side by side, as a simple figure with thick
strokes (it must read at 360 px wide and in the PDF), titled with the exercise's name and
described by its `picture_alt` from exercises.yaml. Run it again after changing a pose:

    .venv/bin/python scripts/draw_exercise_pictures.py
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "src" / "upperback" / "knowledge"
OUT = KNOWLEDGE / "exercise_pictures"

INK = "#1f3a5f"
PROP = "#8a8f98"
MOVE = "#b03a2e"
PANEL_W = 200

Shape = str


def line(x1: float, y1: float, x2: float, y2: float, colour: str = INK, width: int = 7) -> Shape:
    return (f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" '
            f'stroke-width="{width}" stroke-linecap="round"/>')


def poly(points: list[tuple[float, float]], colour: str = INK, width: int = 7) -> Shape:
    text = " ".join(f"{x},{y}" for x, y in points)
    return (f'<polyline points="{text}" fill="none" stroke="{colour}" stroke-width="{width}" '
            'stroke-linecap="round" stroke-linejoin="round"/>')


def path(d: str, colour: str = INK, width: int = 7) -> Shape:
    return (f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}" '
            'stroke-linecap="round" stroke-linejoin="round"/>')


def head(x: float, y: float, r: int = 15) -> Shape:
    return f'<circle cx="{x}" cy="{y}" r="{r}" fill="#ffffff" stroke="{INK}" stroke-width="6"/>'


def arrow(x1: float, y1: float, x2: float, y2: float) -> Shape:
    return (f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{MOVE}" stroke-width="4" '
            'marker-end="url(#tip)"/>')


def floor() -> Shape:
    return line(10, 196, 190, 196, PROP, 4)


def chair_side(back_top: float = 70) -> list[Shape]:
    return [line(60, 132, 115, 132, PROP, 6), line(62, 132, 62, 194, PROP, 5),
            line(113, 132, 113, 194, PROP, 5), line(58, 132, 58, back_top, PROP, 6)]


def seated_side(neck: tuple[float, float], head_at: tuple[float, float],
                arms: list[tuple[float, float]] | None = None) -> list[Shape]:
    hip = (80, 128)
    shoulder = (80, 80)
    arm = arms or [shoulder, (98, 108), (118, 118)]
    return [line(*hip, *shoulder), line(*shoulder, *neck), head(*head_at),
            poly([hip, (128, 128), (128, 192)]), poly(arm)]


def front(shoulder_y: float = 78, head_at: tuple[float, float] = (100, 46),
          seated: bool = True, right_arm: list[tuple[float, float]] | None = None,
          left_arm: list[tuple[float, float]] | None = None) -> list[Shape]:
    shapes = [line(70, shoulder_y, 130, shoulder_y), line(100, shoulder_y, 100, 140),
              line(100, shoulder_y, head_at[0], head_at[1] + 14), head(*head_at)]
    shapes.append(poly(right_arm or [(70, shoulder_y), (62, 112), (60, 140)]))
    shapes.append(poly(left_arm or [(130, shoulder_y), (138, 112), (140, 140)]))
    if seated:
        shapes += [line(55, 142, 145, 142, PROP, 6), poly([(80, 140), (80, 194)]),
                   poly([(120, 140), (120, 194)])]
    else:
        shapes += [poly([(100, 140), (84, 194)]), poly([(100, 140), (116, 194)])]
    return shapes


def quadruped(spine: str, head_at: tuple[float, float],
              arm: list[tuple[float, float]] | None = None) -> list[Shape]:
    return [path(spine), head(*head_at), poly(arm or [(55, 128), (55, 192)]),
            poly([(140, 130), (140, 192), (178, 192)]), floor()]


def chin_tuck() -> tuple[list[Shape], list[Shape]]:
    start = [*chair_side(), *seated_side((94, 66), (108, 56))]
    end = [*chair_side(), *seated_side((82, 64), (84, 46)), arrow(120, 40, 104, 40)]
    return start, end


def shoulder_blade_squeeze() -> tuple[list[Shape], list[Shape]]:
    def back(apart: float, y: float) -> list[Shape]:
        return [head(100, 36), line(100, 51, 100, 62),
                path("M60 70 Q100 58 140 70 L132 170 L68 170 Z", INK, 6),
                f'<ellipse cx="{100 - apart}" cy="{y}" rx="11" ry="22" fill="{MOVE}" '
                'fill-opacity="0.35" stroke="#1f3a5f" stroke-width="3"/>',
                f'<ellipse cx="{100 + apart}" cy="{y}" rx="11" ry="22" fill="{MOVE}" '
                'fill-opacity="0.35" stroke="#1f3a5f" stroke-width="3"/>',
                poly([(60, 72), (48, 120), (46, 165)]), poly([(140, 72), (152, 120), (154, 165)]),
                poly([(80, 170), (78, 196)]), poly([(120, 170), (122, 196)])]
    start = back(30, 100)
    end = [*back(15, 104), arrow(62, 104, 78, 104), arrow(138, 104, 122, 104)]
    return start, end


def shoulder_rolls() -> tuple[list[Shape], list[Shape]]:
    start = [*front(66, (100, 40), seated=False, right_arm=[(70, 66), (64, 104), (62, 134)],
                    left_arm=[(130, 66), (136, 104), (138, 134)]), arrow(70, 88, 70, 70),
             arrow(130, 88, 130, 70)]
    end = [*front(82, (100, 46), seated=False), path("M52 60 Q40 80 58 96", MOVE, 4),
           path("M148 60 Q160 80 142 96", MOVE, 4), arrow(58, 96, 64, 100),
           arrow(142, 96, 136, 100)]
    return start, end


def _seated_hold(head_at: tuple[float, float]) -> list[Shape]:
    return front(78, head_at, right_arm=[(70, 78), (64, 112), (58, 142)])


def upper_trapezius_stretch() -> tuple[list[Shape], list[Shape]]:
    start = _seated_hold((100, 46))
    end = [*_seated_hold((124, 54)), arrow(106, 24, 128, 32)]
    return start, end


def levator_scapulae_stretch() -> tuple[list[Shape], list[Shape]]:
    start = _seated_hold((100, 46))
    end = [*_seated_hold((116, 62)),
           '<path d="M110 66 l10 4" stroke="#1f3a5f" stroke-width="4" stroke-linecap="round"/>',
           arrow(124, 40, 136, 60)]
    return start, end


def thoracic_extension_chair() -> tuple[list[Shape], list[Shape]]:
    hands = [(80, 80), (100, 70), (86, 56)]
    start = [*chair_side(100), *seated_side((80, 66), (80, 48), hands)]
    lean_arm = [(64, 84), (84, 68), (66, 54)]
    end = [*chair_side(100), line(80, 128, 64, 84), line(64, 84, 56, 70), head(50, 54),
           poly([(80, 128), (128, 128), (128, 192)]), poly(lean_arm), arrow(96, 40, 76, 36)]
    return start, end


def doorway_chest_stretch() -> tuple[list[Shape], list[Shape]]:
    frame = [line(120, 10, 120, 196, PROP, 8), floor()]
    start = [*frame, head(92, 36), line(92, 51, 92, 130), poly([(92, 76), (116, 76), (116, 54)]),
             poly([(92, 130), (86, 194)]), poly([(92, 130), (100, 194)])]
    end = [*frame, head(118, 40), line(114, 55, 100, 130), poly([(112, 78), (116, 76), (116, 54)]),
           poly([(100, 130), (138, 160), (138, 194)]), poly([(100, 130), (74, 194)]),
           arrow(136, 36, 156, 36)]
    return start, end


def cat_camel() -> tuple[list[Shape], list[Shape]]:
    start = [*quadruped("M55 128 Q98 76 140 130", (42, 150)), arrow(98, 70, 98, 50)]
    end = [*quadruped("M55 128 Q98 160 140 130", (36, 112)), arrow(98, 120, 98, 140)]
    return start, end


def thread_the_needle() -> tuple[list[Shape], list[Shape]]:
    start = quadruped("M55 128 Q98 118 140 130", (36, 122))
    end = [*quadruped("M62 160 Q100 132 140 130", (44, 176), [(62, 160), (110, 190)]),
           poly([(70, 150), (70, 192)]), arrow(96, 178, 128, 182)]
    return start, end


def wall_angels() -> tuple[list[Shape], list[Shape]]:
    wall = (f'<rect x="30" y="8" width="140" height="188" fill="#e9ecef" stroke="{PROP}" '
            'stroke-width="3"/>')
    start = [wall, *front(78, (100, 50), seated=False, right_arm=[(70, 78), (48, 80), (48, 46)],
                          left_arm=[(130, 78), (152, 80), (152, 46)])]
    end = [wall, *front(78, (100, 50), seated=False, right_arm=[(70, 78), (56, 46), (60, 14)],
                        left_arm=[(130, 78), (144, 46), (140, 14)]),
           arrow(40, 60, 40, 30), arrow(160, 60, 160, 30)]
    return start, end


POSES = {
    "chin_tuck": chin_tuck,
    "shoulder_blade_squeeze": shoulder_blade_squeeze,
    "shoulder_rolls": shoulder_rolls,
    "upper_trapezius_stretch": upper_trapezius_stretch,
    "levator_scapulae_stretch": levator_scapulae_stretch,
    "thoracic_extension_chair": thoracic_extension_chair,
    "doorway_chest_stretch": doorway_chest_stretch,
    "cat_camel": cat_camel,
    "thread_the_needle": thread_the_needle,
    "wall_angels": wall_angels,
}


def picture(exercise_id: str, name: str, alt: str) -> str:
    """One exercise's SVG: start on the left, end on the right, with its title and text."""
    start, end = POSES[exercise_id]()
    panels = []
    for n, (label, shapes) in enumerate((("Start", start), ("End", end))):
        body = "\n    ".join(shapes)
        panels.append(
            f'  <g transform="translate({n * (PANEL_W + 20)} 30)">\n'
            f'    <rect x="0" y="0" width="{PANEL_W}" height="204" rx="10" fill="#f8f9fa" '
            'stroke="#ced4da" stroke-width="2"/>\n'
            f"    {body}\n  </g>\n"
            f'  <text x="{n * (PANEL_W + 20) + PANEL_W / 2}" y="22" text-anchor="middle" '
            f'font-family="DejaVu Sans, sans-serif" font-size="20" font-weight="bold" '
            f'fill="{INK}">{label}</text>\n'
        )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 420 240" width="420" height="240" '
        f'role="img" aria-labelledby="title-{exercise_id} desc-{exercise_id}">\n'
        f'  <title id="title-{exercise_id}">{escape(name)}</title>\n'
        f'  <desc id="desc-{exercise_id}">{escape(alt)}</desc>\n'
        '  <defs><marker id="tip" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="4" '
        f'markerHeight="4" orient="auto"><path d="M0 0 L10 5 L0 10 Z" fill="{MOVE}"/></marker>'
        "</defs>\n" + "".join(panels) + "</svg>\n"
    )


def main() -> None:
    """Write every exercise's picture."""
    book = yaml.safe_load((KNOWLEDGE / "exercises.yaml").read_text("utf-8"))
    OUT.mkdir(exist_ok=True)
    for exercise in book["exercises"]:
        svg = picture(exercise["id"], exercise["name"], exercise["picture_alt"])
        (OUT / f"{exercise['id']}.svg").write_text(svg, "utf-8")
        print(f"wrote {exercise['id']}.svg")


if __name__ == "__main__":
    main()
