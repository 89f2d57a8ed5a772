"""figgen: the figures of a Hugo course, generated from the code that trains and draws them.

Kept empty on purpose: `figgen build` on an up-to-date project must start fast, so nothing
heavy is imported until a figure or a model really has to be made.
"""
