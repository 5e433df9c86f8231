"""From topic proportions to the study's answers: the posterior of the proportions, theme
weights and emphasis by region and period with intervals, and covariate effects.
"""
