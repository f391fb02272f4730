"""The posture check: `/posture`, a webcam check that never sends a frame anywhere.

The pose model (MediaPipe's BlazePose lite) and its WebAssembly runtime are served from the
package (static/vendor/mediapipe/, made by scripts/vendor-pose-model) and run in the page;
posture.js starts the camera only after a click. The person sits well for a few seconds to
calibrate; then a smoothed measure of how high the head sits above the shoulders (and how far
it leans toward the screen) against that calibration, with hysteresis, gives a gentle reminder
after slumping for the time the person chose, never more often than they chose. The page's
headers allow WebAssembly and the camera on this page only (security.PAGE_HEADERS).
"""

from __future__ import annotations

import mimetypes
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .context import web

router = APIRouter()

# The vendored files, relative to static/.
VENDOR: Final = "vendor/mediapipe/"
RUNTIME: Final = {
    "bundle": VENDOR + "vision_bundle.mjs",
    "loader": VENDOR + "vision_wasm_internal.js",
    "wasm": VENDOR + "vision_wasm_internal.wasm",
    "model": VENDOR + "pose_landmarker_lite.task",
}
# The runtime streams its WebAssembly only when served as application/wasm, and the headers say
# nosniff: name the types, for systems whose mime.types lacks them.
mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".mjs")

# The person's choices: how long a slump lasts before a reminder, and the least time between
# two reminders (seconds, minutes). The first of each pair is what the page starts with.
SLUMP_SECONDS: Final = (30, (10, 30, 60, 120))
REMIND_MINUTES: Final = (10, (1, 5, 10, 20, 30))
# How the measure is read (not a health rule: the signal's handling). Calibration takes the
# median of its first seconds; the measure is smoothed (an exponential moving average, with
# this weight for each new frame); a slump starts below `enter` of the calibrated measure and
# ends only above `leave` (hysteresis, so a measure near the line does not flicker).
MEASURE: Final = {"calibrate_seconds": 3, "smoothing": 0.3, "enter": 0.90, "leave": 0.95,
                  "frame_ms": 200}
# The exercise the reminder suggests, when the knowledge base has it.
SUGGESTED_EXERCISE: Final = "chin_tuck"


def _choices(pair: tuple[int, tuple[int, ...]], unit: str) -> list[dict[str, Any]]:
    default, values = pair
    return [{"value": v, "label": _label(v, unit), "selected": v == default} for v in values]


def _label(value: int, unit: str) -> str:
    if unit == "seconds" and value >= 60 and value % 60 == 0:
        value, unit = value // 60, "minutes"
    return f"{value} {unit[:-1] if value == 1 else unit}"


@router.get("/posture")
async def posture_page(request: Request) -> Response:
    """The posture check; everything it does happens in the browser."""
    context = web(request)
    pages = context.pages
    exercise = context.kb.exercises.get(SUGGESTED_EXERCISE)
    values = {
        "runtime": {name: pages.static_url(path) for name, path in RUNTIME.items()},
        "slump_choices": _choices(SLUMP_SECONDS, "seconds"),
        "remind_choices": _choices(REMIND_MINUTES, "minutes"),
        "measure": MEASURE,
        "exercise": exercise,
    }
    return pages.render(request, "posture.html", values)
