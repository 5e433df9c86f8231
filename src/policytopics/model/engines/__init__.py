"""The samplers behind :class:`~policytopics.model.topic_model.TopicModel`: tomotopy, gensim
and keyATM.
"""
