"""From topic proportions to the study's answers: the posterior of the proportions, theme
weights and emphasis by region and period with intervals, and covariate effects, all drawn in
one pass for a study (:mod:`policytopics.estimate.study_estimates`).
"""
