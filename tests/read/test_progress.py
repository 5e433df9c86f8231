"""The ingest's progress in bytes of the input files: what lets its bar tell the time to go."""

from __future__ import annotations

import gzip
import json

from policytopics.read.files import iter_documents
from policytopics.read.progress import ReadProgress

TEXT = "推动制造业高质量发展，加快建设现代化产业体系。"


def test_a_folder_counts_each_file_once_read(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"第{i}篇\n" + TEXT * (i + 1), encoding="utf-8")
    progress = ReadProgress()
    documents = iter_documents([tmp_path], progress=progress)
    next(documents)
    sizes = sorted(p.stat().st_size for p in tmp_path.iterdir())
    assert progress.total == sum(sizes) and progress.read < progress.total
    assert len(list(documents)) == 2 and progress.read == progress.total


def test_a_compressed_archive_counts_the_bytes_read_inside_it(tmp_path):
    import base64
    import random

    rng = random.Random(5)
    path = tmp_path / "archive.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for i in range(3_000):  # 6 MB that compress poorly: the reader's blocks are 1 MiB
            noise = base64.b64encode(rng.randbytes(1_500)).decode()
            out.write(json.dumps({"id": str(i), "text": TEXT + noise}, ensure_ascii=False) + "\n")
    progress = ReadProgress()
    seen = []
    for i, _ in enumerate(iter_documents([path], progress=progress)):
        if i % 500 == 0:
            seen.append(progress.read)
    assert progress.total == path.stat().st_size and progress.read == progress.total
    assert 0 < seen[1] < seen[3] < progress.total  # it moves inside the one file
    assert seen == sorted(seen)


def test_the_ingest_bar_shows_bytes_with_the_time_to_go():
    import io

    from tqdm import tqdm

    from policytopics.text.documents import _show_reading

    progress = ReadProgress()
    progress.total = 4 * 2**20
    progress.file_done(2**20)
    shown = io.StringIO()
    with tqdm(desc="ingest", unit="B", unit_scale=True, unit_divisor=1024, file=shown, mininterval=0) as bar:
        _show_reading(bar, progress, 1_234)
        assert (bar.total, bar.n) == (4 * 2**20, 2**20)
    assert "25%" in shown.getvalue() and "1,234 documents" in shown.getvalue() and "<" in shown.getvalue()
