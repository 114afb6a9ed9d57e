"""The state's files: reading each piece when first needed, saving only the pieces
that changed (each under the lock, merged with the file on disk, replaced
atomically), a damaged piece kept aside, and the whole history's rename index made
in the background so the first frame never waits for it.

A mixin of `StateStore` (store.py holds the API and the entries in memory).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import tomllib
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from .disk import exclusive_lock, remove_stale_temp_files, write_atomic
from .merge import _merge, _merge_tables
from .records import LOCK_TIMEOUT, SYNC_ALL_ABOVE, StoryState, Unreadable, _Doc
from .schema import _parse
from .shards import (
    MAIN,
    Piece,
    encode_piece,
    entry_chunk,
    piece_path,
    scan_fingerprints,
    shard_folder,
    shard_names,
    shard_of,
)

# A history this small (a few hundred entries) is read whole at load: a few ms, and
# every lookup then follows renames at once. Larger ones are read shard by shard.
EAGER_BYTES = 64 * 1024


class StateFiles:
    """Loading and saving the pieces of the state (see `shards`)."""

    path: Path
    notices: list[str]
    _doc: _Doc
    _pending: dict[str, StoryState]
    _by_fingerprint: dict[str, list[str]] | None
    _unfollowed: set[tuple[str, str]]
    _works: bool
    _io: threading.RLock
    _mutex: threading.RLock

    def _init_files(self) -> None:
        self._pieces: dict[str, Piece] = {}
        # True once every shard was read. A shard with no file then gets no Piece
        # (making all 1,024 cost ~1.5 ms a start); `_refresh_loaded` reads one made later.
        self._absent_read = False
        # Pieces with changes not yet written, and pieces a save is writing now (a
        # save from a signal handler mid-save writes those again, see _save_piece).
        self._dirty: set[str] = set()
        self._in_flight: set[str] = set()
        self._stop_preload = threading.Event()
        # Held while reading every shard: a lookup that needs them all waits for a
        # preload under way instead of parsing the same shards beside it.
        self._load_lock = threading.Lock()
        self._writes = 0
        self._durable = True  # False while a save writes many shards (see save)
        self._lock_depth = 0

    @property
    def dirty(self) -> bool:
        return bool(self._dirty or self._in_flight)

    def _piece(self, name: str) -> Piece:
        piece = self._pieces.get(name)
        if piece is None:  # setdefault: the preload thread may be making it too
            piece = self._pieces.setdefault(name, Piece(self.path, name))
        return piece

    def _mark(self, key: str) -> None:
        """`key`'s entry or tombstone changed: its shard is written at the next save."""
        name = shard_of(key)
        piece = self._piece(name)
        piece.members.add(key)
        piece.chunks.pop(key, None)
        self._dirty.add(name)

    def _changed(self) -> None:
        """Something of the main file changed (preferences, pace, last story)."""
        with self._mutex:
            self._dirty.add(MAIN)

    def _notice(self, message: str) -> None:
        if message not in self.notices:  # a failing save retries; say it once
            self.notices.append(message)

    # -- loading

    def load(self) -> None:
        """Read the main file and the last story's shard (start-up), or see other
        sessions' changes to everything read so far. The rest is read when first
        asked for; `preload` makes the rename index in the background."""
        with self._io:
            if self.path.exists():
                with self._file_lock():
                    try:
                        disk = self._read_piece(MAIN, force=True)
                    except Unreadable:
                        return
                    if disk is not None:
                        with self._mutex:
                            self._fold_main(disk)
            remove_stale_temp_files(self.path)
            self._piece(MAIN).loaded = True
            self._refresh_loaded(skip=())
        if self._shard_bytes() <= EAGER_BYTES:
            self._load_all()
            self._load_index()
            return
        last = self._doc.last_story
        if last is not None:
            self._ensure(last)  # most starts reopen it

    def _refresh_loaded(self, skip: Collection[str]) -> None:
        """Fold in other sessions' saves of the shards read so far (a stat each; only a
        changed one is parsed again). A shard with no file then or now is passed over:
        one listing of the folder, not a failed stat per shard at every save."""
        existing = self._existing_shards()
        for name, piece in list(self._pieces.items()):
            if name == MAIN or not piece.loaded or name in skip:
                continue
            if piece.signature is None and name not in existing:
                continue
            self._load_shard(name, force=False)
        if self._absent_read:  # shards made since every shard was read
            for name in existing - self._pieces.keys() - set(skip):
                self._load_shard(name, force=False)

    def _existing_shards(self) -> set[str]:
        """The names of the shard files on disk now."""
        with contextlib.suppress(OSError), os.scandir(shard_folder(self.path)) as found:
            return {entry.name[:-5] for entry in found if entry.name.endswith(".toml")}
        return set()

    def _shard_bytes(self) -> int:
        total = 0
        try:
            with os.scandir(shard_folder(self.path)) as found:
                for entry in found:
                    total += entry.stat().st_size
                    if total > EAGER_BYTES:
                        break
        except OSError:
            pass
        return total

    def preload(self, on_done: Callable[[], None] | None = None) -> threading.Thread:
        """Make the rename index in a daemon thread. `on_done` is called (from that
        thread) if a story looked up meanwhile turns out to be a renamed one whose
        entry the lookup could not follow yet (see `find(wait=False)`)."""

        def run() -> None:
            try:
                work()
            except Exception as error:  # a thread's traceback would garble the screen
                self._notice(f"Could not read the whole reading history: {error}")

        def work() -> None:
            self._warm_chunks()
            if not self._load_index(stoppable=True):
                return
            # Under `_io`, as load's sweep: a temp file of this process counts as a
            # killed save's, so a save under way meanwhile (at quit) lost its own.
            with self._io:
                remove_stale_temp_files(shard_folder(self.path) / "*")
            with self._mutex:
                missed, self._unfollowed = self._unfollowed, set()
            moved = False
            for key, fingerprint in missed:
                self._load_candidates(fingerprint)
                with self._mutex:
                    moved = moved or (
                        key not in self._doc.stories
                        and self._moved_from(key, fingerprint) is not None
                    )
            if moved and on_done is not None:
                on_done()

        thread = threading.Thread(target=run, name="tuific-state-preload", daemon=True)
        thread.start()
        return thread

    def _warm_chunks(self) -> None:
        """Encode the entries of the shards read so far, so the first save of each
        (at quit, often) encodes only what changed, not its few hundred entries."""
        for piece in [p for name, p in list(self._pieces.items()) if name and p.loaded]:
            for key in sorted(piece.members):
                if self._stop_preload.is_set():
                    return
                with self._mutex:  # a change meanwhile drops the chunk: none goes stale
                    if key not in piece.chunks and key in self._doc.stories:
                        piece.chunks[key] = entry_chunk(self._doc, key)

    def stop_preload(self) -> None:
        """Stop a `preload` between two shards (quitting: leave the CPU to the save)."""
        self._stop_preload.set()

    def _ensure(self, key: str) -> None:
        """Read `key`'s shard if not read yet. Never call it holding `_mutex`: a damaged
        shard is set aside under `_io`, which a save holds while it waits for `_mutex`."""
        name = shard_of(key)
        piece = self._pieces.get(name)
        if piece is None and self._absent_read:
            return  # no file when every shard was read (a refresh reads one made since)
        if piece is None or not piece.loaded:
            self._load_shard(name, force=True)

    def _load_all(self) -> None:
        """Read every shard not read yet (`keys()`, or a small history at start)."""
        with self._load_lock:
            existing = self._existing_shards()  # one listing, not 1,024 failed stats
            for name in shard_names():
                piece = self._pieces.get(name)
                if piece is not None and piece.loaded:
                    continue
                if name in existing:
                    self._load_shard(name, force=True)
                elif piece is not None:  # nothing to read (a later save re-checks)
                    piece.loaded = True
            self._absent_read = True

    def _load_index(self, stoppable: bool = False) -> bool:
        """Make the rename index (`_by_fingerprint`: fingerprint -> keys) of the whole
        history: entries in memory, and shards not read yet scanned for their keys and
        fingerprints without parsing them (`scan_fingerprints`). False if stopped
        first (`stop_preload`)."""
        with self._load_lock:
            if self._by_fingerprint is not None:
                return True
            index: dict[str, list[str]] = {}
            existing = self._existing_shards()
            for name in shard_names():
                if stoppable and self._stop_preload.is_set():
                    return False
                piece = self._pieces.get(name)
                if (piece is not None and piece.loaded) or name not in existing:
                    continue  # taken from memory below, or no file to scan
                try:
                    text = piece_path(self.path, name).read_bytes().decode("utf-8")
                except (OSError, UnicodeDecodeError):
                    continue  # missing, or damaged: read (and set aside) when needed
                for fingerprint, key in scan_fingerprints(text):
                    index.setdefault(fingerprint, []).append(key)
            with self._mutex:  # entries read meanwhile are in memory: none is missed
                for key, entry in self._doc.stories.items():
                    if entry.fingerprint:
                        index.setdefault(entry.fingerprint, []).append(key)
                    if entry.work:
                        index.setdefault("work:" + entry.work, []).append(key)
                # Source URLs are looked up only when some entry has one (see `find`).
                self._works = any(name.startswith("work:") for name in index)
                self._by_fingerprint = index
        return True

    def _load_candidates(self, fingerprint: str) -> None:
        """Read the shards of the entries the index names for `fingerprint`, so
        `_moved_from` can check them (outside `_mutex`, see `_ensure`)."""
        index = self._by_fingerprint or {}
        for key in list(index.get(fingerprint, ())):
            self._ensure(key)

    def _load_shard(self, name: str, force: bool) -> None:
        piece = self._piece(name)
        try:
            disk = self._read_piece(name, force)
        except Unreadable:
            disk = None  # noticed; a save will not write over it (its signature is None)
        with self._mutex:
            if disk is not None:
                self._fold_shard(name, disk)
            piece.loaded = True

    def _fold_main(self, disk: _Doc) -> None:
        # Entries in the main file come from the single-file layout: from a tuific
        # before shards (the first start migrates them), or written by one after a
        # downgrade. They join their shards and leave the main file at the next save.
        for key in [*disk.stories, *disk.removed]:
            self._mark(key)
        if disk.stories or disk.removed:
            self._dirty.add(MAIN)
        self._fold_in(disk)

    def _fold_shard(self, name: str, disk: _Doc) -> None:
        piece = self._piece(name)
        _merge_tables(piece.unparsed, disk.unparsed)
        _merge_tables(piece.extra, disk.extra)
        disk.unparsed, disk.extra = {}, {}
        piece.members.update(disk.stories)
        piece.members.update(disk.removed)
        self._fold_in(disk)

    def _fold_in(self, disk: _Doc) -> None:
        _merge(self._doc, disk)
        for key, entry in disk.stories.items():
            self._piece(shard_of(key)).chunks.pop(key, None)  # merged: may differ
            if entry.fingerprint:
                self._note_fingerprint(key, entry.fingerprint)
            if entry.work:
                self._note_fingerprint(key, "work:" + entry.work)
                self._works = True
        for key in [k for k in self._pending if k in self._doc.stories]:
            del self._pending[key]

    def _read_piece(self, name: str, force: bool) -> _Doc | None:
        """Parse a piece's file; None when it is missing or unchanged since we last
        synced. A file that is not TOML is moved aside (with a notice): then None."""
        piece = self._piece(name)
        path = piece.path
        try:
            stat = os.stat(path)
            signature = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
            if not force and signature == piece.signature:
                return None  # nothing new on disk
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            self._notice(f"Could not read reading state {path}: {error}")
            raise Unreadable from error
        try:
            raw = tomllib.loads(data.decode("utf-8"))
        except Exception as error:  # any parser failure, deep nesting's RecursionError too
            self._set_aside(name, data, error)
            return None
        doc, odd = _parse(raw)
        if odd:
            self._notice(
                f"{odd} entr{'y' if odd == 1 else 'ies'} in the reading state had values "
                f"tuific could not read; the originals are kept under [unparsed] in {path}."
            )
            with self._mutex:  # rewrite soon: the salvaged entries and the originals
                self._dirty.add(name)
        piece.signature = signature
        return doc

    def _set_aside(self, name: str, data: bytes, error: Exception) -> None:
        piece = self._piece(name)
        path = piece.path
        # Under the lock, and only if the file still holds what we read: another
        # instance may have replaced it with a good one meanwhile.
        with self._io, self._file_lock():
            try:
                if path.read_bytes() != data:
                    piece.signature = None
                    return
            except OSError:
                return
            stamp = time.strftime("%Y%m%d-%H%M%S")
            aside = path.with_name(f"{path.name}.corrupt-{stamp}")
            n = 1
            while aside.exists():
                n += 1
                aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
            broken = "not UTF-8" if isinstance(error, UnicodeDecodeError) else "not TOML"
            reason = broken if isinstance(error, UnicodeDecodeError) else f"{broken}: {error}"
            try:
                os.replace(path, aside)
            except OSError as move_error:
                self._notice(
                    f"The reading state {path} is damaged ({reason}) and could not be "
                    f"moved aside ({move_error}); it was left alone and will not be saved over."
                )
                raise Unreadable from move_error
            piece.signature = None
            with self._mutex:
                self._dirty.add(name)  # write a good file in its place
            self._notice(
                f"The reading state file was damaged ({reason}). It was kept as {aside}; "
                "tuific started from what it could keep."
            )

    # -- saving

    def save(self) -> bool:
        """Merge each changed piece with its file on disk and replace it atomically.

        Returns True when the state on disk is up to date. Safe to call often (a no-op
        when nothing changed), from a worker thread (the store's methods stay usable
        meanwhile: reading and writing hold no lock they need), and from a
        SIGHUP/SIGTERM handler, even one that fires during another save.
        """
        with self._io:
            if not self.dirty:
                return True
            try:
                shard_folder(self.path).mkdir(parents=True, exist_ok=True)
            except OSError as error:
                self._notice(f"Could not save reading state: {error}")
                return False
            with self._file_lock():
                with self._mutex:
                    names = sorted(self._dirty | self._in_flight)
                # Shards first: a main file of the old layout gives up its entries only
                # once their shards hold them.
                shards = [name for name in names if name != MAIN]
                batch = len(shards) > SYNC_ALL_ABOVE and hasattr(os, "sync")
                self._durable = not batch
                try:
                    if not all([self._save_piece(name) for name in shards]):
                        return False
                finally:
                    self._durable = True
                if batch:
                    os.sync()  # every shard on disk before the main file gives any up
                if MAIN in names and not self._save_piece(MAIN):
                    return False
                # And show this session what other sessions saved meanwhile.
                self._refresh_loaded(skip=names)
                return True

    def _save_piece(self, name: str) -> bool:
        piece = self._piece(name)
        try:
            disk = self._read_piece(name, force=not piece.loaded)
        except Unreadable:
            return False  # never overwrite a file we could not read
        done = False
        try:
            while True:
                with self._mutex:
                    if disk is not None:
                        if name == MAIN:
                            self._fold_main(disk)
                        else:
                            self._fold_shard(name, disk)
                        disk = None
                    piece.loaded = True
                    self._dirty.discard(name)
                    self._in_flight.add(name)
                    writes = self._writes
                    data = encode_piece(self._doc, piece, name)
                self._write_atomic(name, data)
                if self._writes == writes + 1:
                    done = True
                    return True
                # A signal handler saved while we wrote, so our snapshot may be older
                # than its file: write again from what we hold now.
        except OSError as error:
            self._notice(
                f"Could not save reading state to {piece.path}: {error}; will try again"
            )
            return False
        finally:
            with self._mutex:
                self._in_flight.discard(name)
                if not done:  # kept for the next save, whatever stopped this one
                    self._dirty.add(name)

    def _write_atomic(self, name: str, data: bytes) -> None:
        piece = self._piece(name)
        stat = write_atomic(piece.path, data, durable=self._durable)
        self._writes += 1
        piece.signature = (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        """Hold state.toml.lock across read-merge-write, so writers never interleave.
        Taken only under `_io`, so `_lock_depth` is one thread's.

        Best effort: if the lock cannot be had within LOCK_TIMEOUT (a stopped process
        holding it) we save anyway; the write is still atomic, only a merge may be missed.
        """
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        lock = self.path.with_name(self.path.name + ".lock")
        with exclusive_lock(lock, LOCK_TIMEOUT) as held:
            if not held:
                self._notice("Another tuific held the reading-state lock too long; saved anyway.")
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0

    def _moved_from(self, key: str, fingerprint: str) -> str | None:
        raise NotImplementedError  # the store's

    def _note_fingerprint(self, key: str, fingerprint: str) -> None:
        raise NotImplementedError  # the store's
