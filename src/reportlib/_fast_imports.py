"""Keep one slow optional import out of reportlib's processes.

jsonschema, which nbformat uses, imports ``rfc3987_syntax`` whenever it is installed (JupyterLab's
``jupyter-events`` pulls it in) to check the "iri" string format, and that module compiles a grammar
for most of a second at import. No notebook schema uses that format, so every run paid for nothing.
Marking the module absent makes jsonschema skip that one optional checker, as it does on any machine
without the package. Import this module before nbformat.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)
