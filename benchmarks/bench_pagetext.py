r"""Page text as researchers copy it: title, date, region and where the cleaned text starts.

Reads ``benchmarks/pagetext31/pages/*.txt``: 31 provincial Government Work Reports of 2026
as the text of their web pages (widgets one per line, breadcrumbs, label/value pairs split
over two lines, photo captions, related-news lists naming other provinces and dates), written
by hand for this benchmark by a helper who never saw the code (invented text; see its
README), with the answers in ``truth.csv``. Runs ``policytopics.text.documents.document_report``
with the default study settings and scores each report against the truth:

- **date**: the found date equals the truth (the delivery date when the page states one,
  else the publication date);
- **title**: the found title equals the title line as written;
- **start**: the cleaned text (title, then text, as the model sees it) starts with the
  report: its first line is the title line or a line of the page at or after it, and is
  no widget;
- **region**: the found region equals the truth;
- **kept**: the report was kept (not dropped, not a duplicate).

Goals (#22): date, title and start right for at least 29 of 31, region for 31 of 31.

    python benchmarks/bench_pagetext.py [--write]
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
SET = HERE / "pagetext31"
sys.path.insert(0, str(HERE))


def page_lines(path: Path) -> list[str]:
    """The page's lines as the cleaner compares them (NFKC: full-width colons and brackets
    become ASCII, as in the cleaned text)."""
    text = unicodedata.normalize("NFKC", path.read_text(encoding="utf-8-sig"))
    return [line.strip() for line in text.splitlines()]


def starts_with_report(raw: list[str], title_line: str, text: str) -> tuple[bool, str]:
    """Whether the cleaned text starts at the title line or after it, and its first line."""
    from policytopics.text.pagetext import is_widget

    first = next((line.strip() for line in (text or "").splitlines() if line.strip()), "")
    # The title line: its last occurrence before the salutation (a breadcrumb may repeat it).
    salutation = next((i for i, line in enumerate(raw) if line.startswith("各位代表")), len(raw))
    title_line = unicodedata.normalize("NFKC", title_line)
    positions = [i for i, line in enumerate(raw[:salutation]) if line == title_line]
    start = positions[-1] if positions else 0
    later = [line for line in raw[start:] if line]
    ok = bool(first) and not is_widget(first) and any(first == line or line.startswith(first[:20])
                                                     for line in later)
    return ok, first


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true",
                        help="write the set's section 'pagetext:<set>' of results.md")
    parser.add_argument("--show", action="store_true", help="print every report's row")
    parser.add_argument("--set", type=Path, default=SET,
                        help="a folder with pages/ and truth.csv (default: pagetext31; the held-out "
                             "set is benchmarks/pagetext_heldout)")
    args = parser.parse_args(argv)
    folder = args.set

    from policytopics.settings.config import load_study
    from policytopics.text.documents import document_report

    truth = pd.read_csv(folder / "truth.csv", dtype=str)
    started = time.perf_counter()
    report = document_report(folder / "pages", load_study(None), progress=False)
    seconds = time.perf_counter() - started
    rows = []
    for item in truth.itertuples(index=False):
        found = report[report["doc_id"].astype(str).str.endswith(Path(item.file).stem)]
        if found.empty:
            rows.append({"file": item.file, "kept": False})
            continue
        row = found.iloc[0]
        raw = page_lines(folder / item.file)
        ok_start, first = starts_with_report(raw, item.first_line, row["text"])
        rows.append({"file": item.file, "kept": row["status"] == "kept",
                     "date": str(row["date"]) == item.date,
                     "title": unicodedata.normalize("NFKC", str(row["title"])) == unicodedata.normalize(
                         "NFKC", item.title),
                     "start": ok_start, "region": row["region"] == item.region,
                     "found_date": row["date"], "date_source": row.get("date_source"),
                     "found_title": row["title"], "found_region": row["region"], "first_line": first[:30],
                     "status": row["status"], "reason": row.get("reason")})
    scored = pd.DataFrame(rows)
    if args.show:
        with pd.option_context("display.width", 250, "display.max_colwidth", 40):
            print(scored.to_string(index=False))
    counts = {name: int(scored[name].fillna(False).astype(bool).sum())
              for name in ("date", "title", "start", "region", "kept")}
    goals = {"date": 29, "title": 29, "start": 29, "region": 31, "kept": 31}
    lines = ["| measure | right | goal |", "|---|---:|---:|"]
    lines += [f"| {name} | {counts[name]} / {len(truth)} | {goals[name]} |" for name in goals]
    measures = ["date", "title", "start", "region", "kept"]
    misses = scored[~scored[measures].fillna(False).astype(bool).all(axis=1)]
    print("\n".join(lines))
    print(f"{len(truth)} pages in {seconds:.1f} s")
    if len(misses):
        print("\nmisses:")
        for miss in misses.itertuples(index=False):
            wrong = [n for n in measures if not bool(getattr(miss, n, False))]
            print(f"  {miss.file}: {', '.join(wrong)}  (date {miss.found_date} from {miss.date_source}; "
                  f"title {miss.found_title!r}; starts {miss.first_line!r}; region {miss.found_region}; "
                  f"{miss.status} {miss.reason if isinstance(miss.reason, str) else ''})")
    if args.write:
        from bench_coherence import write_section

        name = folder.name
        miss_lines = [f"- `{name}/{m.file}`: "
                      + ", ".join(n for n in measures if not bool(getattr(m, n, False)))
                      + f" (found date {m.found_date}, title `{m.found_title}`, text starts `{m.first_line}`)"
                      for m in misses.itertuples(index=False)]
        write_section("\n".join([
            f"### `{name}`: {len(truth)} pages", "",
            f"- date: {time.strftime('%Y-%m-%d')}; command: `python benchmarks/bench_pagetext.py --set "
            f"benchmarks/{name} --write`", "", *lines, "", *(miss_lines or ["- no misses"])]),
            f"pagetext:{name}")
    # The goals are for 31 pages; a set of another size needs the same shares.
    return 0 if all(counts[n] >= goals[n] * len(truth) / 31 for n in goals) else 1


if __name__ == "__main__":
    raise SystemExit(main())
