"""Writes, only on a server started ``--writable``: upload articles, rebuild the stories.

Why so few: the web app is for reading; these two let a newsroom add the day's files and
regroup without a shell. On a read-only server both answer 403 with the one error body. A
write must come from the server's own pages (or a client that sends no ``Origin``), so another
site open in the same browser cannot post to a server on localhost.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from storyline.web.errors import wants_html
from storyline.web.state import CorpusDep, CorpusPool

router = APIRouter()
MAX_UPLOAD_FILES = 200
"""Files per upload: a day's batch; larger collections go through ``storyline ingest``."""
COPY_CHUNK = 1 << 20
"""Uploads are copied to disk a megabyte at a time, never read whole into memory (the total
is capped before they are parsed: setting ``web.max_upload_bytes``)."""
_UNSAFE = re.compile(r"[^\w.-]+")


def safe_name(filename: str | None, i: int) -> str:
    """The last part of a client's file name, reduced to letters, digits, ``.``, ``-``, ``_``.

    Why: the name comes from the client and may be ``../../etc/passwd``, ``C:\\x\\a.txt``, an
    absolute path or hold a NUL; only its extension matters (it picks the reader), and the
    file is written inside a fresh temporary directory under a numbered prefix.
    """
    base = PurePosixPath((filename or "").replace("\\", "/")).name
    name = _UNSAFE.sub("_", base).lstrip(".")[-100:]
    return name or f"upload-{i}.txt"


def check_write(request: Request) -> CorpusPool:
    """The pool, once the server is writable and the request comes from its own pages."""
    pool: CorpusPool = request.app.state.pool
    if not pool.writable:
        raise HTTPException(403, "the store is open read-only: start the server with --writable")
    origin = request.headers.get("origin")
    if origin is not None and origin.split("://", 1)[-1] != request.headers.get("host"):
        raise HTTPException(403, f"cross-site write refused (origin {origin})")
    return pool


def _done(request: Request, data: dict[str, Any]) -> Response | dict[str, Any]:
    """JSON for clients; back to the stories page for a form posted from a browser."""
    if wants_html(request):
        return RedirectResponse("/", status_code=303)
    return data


@router.post(
    "/articles",
    tags=["api"],
    summary="Upload article files (any format ingest reads); --writable servers only",
    response_model=None,
)
def upload(
    request: Request,
    corpus: CorpusDep,
    files: Annotated[list[UploadFile], File(description="Article files to ingest.")],
) -> Response | dict[str, Any]:
    pool = check_write(request)
    if len(files) > MAX_UPLOAD_FILES:
        raise HTTPException(400, f"at most {MAX_UPLOAD_FILES} files per upload")
    with tempfile.TemporaryDirectory(prefix="storyline-upload-") as tmp:
        for i, upload_file in enumerate(files):
            with (Path(tmp) / f"{i:03d}-{safe_name(upload_file.filename, i)}").open("wb") as out:
                shutil.copyfileobj(upload_file.file, out, COPY_CHUNK)
        with pool.write_lock:
            report = corpus.ingest([tmp])
    return _done(request, {"ok": True, **report.as_dict()})


@router.post(
    "/stories/build",
    tags=["api"],
    summary="Regroup the articles into stories; --writable servers only",
    response_model=None,
)
def build(request: Request, corpus: CorpusDep, full: bool = False) -> Response | dict[str, Any]:
    pool = check_write(request)
    with pool.write_lock:
        stories = corpus.build_stories(full=full)
    return _done(request, {"ok": True, "stories": len(stories)})
