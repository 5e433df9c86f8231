"""policytopics.settings.config: the names the package imports settings by, all still there."""

import policytopics.settings.config as config
from policytopics.settings import load, schema, sections, validate


def test_every_name_of_the_settings_is_importable_from_config():
    for name in config.__all__:
        assert hasattr(config, name), name
    assert config.load_study is load.load_study
    assert config.ModelConfig is sections.ModelConfig
    assert config.StudyConfigError is schema.StudyConfigError
    assert config.check_word_lists is validate.check_word_lists
    assert config._SECTIONS is sections.SECTIONS
