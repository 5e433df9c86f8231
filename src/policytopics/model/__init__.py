"""The topic model: from token lists to fitted topics.

``corpus``
    the bag-of-words corpus and its pruned vocabulary, on disk.
``themes``
    seeded themes: the themes file and the ``eta`` prior it becomes.
``topic_model``
    :class:`~policytopics.model.topic_model.TopicModel`, fitted on one of the engines of
    ``engines/`` (tomotopy by default, gensim, keyatm: one module each, a base class and a
    registry), its settings that change a fit (``fit_settings``) and its word rankings
    (``word_rankings``).
``themes_held``
    whether each seeded topic held its theme.
``choose_k``
    choosing the number of topics; ``matching`` matches topics one to one across runs.
``labels``
    topic labels and the topic table.
"""
