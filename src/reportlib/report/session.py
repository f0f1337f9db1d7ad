"""A kernel kept between periods, made before each one as a fresh kernel is: nothing of the period before is left.

A batch's worker process keeps its notebook kernel started from one period to the next
(:mod:`reportlib.publish.execute`), which saves the seconds a kernel's start and its imports
(pandas, matplotlib, seaborn, reportlib) cost. The worker runs two calls of this module in the
kernel, hidden (no cell of the notebook, no execution count):

- :func:`warm_up`, once, when the kernel has started: it imports what a report notebook imports
  (:data:`WARM_IMPORTS` and the notebook's own import statements), loads matplotlib's inline
  backend, which a fresh kernel loads for the report's first chart (``load_beretning`` draws), and
  notes what the kernel then holds: a fresh kernel's state;
- :func:`fresh`, before each period's first cell: it puts all of that back.

What is put back: the user namespace, the history and the execution count (``In [1]`` again:
IPython's ``reset(new_session=True)``); the figures (all closed) and matplotlib's settings
(``rcParams``, the backend, the unit converters); the environment variables, with the period's own
(the files handed over, the language, ...), the working folder, ``sys.path``, the locale; the
warnings filters and what each module has warned of already; IPython's display formatters, event
callbacks, input and AST transformers and the inline backend's configuration; pandas' and numpy's
options and their random generators (seeded anew, as a new process is); reportlib's own caches in
the kernel (:func:`reportlib.inputs.forget`, :func:`reportlib.report.display.uninstall`). Modules
stay imported (that is what the kept kernel saves), so a module's own globals that a cell changed
(a library patched) stay changed, and what importing a module printed or warned is not shown again:
the report notebook does neither.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import importlib
import locale
import os
import random
import sys
import time
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# What the report notebook's cells import, directly or when they first draw: imported before the
# state is noted, so that what importing them sets up belongs to the fresh state.
WARM_IMPORTS = ("numpy", "pandas", "matplotlib", "matplotlib.pyplot", "seaborn", "IPython.display",
                "reportlib.report.beretning", "reportlib.report.sections", "reportlib.report.charts",
                "reportlib.report.display", "reportlib.report.network")


@dataclass
class _State:
    """What a fresh kernel holds, as :func:`warm_up` found it."""

    environ: dict[str, str]
    path: list[str]
    locale: str
    streams: tuple[Any, Any]
    warning_filters: list
    once: dict
    showwarning: Any
    matplotlib: dict[str, Any] = field(default_factory=dict)
    shell: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


_fresh: _State | None = None


def warm_up(imports: Iterable[str] = ()) -> None:
    """Import what a report notebook imports, and note what the kernel holds then: a fresh kernel's state.

    ``imports`` are the notebook's own import statements (as source); one that fails is left for its
    cell, which says why.
    """
    global _fresh
    for name in WARM_IMPORTS:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    for statement in imports:
        with contextlib.suppress(Exception):
            exec(statement, {})  # noqa: S102 - the notebook's own import statements, run as its cells would
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:  # loaded now, as a fresh kernel loads it for the report's first chart (load_beretning)
        pyplot.switch_backend(sys.modules["matplotlib"].get_backend())
    _fresh = _State(environ=dict(os.environ), path=list(sys.path), locale=locale.setlocale(locale.LC_ALL),
                    streams=(sys.stdout, sys.stderr), warning_filters=list(warnings.filters),
                    once=dict(warnings.onceregistry), showwarning=warnings.showwarning,
                    matplotlib=_matplotlib_state(), shell=_shell_state(), options=_options())


def fresh(environ: Mapping[str, str | None], cwd: str) -> None:
    """Put the kernel back as :func:`warm_up` found it, with ``environ`` changed from it and ``cwd`` the folder.

    ``environ`` holds the variables the period's kernel would be started with otherwise than the
    kept one was (a value, or None where it would not have the variable).
    """
    if _fresh is None:
        raise RuntimeError("fresh() before warm_up()")
    _close_figures()
    os.chdir(cwd)
    shell = _shell()
    if shell is not None:
        shell.reset(new_session=True)  # the namespace, the history (from cwd) and its caches; In [1] next
    os.environ.clear()
    os.environ.update(_fresh.environ)
    for name, value in environ.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    if hasattr(time, "tzset"):  # the time zone as the variables now say
        time.tzset()
    sys.path[:] = _fresh.path
    if locale.setlocale(locale.LC_ALL) != _fresh.locale:
        locale.setlocale(locale.LC_ALL, _fresh.locale)
    sys.stdout, sys.stderr = _fresh.streams
    _put_back_warnings(_fresh)
    _put_back_matplotlib(_fresh.matplotlib)
    _put_back_shell(shell, _fresh.shell)
    _put_back_options(_fresh.options)
    _forget_reportlib()
    gc.collect()  # the period before's figures and frames, which hold each other


def _shell():
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


def _close_figures() -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
    inline = sys.modules.get("matplotlib_inline.backend_inline")
    if inline is not None:  # what the inline backend had still to show
        inline.show._to_draw = []
        inline.show._draw_called = False


def _matplotlib_state() -> dict[str, Any]:
    if "matplotlib" not in sys.modules:
        return {}
    import matplotlib
    import matplotlib.units

    settings = dict(matplotlib.rcParams.copy())
    return {"backend": settings.pop("backend"), "rc": copy.deepcopy(settings),
            "units": dict(matplotlib.units.registry)}


def _put_back_matplotlib(state: dict[str, Any]) -> None:
    if not state:
        return
    import matplotlib
    import matplotlib.units

    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None and matplotlib.get_backend() != state["backend"]:
        pyplot.switch_backend(state["backend"])
    # As matplotlib's own rc_context puts them back: validated when they were set, and the backend left.
    dict.update(matplotlib.rcParams, copy.deepcopy(state["rc"]))
    matplotlib.units.registry.clear()
    matplotlib.units.registry.update(state["units"])


def _put_back_warnings(state: _State) -> None:
    warnings.filters[:] = state.warning_filters
    mutated = getattr(warnings, "_filters_mutated", None)
    if mutated is not None:  # every module's record of what it has warned of is then out of date
        mutated()
    warnings.onceregistry.clear()
    warnings.onceregistry.update(state.once)
    warnings.showwarning = state.showwarning
    for module in list(sys.modules.values()):
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()


def _formatters(shell) -> dict[str, Any]:
    display = shell.display_formatter
    return {**display.formatters, "ipython_display": display.ipython_display_formatter,
            "mimebundle": display.mimebundle_formatter}


def _shell_state() -> dict[str, Any]:
    shell = _shell()
    if shell is None:
        return {}
    state: dict[str, Any] = {
        # What a fresh kernel's namespace holds that reset() does not put back (__doc__, __spec__, _, ...).
        "namespace": dict(shell.user_ns), "hidden": dict(shell.user_ns_hidden),
        "formatters": {name: (formatter.enabled, dict(formatter.singleton_printers), dict(formatter.type_printers),
                              dict(formatter.deferred_printers))
                       for name, formatter in _formatters(shell).items()},
        "active_types": list(shell.display_formatter.active_types),
        "events": {name: list(callbacks) for name, callbacks in shell.events.callbacks.items()},
        "ast_transformers": list(shell.ast_transformers),
        "input_transformers_post": list(shell.input_transformers_post),
        "input_transformers_cleanup": list(shell.input_transformer_manager.cleanup_transforms),
    }
    inline = sys.modules.get("matplotlib_inline.config")
    if inline is not None and inline.InlineBackend.initialized():
        backend = inline.InlineBackend.instance()
        state["inline"] = {name: copy.deepcopy(getattr(backend, name)) for name in backend.trait_names(config=True)}
    return state


def _put_back_shell(shell, state: dict[str, Any]) -> None:
    if shell is None or not state:
        return
    for namespace, fresh in ((shell.user_ns, state["namespace"]), (shell.user_ns_hidden, state["hidden"])):
        for name, value in fresh.items():
            namespace.setdefault(name, value)
    if "inline" in state:  # first: setting its figure formats registers formatters, put back after
        backend = sys.modules["matplotlib_inline.config"].InlineBackend.instance()
        for name, value in state["inline"].items():
            if getattr(backend, name) != value:
                setattr(backend, name, copy.deepcopy(value))
    formatters = _formatters(shell)
    for name, (enabled, singletons, types, deferred) in state["formatters"].items():
        formatter = formatters[name]
        formatter.enabled = enabled
        for printers, kept in ((formatter.singleton_printers, singletons), (formatter.type_printers, types),
                               (formatter.deferred_printers, deferred)):
            printers.clear()
            printers.update(kept)
    shell.display_formatter.active_types = list(state["active_types"])
    for name, callbacks in shell.events.callbacks.items():
        callbacks[:] = state["events"].get(name, [])
    shell.ast_transformers[:] = state["ast_transformers"]
    shell.input_transformers_post[:] = state["input_transformers_post"]
    shell.input_transformer_manager.cleanup_transforms[:] = state["input_transformers_cleanup"]


def _options() -> dict[str, Any]:
    options: dict[str, Any] = {}
    if "numpy" in sys.modules:
        numpy = sys.modules["numpy"]
        options["numpy"] = (numpy.get_printoptions(), numpy.geterr())
    if "pandas" in sys.modules:
        with contextlib.suppress(ImportError, AttributeError):
            from pandas._config import config

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a deprecated option's own warning
                options["pandas"] = {key: copy.deepcopy(config.get_option(key))
                                     for key in config._registered_options}
    return options


def _put_back_options(options: dict[str, Any]) -> None:
    random.seed()
    if "numpy" in options:
        numpy = sys.modules["numpy"]
        printing, errors = options["numpy"]
        if numpy.get_printoptions() != printing:
            numpy.set_printoptions(**printing)
        if numpy.geterr() != errors:
            numpy.seterr(**errors)
        numpy.random.seed()
    if "pandas" in options:
        from pandas._config import config

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for key, value in options["pandas"].items():
                if config.get_option(key) != value:
                    config.set_option(key, copy.deepcopy(value))


def _forget_reportlib() -> None:
    """reportlib's caches in the kernel: the files handed over and read, and the display installed."""
    inputs = sys.modules.get("reportlib.inputs")
    if inputs is not None:
        inputs.forget()
    display = sys.modules.get("reportlib.report.display")
    if display is not None:
        display.uninstall()
