"""A first scan's work per file, in one process: what each worker does with a batch
(`tuific.scan_segments.parse_segment`: read, parse for the list, encode the batch as a
cache segment) against the read-and-split loop of bench_library (read the file,
decode, split its words), on the same files in the same run.

Run: python benchmarks/bench_scan_parse.py [LIBRARY] [--files N]

LIBRARY defaults to the 100k library bench_library keeps in ~/.cache/tuific-bench
(made by `bench_library.py --count 100000 --words 300 --keep ~/.cache/tuific-bench`).
Prints CPU µs a file for both (best of three) and their ratio: with two cores and the
app's own work beside them, a 100k first scan reaches half the loop's throughput when
this ratio is about 4.3 or less. `digest` changes only when the segments' bytes do.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tuific.library import _walk  # noqa: E402
from tuific.scan_segments import SEGMENT, parse_segment  # noqa: E402

DEFAULT = Path.home() / ".cache" / "tuific-bench" / "library-100000-300w"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--files", type=int, default=5120, help="files measured (default 5120)")
    args = parser.parse_args()
    if not args.library.is_dir():
        print(f"bench_scan_parse: no library at {args.library} (see the docstring)")
        return 0
    root = str(args.library)
    files = []
    for key, info, _reason in _walk(args.library):
        if info is not None:
            files.append((key, info.st_size, info.st_mtime_ns))
            if len(files) >= args.files:
                break

    def loop() -> None:
        for path, _size, _mtime in files:
            with open(path, "rb") as handle:
                len(handle.read().decode("utf-8", "replace").split())

    def segments() -> str:
        digest = hashlib.sha256()
        for start in range(0, len(files), SEGMENT):
            segment = parse_segment(root, files[start : start + SEGMENT])
            digest.update(segment.data or b"")
            digest.update(repr(segment.failures).encode())
        return digest.hexdigest()[:16]

    digest = segments()  # warm-up: imports, the OS's page cache
    best_loop = best_segments = float("inf")
    for _ in range(3):
        started = time.process_time()
        loop()
        best_loop = min(best_loop, time.process_time() - started)
        started = time.process_time()
        segments()
        best_segments = min(best_segments, time.process_time() - started)
    count = len(files)
    print(
        f"{count} files: read-and-split loop {best_loop / count * 1e6:.1f} µs a file, "
        f"segment {best_segments / count * 1e6:.1f} µs a file, "
        f"ratio {best_segments / best_loop:.2f} · digest {digest}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
