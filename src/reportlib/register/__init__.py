"""The register: what the advisor keeps, read and checked against the input contract.

Owns the contract (tables and columns, declared once in :mod:`~reportlib.register.schema`;
kommune.yml), reading CSV files and workbooks exactly as the user wrote them, validation into a
typed :class:`~reportlib.register.model.Register`, the register.xlsx template, a new
municipality's register folder, and the privacy checks of a register's files. It imports only the
base modules of reportlib (exceptions, paths, periods, labels, identifiers, files, jinja): nothing
here knows about figures, reports or publishing.
"""
