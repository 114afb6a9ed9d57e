"""`q` pressed just after a first scan has listed every story: its cache file is
written after the list is complete (in the scan's thread, a daemon's), and quitting
waits for it (a few seconds at most) instead of losing the whole scan."""

from __future__ import annotations

import time

from uihelpers import make_app, wait_until, write_library

import tuific.scan_segments as scan_segments
from tuific.cache import MetadataCache, cache_file_for


async def test_quitting_as_a_first_scan_ends_keeps_its_cache(tmp_path, monkeypatch):
    files = {f"{n:02d}.txt": f"Title: Story {n}\n\nSome words.\n" for n in range(12)}
    root = write_library(tmp_path, files)
    original = scan_segments.SegmentScan.save

    def slow_save(self, file, wait):
        if wait:
            time.sleep(0.8)  # a big library's join and write
        return original(self, file, wait)

    monkeypatch.setattr(scan_segments.SegmentScan, "save", slow_save)
    app = make_app(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: not app.library_pane.scanning, 200)
        assert len(app.listing) == 12
        await pilot.press("q")
    # The app has ended: the cache is on disk, whole.
    listed = MetadataCache(root, cache_file_for(root)).listed()
    assert listed is not None and len(listed[0]) == 12
