"""The study, wired: its cached stages declared once (:mod:`policytopics.study.stages`, each
stage's function in ``stage_<name>``), served by :mod:`policytopics.study.catalog`, what is
derived from them (:mod:`~policytopics.study.results`, :mod:`~policytopics.study.frames`),
the run and its record (:mod:`~policytopics.study.run`, :mod:`~policytopics.study.record`),
and the :class:`~policytopics.study.study.Study` facade over them.
"""
