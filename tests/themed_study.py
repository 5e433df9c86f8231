"""A study with seeded themes on the planted corpus (:mod:`model_corpora`), for the tests of
what a run shows of its seeded topics: which top words are seed words and which were learned."""

from __future__ import annotations

from pathlib import Path

from model_corpora import PLANTED_TEXTS, THEMES

from policytopics import Study, load_study


def themed_study(folder: Path, n_topics: int = 5) -> Study:
    """The planted corpus's articles and its three themes, written under ``folder``, as a study
    (``n_topics`` topics: the three seeded and free ones)."""
    articles = folder / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    for i, tokens in enumerate(PLANTED_TEXTS):
        (articles / f"{i:03d}.txt").write_text("。".join(tokens) + "。", encoding="utf-8")
    themes_file = folder / "themes.toml"
    themes_file.write_text("".join(f'["{t.name}"]\nwords = {list(t.words)!r}\n'.replace("'", '"')
                                   for t in THEMES), encoding="utf-8")
    config = load_study(None, corpus=[articles], out=folder / "out", output__cache_dir=folder / "cache",
                        n_topics=n_topics, model__themes=themes_file, model__no_above=0.95)
    return Study(config, progress=False)
