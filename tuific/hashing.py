"""blake2b, the one hash tuific uses (content fingerprints, cache file names).

Taken from CPython's own `_blake2` module: importing `hashlib` also loads its OpenSSL
bindings, ~2.5 ms of every start for hashes tuific never uses.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

__all__ = ["blake2b"]
