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
"""
