"""The study's settings: one schema of sections, their defaults, choices and bounds, read from a
study file (``study.toml``) and checked in one place.
"""

from policytopics.settings.config import StudyConfig, StudyConfigError, load_study, replace

__all__ = ["StudyConfig", "StudyConfigError", "load_study", "replace"]
