"""The study, wired: its cached stages declared once (:mod:`policytopics.study.stages`) and the
:class:`~policytopics.study.study.Study` facade over them.
"""
