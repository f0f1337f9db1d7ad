"""The figures: every number of a period, computed from a validated register.

Owns the statistics (tidy DataFrames, no plotting), the statistics of the register's optional
parts, small-cell suppression, and the figures document (one JSON-ready dict per period). Imports
the register layer and the base modules; never the report, publishing or the workbench.
"""
