"""The topic model: the bag-of-words corpus, seeded themes, the fitted model and its engines
(:mod:`policytopics.model.engines`), choosing the number of topics, and topic labels.
"""
