"""Command-line front door: ``policytopics run``, ``sweep``, ``ingest`` and ``init``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from policytopics.common.workers import SWEEP_WORKERS
from policytopics.model.choose_k import MAX_SEEDS
from policytopics.report.intrusion import MAX_RATERS, MAX_TOPIC_ITEMS
from policytopics.settings.config import MAX_SEED, StudyConfigError, check_themes_fit, choices, load_study
from policytopics.settings.sections import INPUT_FORMATS, spec


def _whole(low: int, high: int, what: str = ""):
    """An argparse ``type``: a whole number from ``low`` to ``high``, else one line that gives
    the range (argparse names the flag: ``argument --raters: ...``)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be a whole number from {low} to {high}"
                                             f"{f' ({what})' if what else ''}, got {text!r}")
        return value
    return parse


def _formats(text: str) -> list[str]:
    """``--formats``: ``png,svg`` → ``["png", "svg"]``; ``none`` → no figures."""
    allowed = choices("output.figure_formats")
    items = [item.strip().lower() for item in text.split(",") if item.strip()]
    if items == ["none"]:
        return []
    bad = [item for item in items if item not in allowed]
    if bad or not items:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(allowed)} (comma-separated) or none, "
                                         f"got {text!r}")
    return items


def _dest(setting: str) -> str:
    """The attribute of the parsed arguments that holds a setting's flag (``--cache-dir``: ``cache_dir``)."""
    return spec(setting).flag.name.lstrip("-").replace("-", "_")


def _add_setting(parser: argparse.ArgumentParser, setting: str, **overrides) -> None:
    """The flag of a setting, ``"section.key"``, as the settings' schema declares it: its name,
    help, choices (a ``Literal`` type) and type; ``overrides`` are a command's own (its help,
    its default). Its value reaches :func:`load_study` by :func:`_settings`."""
    s = spec(setting)
    options = {"default": None, "help": s.flag.help, "metavar": s.flag.metavar, "nargs": s.flag.nargs}
    if s.kind == "whole":
        options["type"] = int
    elif s.kind == "list" and s.choices:
        options["type"] = _formats
    elif s.choices:
        options["choices"] = s.choices
    options.update(overrides)
    parser.add_argument(s.flag.name, **{key: value for key, value in options.items() if value is not None
                                        or key == "default"})
    parser.set_defaults(settings=(*(parser.get_default("settings") or ()), setting))


def _settings(args) -> dict[str, object]:
    """``section__key`` overrides of :func:`load_study` from the settings' flags of the command."""
    return {setting.replace(".", "__"): getattr(args, _dest(setting)) for setting in args.settings}


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--study", metavar="FILE", default=None,
                        help="study file with every setting (default: the nearest study.toml "
                             "in this folder or above; built-in defaults if none)")
    _add_setting(parser, "corpus.limit")
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")
    parser.add_argument("-q", "--quiet", action="store_true", help="print warnings and errors only")


#: The table-column flags, shared by ``run`` and ``ingest``.
COLUMN_FLAGS = ("text", "title", "date", "region", "id")


def _add_columns(parser: argparse.ArgumentParser) -> None:
    for name in COLUMN_FLAGS:
        _add_setting(parser, f"corpus.{name}_column")


def _add_compute(parser: argparse.ArgumentParser, workers: bool = True) -> None:
    if workers:
        _add_setting(parser, "compute.workers")
    _add_setting(parser, "compute.scheduler")


