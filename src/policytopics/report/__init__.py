"""What a run writes, one module per job.

* :mod:`.output_tables`: which tables a run writes, and writing them (CSV, Parquet);
* :mod:`.figures`: one function per figure, and the registry that declares them;
* :mod:`.figure_files`: drawing the registered figures into files (worker processes,
  skipped figures, the sweep's ``k_selection``), with :mod:`.figure_cache`;
* :mod:`.explorer`: the interactive topic explorer page;
* :mod:`.intrusion`: word- and topic-intrusion items, offline pages for human raters, their scores;
* :mod:`.publish`: checking the output folders, staging them and publishing a run whole;
* :mod:`.run_record`: the software versions and ``run.json``;
* :mod:`.style` and :mod:`.page_font`: the figures' style, and the font subset embedded in pages.

The names the study calls are importable from here.
"""

from policytopics.report.explorer import write_explorer
from policytopics.report.figure_files import (
    drawable_figures,
    figure_jobs,
    figure_workers,
    skipped_figures,
    start_figures,
    write_figures,
    write_sweep,
)
from policytopics.report.output_tables import write_figure_tables, write_tables
from policytopics.report.publish import check_apart_from_corpus, check_folders, staged_outputs, write_outputs
from policytopics.report.run_record import software_versions, write_run_record

__all__ = [
    "check_apart_from_corpus", "check_folders", "drawable_figures", "figure_jobs", "figure_workers",
    "skipped_figures", "software_versions", "staged_outputs", "start_figures", "write_explorer",
    "write_figure_tables", "write_figures", "write_outputs", "write_run_record", "write_sweep",
    "write_tables",
]
