"""Run by test_kill: write diary entries (and now and then a check) as fast as possible forever,
printing each one's id only after it was committed. The test kills this process with SIGKILL."""

from __future__ import annotations

import sys

import upperback
from upperback.store import Store


def main(url: str, tag: str) -> None:
    answers = {"age": 30, "desk_hours_per_day": 9, "hunched_posture": True}
    result = upperback.assess(answers).to_dict()
    store = Store.open(url)
    print("open", flush=True)
    number = 0
    while True:
        number += 1
        if number % 10 == 0:
            check = store.save_check(answers | {"duration_days": number % 365}, result)
            print(f"check {check.id}", flush=True)
        else:
            entry = store.add_entry(number % 11, note=f"{tag}-{number}", symptoms=[tag])
            print(f"entry {entry.id} {tag}-{number}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