def build_parser() -> argparse.ArgumentParser:
    """The ``policytopics`` command and its verbs."""
    parser = argparse.ArgumentParser(
        prog="policytopics",
        description="Policy-theme topic modelling of Chinese texts: clean, date and place, "
                    "segment, LDA, theme weights by region and period.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add_verb in (_add_run, _add_sweep, _add_init, _add_validate, _add_ingest):
        add_verb(sub)
    return parser


def _add_run(sub) -> None:
    run = sub.add_parser("run", help="run the whole study and write tables and figures",
                         description="Run the whole study: ingest and clean, segment, fit LDA, "
                                     "compute theme weights, write tables, figures and run.json. "
                                     "Stages are cached, so a rerun with another --topics only "
                                     "refits the model.")
    for setting in ("corpus.paths", "model.n_topics", "model.seed", "weights.period", "model.themes",
                    "corpus.unit", "model.fit_sample"):
        _add_setting(run, setting)
    run.add_argument("--out", metavar="DIR", default=None,
                     help="write tables to DIR and figures to DIR/figures (default: the study file's "
                          "tables_dir and figures_dir; with a --corpus not the study file's, "
                          "<tables_dir>/corpora/<corpus name>)")
    _add_setting(run, "output.cache_dir")
    _add_setting(run, "output.figure_formats")
    run.add_argument("--quick", action="store_true",
                     help="a quick look at a new K: every table with point estimates (no "
                          "intervals), the topics' and themes' main figures in PNG, no explorer page. "
                          "The same command without --quick adds the rest from the same cached fit")
    _add_columns(run)
    _add_compute(run)
    _add_common(run)


def _add_sweep(sub) -> None:
    sw = sub.add_parser("sweep", help="compare topic counts: coherence, diversity, perplexity, stability",
                        description="Fit a grid of topic counts x seeds on the cached tokens, in "
                                    "parallel processes, and report per K: NPMI and UMass "
                                    "coherence, topic diversity, held-out perplexity (fixed 10% "
                                    "split) and stability across seeds. Writes k_selection.csv and "
                                    "the k_selection figure and suggests a K with its reasoning; "
                                    "reading the topics decides.")
    sw.add_argument("--topics", default="4:30:2", metavar="START:STOP:STEP",
                    help="topic counts, inclusive range or comma list (default 4:30:2)")
    sw.add_argument("--seeds", type=_whole(1, MAX_SEEDS, "fits of each K"), default=3, metavar="N",
                    help=f"seeds per K, starting at the study's seed (1 to {MAX_SEEDS}; default 3; "
                         "stability needs 2 or more)")
    _add_setting(sw, "compute.workers", type=_whole(1, 256, "processes"), default=SWEEP_WORKERS,
                 help="parallel processes for the fits, and for ingest and segmentation "
                      f"if the tokens are not cached yet (default {SWEEP_WORKERS})")
    _add_setting(sw, "corpus.paths")
    sw.add_argument("--out", metavar="DIR", default=None,
                    help="write tables to DIR and the figure to DIR/figures")
    _add_setting(sw, "output.cache_dir")
    _add_setting(sw, "model.themes")
    _add_compute(sw, workers=False)
    _add_common(sw)


def _add_init(sub) -> None:
    init = sub.add_parser("init", help="start a study folder of your own",
                          description="Write a new study folder: a commented study.toml with every "
                                      "setting, the three notebooks, an empty labels.csv template, the "
                                      "example themes file and an articles/ folder for the corpus.")
    init.add_argument("folder", metavar="FOLDER", help="the study folder to create (or fill, if empty)")
    init.add_argument("--force", action="store_true", help="overwrite files that are already there")


def _add_validate(sub) -> None:
    val = sub.add_parser("validate", help="word- and topic-intrusion and theme-matching pages for raters, "
                                          "and their scores",
                         description="Write blind word- and topic-intrusion items of the study's model, and "
                                     "with seeded themes one theme-matching item per seeded topic, as "
                                     "one offline HTML page per rater (and key.json, for the researcher), "
                                     "or with --score read the raters' answers and report model precision "
                                     "per topic and overall, topic log odds and agreement, with 95% "
                                     "intervals (Chang et al. 2009), and the share of raters matching each "
                                     "seeded topic to its theme with Krippendorff's alpha.")
    val.add_argument("--out", metavar="DIR", default="validation", help="folder of the pages and key")
    val.add_argument("--raters", type=_whole(1, MAX_RATERS, "one page each"), default=2, metavar="N",
                     help=f"pages to write (1 to {MAX_RATERS}; default 2)")
    val.add_argument("--documents", type=_whole(0, MAX_TOPIC_ITEMS, "topic-intrusion items; 0 = none"),
                     default=20, metavar="N",
                     help=f"topic-intrusion items (documents; 0 to {MAX_TOPIC_ITEMS}; default 20)")
    val.add_argument("--item-seed", type=_whole(0, MAX_SEED), default=0, metavar="N",
                     help="seed of intruders and order")
    val.add_argument("--score", nargs="+", metavar="CSV", default=None,
                     help="the raters' answers (answers_rater_N.csv), scored against --out's key.json")
    # The model of a `run` with flags: the same settings find the same cached model.
    _add_setting(val, "corpus.paths",
                 help="input files or folders, as given to `run` (default from the study file)")
    _add_setting(val, "model.n_topics", help="number of topics, as given to `run`")
    _add_setting(val, "model.seed", metavar=None, help="random seed, as given to `run`")
    _add_setting(val, "output.cache_dir",
                 help="stage cache folder, as given to `run` (default from the study file: .cache)")
    _add_setting(val, "model.themes")
    _add_common(val)


def _add_ingest(sub) -> None:
    ing = sub.add_parser("ingest", help="read and clean documents, write the cleaning report",
                         description="Read, clean, date and place documents and write one report "
                                     "row per input document (kept, dropped with a reason, or "
                                     "duplicate): CSV in UTF-8 with BOM for Excel, an Excel workbook "
                                     "or Parquet, by the suffix of --out.")
    ing.add_argument("paths", nargs="+", metavar="PATH", help=f"input files or folders: {INPUT_FORMATS}")
    ing.add_argument("--out", required=True, metavar="FILE",
                     help=f"report file ({', '.join(REPORT_SUFFIXES)}, by its suffix), outside the inputs")
    _add_columns(ing)
    _add_compute(ing)
    _add_common(ing)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("policytopics")
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if getattr(args, "quiet", False) else logging.INFO)
    from policytopics.common.workers import Terminated, terminate_as_interrupt

    try:
        with terminate_as_interrupt():  # kill PID stops the workers too, as Ctrl-C does
            return _command(args)
    except (StudyConfigError, FileNotFoundError, FileExistsError, ValueError) as exc:
        print(f"policytopics: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a disk full, a folder removed or made read-only during the run
        where = f": {exc.filename}" if exc.filename else ""
        print(f"policytopics: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        from policytopics.common.workers import stop_workers

        stop_workers()  # figure workers still drawing while the tables were written
        how = "stopped (SIGTERM)" if isinstance(exc, Terminated) else "interrupted"
        print(f"policytopics: {how}; the stages already finished are cached, so the same "
              "command continues from there", file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130


def _command(args) -> int:
    if args.command == "run":
        return _run(args)
    if args.command == "sweep":
        return _sweep(args)
    if args.command == "init":
        return _init(args)
    if args.command == "validate":
        return _validate(args)
    return _ingest(args)


def _corpus_out(args) -> Path | None:
    """``--out``, or for a ``--corpus`` that is not the study file's a folder of its own:
    ``<tables_dir>/corpora/<corpus name>/`` (said in the terminal). Without it a run on one's
    own corpus wrote over the study's committed outputs and figures (#36)."""
    from policytopics.settings.config import find_study_file

    if args.out is not None or not args.corpus:
        return args.out
    study_file = args.study or find_study_file()
    if study_file is None:  # no study of whose outputs to keep
        return None
    study = load_study(study_file)
    if {Path(p).resolve() for p in args.corpus} == {Path(p).resolve() for p in study.corpus.paths}:
        return None
    names = [Path(p).resolve().name.split(".")[0] or "corpus" for p in args.corpus]
    out = Path(study.output.tables_dir) / "corpora" / "+".join(names)[:80]
    print(f"--corpus is not the corpus of {_shown(study_file)}: this run writes to {_shown(out)}/ "
          f"(figures in {_shown(out / 'figures')}/), not over the study's own outputs; --out DIR "
          "chooses another folder")
    return out


def _run(args) -> int:
    from policytopics.study.study import Study

    config = load_study(args.study, out=_corpus_out(args), **_settings(args))
    study = Study(config, progress=not args.no_progress)
    if args.quick:
        study = study.quick_view()
    written = study.run(on_fitted=_print_fit)
    print(f"tables in {_shown(config.output.tables_dir)}/, figures in {_shown(config.output.figures_dir)}/:")
    for name, suffixes in _by_name(written["figures"]).items():
        print(f"  {name}.{suffixes[0] if len(suffixes) == 1 else '{' + ','.join(suffixes) + '}'}")
    explorer = config.output.tables_dir / "topic_explorer.html"
    if explorer.is_file():
        print(f"topic explorer (open it in a browser): {_shown(explorer)}")
    skipped = study.skipped_figures()
    if skipped:
        print("figures not drawn:")
        for name, reason in skipped.items():
            print(f"  {name}: {reason}")
    if args.quick:
        left_out = study.figures_left_out()
        print(f"quick run: point estimates without intervals; {len(left_out)} more figures "
              f"({', '.join(left_out) or 'none'}), the other formats and the explorer page come with "
              "the same command without --quick, which reuses this fit")
    return 0


def _print_fit(study) -> None:
    """The fit's answer, as soon as the model is there: the documents, the topics and how long
    the fit took; the tables and figures follow."""
    from policytopics.text.documents import summarise_report

    config = study.config
    print(summarise_report(study.documents(text=False)))
    how = ("read from the cache" if study.cache_hits.get("model")
           else f"fitted in {study.timings.get('model', 0):.1f} s")
    model = study.model()
    fitted, units = model.units_fitted_, len(model.doc_topic_)
    if fitted < units:  # [model] fit_sample
        how += f"; fitted on a sample of {fitted:,} of {units:,} units, the rest inferred"
    print(f"topics: {config.model.n_topics}, seed {config.model.seed} ({how})")
    held = study.themes_held()
    # Each topic's label as every table and figure names it, then its most probable words: the
    # list the held check returns (themes_held.HELD_TOP_WORDS, topics.csv's top_words), with a
    # seeded topic's two measures of the rule.
    from policytopics.model.themes_held import HELD_MIN_SEED_MASS, HELD_MIN_SPEARMAN, HELD_TOP_WORDS

    words = study.model().topic_words(HELD_TOP_WORDS)  # the held check's call
    first = {topic: " ".join(group.nsmallest(HELD_TOP_WORDS, "rank")["word"])
             for topic, group in words.groupby("topic")}
    measures = {row.topic: f"  (ρ {row.spearman:.2f}, seed mass {row.seed_mass:.2f})"
                for row in held.itertuples()}
    for topic, label in study.topic_labels().items():
        print(f"  {label}: {first.get(topic, '')}{measures.get(topic, '')}")
    if len(held) and not held["held"].astype(bool).all():
        print(f"  (?): a seeded theme whose share does not follow its seed words' rate across documents "
              f"(Spearman ρ < {HELD_MIN_SPEARMAN}) or whose seed words keep less than {HELD_MIN_SEED_MASS} "
              "of its probability mass (topics.csv, theme_held)")
    rest = ("tables with point estimates and the main figures" if study.quick else
            f"intervals ({config.weights.draws} draws), tables, figures and the explorer page"
            if config.weights.uncertainty == "global" else "tables, figures and the explorer page")
    print(f"writing {rest} ...", flush=True)


def _by_name(paths) -> dict[str, list[str]]:
    """Figure files grouped by name: ``{"top_words": ["png", "svg", "pdf"]}``, in order."""
    grouped: dict[str, list[str]] = {}
    for path in paths:
        grouped.setdefault(Path(path).stem, []).append(Path(path).suffix.lstrip("."))
    return grouped


def _shown(path) -> str:
    """A path as a reader wants it: resolved (no ``../..``), relative to here when inside."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _sweep(args) -> int:
    from policytopics.model.choose_k import parse_k_range
    from policytopics.study.study import Study

    ks = parse_k_range(args.topics)
    config = load_study(args.study, out=_corpus_out(args), **_settings(args))
    study = Study(config, progress=not args.no_progress)
    check_themes_fit(len(study.themes()), min(ks), config.model.themes, sweep=True)
    result = study.sweep(ks, args.seeds, workers=args.workers)
    print(result["by_k"].round(4).to_string(index=False))
    print(f"suggested K: {result['suggested_k']}. {result['reason']}")
    sample = f" on the fit sample of {result['sample']:,} units" if result.get("sample") else ""
    print(f"sweep wall time: {result['seconds']} s for {len(ks)} K x {args.seeds} seeds "
          f"with {args.workers} workers{sample}")
    tables = config.output.tables_dir
    print(f"written: {_shown(tables / 'k_selection.csv')}, {_shown(tables / 'k_selection_runs.csv')}, "
          + ", ".join(_shown(path) for path in result.get("figures", [])))
    return 0


def _validate(args) -> int:
    import json

    from policytopics.report import theme_matching
    from policytopics.report.intrusion import intruder_spread, read_answers, score, write_rater_pages
    from policytopics.study.study import Study

    folder = Path(args.out)
    if args.score:
        key_file = folder / "key.json"
        if not key_file.is_file():
            raise FileNotFoundError(f"no key.json in {folder}: --out names the folder the pages were "
                                    "written to")
        key = json.loads(key_file.read_text(encoding="utf-8"))
        answers = read_answers(args.score, key)
        result = score(key, answers) | theme_matching.score(key, answers)
        for name, table in result.items():
            if table.empty:
                print(f"{name}: no theme-matching items in the key (a study without themes)"
                      if name.startswith("matching") else f"{name}: needs the answers of two raters or more")
                continue
            print(f"{name}:")
            print(table.round(3).to_string(index=False))
        return 0
    config = load_study(args.study, **_settings(args))
    study = Study(config, progress=not args.no_progress)
    items = study.validation_items(args.documents, args.item_seed)
    labels = study.topic_labels()
    for item in items.get("word", []):  # the scores name topics as every table does
        item["label"] = labels.get(item["topic"], f"T{item['topic']}")
    pages = write_rater_pages(items, folder, raters=args.raters, seed=args.item_seed)
    spread = intruder_spread(items, config.model.n_topics)
    if spread["items"]:
        print(f"{spread['items']} topic-intrusion items: no topic is the intruder more than {spread['most']} "
              f"times (a fair draw: at most {spread['bound']}), {len(items['word'])} word-intrusion items")
    print(f"{len(items['match'])} theme-matching items (one per seeded topic)" if items["match"] else
          "no theme-matching items: the study has no themes ([model] themes)")
    shown = _shown(folder)
    print(f"{len(pages)} rater pages and the key in {shown}/: give each rater one page. Put the answers "
          f"they save (answers_rater_N.csv) in {shown}/ and score them with\n"
          f"  policytopics validate --out {shown} --score {shown}/answers_rater_*.csv")
    return 0


def _init(args) -> int:
    from importlib.resources import files

    from policytopics.store.writing import write_text

    folder = Path(args.folder)
    data = files("policytopics") / "data"
    wanted = {
        "study.toml": (data / "study.toml").read_text(encoding="utf-8"),
        "labels.csv": "topic,label,top_words\n",
        "themes/manufacturing_policy.toml": (data / "manufacturing_policy.toml").read_text(encoding="utf-8"),
        **{f"notebooks/{nb.name}": nb.read_text(encoding="utf-8")
           for nb in sorted((data / "notebooks").iterdir()) if nb.name.endswith(".ipynb")},
    }
    present = [name for name in wanted if (folder / name).exists()]
    if present and not args.force:
        raise FileExistsError(f"{folder} already has {', '.join(present)}; use --force to overwrite")
    for name, text in wanted.items():
        write_text(folder / name, text)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    print(f"study folder {folder}/ written:")
    for name in [*wanted, "articles/"]:
        print(f"  {name}")
    print(f"""next:
  1. put your articles in {folder}/articles/ (.txt files, or .xlsx/.csv/.jsonl tables)
  2. read and adapt {folder}/study.toml (topics, period, themes, ...)
  3. cd {folder} && policytopics run        (tables in outputs/, figures in figures/)
  4. open the notebooks in notebooks/ in Jupyter to read the study step by step""")
    return 0


#: The report formats of ``ingest --out``, by suffix (:func:`_report_writer` picks the writer).
REPORT_SUFFIXES = (".csv", ".xlsx", ".parquet")


def _report_writer(out: Path, inputs: list[str]):
    """The writer of the ``ingest`` report for ``out``; an error, before any work, for a
    suffix it cannot write or a path among the inputs."""
    from policytopics.read.files import input_holding
    from policytopics.store.writing import write_csv, write_parquet, write_xlsx

    writers = dict(zip(REPORT_SUFFIXES, (write_csv, write_xlsx, write_parquet), strict=True))
    if out.suffix.lower() not in writers:
        raise ValueError(f"--out {out}: the report is written as {', '.join(REPORT_SUFFIXES)} "
                         f"(by the suffix), not {out.suffix or 'a file without a suffix'}")
    holding = input_holding(out, inputs)
    if holding is not None:
        where = "is the input" if Path(holding).resolve() == out.resolve() else "lies in the input folder"
        raise ValueError(f"--out {out} {where} {holding}: the report would overwrite an input or be read "
                         "as articles next time; write it outside the inputs")
    return writers[out.suffix.lower()]


def _ingest(args) -> int:
    from policytopics.text.documents import document_report, summarise_report, warn_disagreeing_dates

    out = Path(args.out)
    write_report = _report_writer(out, args.paths)
    config = load_study(args.study, **_settings(args))
    report = document_report(args.paths, config, progress=not args.no_progress)
    warn_disagreeing_dates(report, config.corpus)
    write_report(report, out)
    print(summarise_report(report))
    print(f"report: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
