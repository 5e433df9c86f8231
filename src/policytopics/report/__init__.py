"""What a run writes: output tables, figures (:mod:`policytopics.report.figures`), the topic
explorer page, rater pages for validation, and the run's published folders.
"""
