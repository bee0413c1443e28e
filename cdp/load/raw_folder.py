"""What a raw folder holds: nothing yet, the generator's demo exports, or someone's own files.

`cdp run` generates demo data only into an empty folder or one the generator wrote; a folder
holding anyone else's exports is loaded as it is. The generator's `manifest.json` is the proof
of ownership: it lists every file the generator wrote there with the SHA-256 of its bytes, so
the generator can later replace exactly those files and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

MANIFEST = "manifest.json"
# The ground truth every generator version writes next to the exports. Manifests written
# before the `written` list existed named only the exports, so these are added for them.
TRUTH_FILES = ("_truth/records.parquet", "_truth/persons.parquet")

FolderKind = Literal["empty", "generated", "unfinished", "user"]


@dataclass(frozen=True)
class GeneratorManifest:
    # False while a generator run is writing: its files may be half written.
    complete: bool
    # Relative path -> SHA-256 of the bytes written (None: unknown, e.g. still being written).
    written: dict[str, str | None]


def read_generator_manifest(folder: Path) -> GeneratorManifest | None:
    """The generator's manifest in `folder`, or None when there is none (or the file called
    manifest.json is somebody else's)."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or "generator_version" not in data:
        return None
    if isinstance(data.get("written"), dict):
        listed = data["written"]
    elif isinstance(data.get("files"), dict):  # manifest of a generator before `written`
        listed = dict.fromkeys([*data["files"], *TRUTH_FILES])
    else:
        return None
    written = {path: digest for path, digest in listed.items()
               if _inside(path) and (digest is None or isinstance(digest, str))}
    return GeneratorManifest(complete=data.get("complete", True) is True, written=written)


def _inside(path: object) -> bool:
    """Only plain relative paths below the folder: a hand-edited manifest must not make the
    generator delete anything outside it (or the manifest itself)."""
    if not isinstance(path, str) or not path or path == MANIFEST:
        return False
    pure = PurePosixPath(path)
    return not pure.is_absolute() and ".." not in pure.parts and "\\" not in path


def visible_files(folder: Path) -> Iterator[str]:
    """Relative paths of the files under `folder`, hidden ones (`.gitkeep`, `.DS_Store`,
    `.git/...`) left out: they are not exports and never make a folder "someone's"."""
    folder = Path(folder)
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not any(part.startswith(".") for part in rel.parts) and path.is_file():
            yield rel.as_posix()


def raw_folder_kind(folder: Path) -> FolderKind:
    """`empty` (missing, or no visible files), `generated` (the generator's complete manifest),
    `unfinished` (a generator run that did not finish: its files may be half written) or
    `user` (files and no generator manifest: somebody's own exports)."""
    folder = Path(folder)
    if not folder.exists():
        return "empty"
    if not folder.is_dir():
        return "user"
    manifest = read_generator_manifest(folder)
    if manifest is not None:
        return "generated" if manifest.complete else "unfinished"
    return "user" if next(visible_files(folder), None) is not None else "empty"
