"""A papermill engine that runs a notebook's cells in this process, in a fresh IPython shell.

Why: a papermill run spends ~2.2 of ~3.6 s starting a kernel and importing pandas and
matplotlib. A parent that imported them once can fork a child per report
(:func:`helpers.run.workers.run_forked`) and run the notebook there with this engine: every report
still starts from a fresh state, but pays no kernel start and no imports.

What it keeps from a real kernel run, so the output notebook is the same:

- papermill's part is untouched: parameters, the injected cell, cell metadata (status, times),
  ``PapermillExecutionError`` and the error banner cells, because this is a papermill
  :class:`~papermill.engines.Engine` driving papermill's ``NotebookExecutionManager``;
- ipykernel's own shell class (and its name), display publisher, display hook and traceback
  sender: only the socket is replaced, by a collector that turns messages into outputs the way
  nbclient does (``output_from_msg``, ``display_id`` updates, ``clear_output``);
- stdout/stderr buffered like ipykernel's ``OutStream`` (flushed before any display, at the end
  of a cell and 0.2 s after the first buffered write);
- matplotlib-inline as the default backend, and pandas' ``display.max_columns`` as pandas
  chooses it when it is imported in a kernel (a preloaded pandas chose the terminal value);
- ``sys.path``, ``sys.argv`` and the environment variables as a kernel has them.

What it does not do: stdin (``input()`` raises, as in a papermill kernel), widgets and comms, GUI
event loops, output written straight to file descriptors 1 and 2 (C code, ``os.system``),
per-cell timeouts, the user's IPython profile and startup files. Whatever a notebook changes in
the process (pandas options, rcParams, imported modules) stays in the process: run one notebook
per process, e.g. one per child of ``run_forked``. The kernel named in the notebook is never
started: the cells run in the interpreter that runs papermill.
"""

from __future__ import annotations

import atexit
import builtins
import datetime
import getpass
import importlib.util
import io
import os
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, cast

__all__ = ["ENGINE_NAME", "InProcessEngine", "register"]

#: The engine's name for papermill (``engine_name=`` / ``papermill --engine``): the name of its
#: ``papermill.engine`` entry point, also registered when this module is imported.
ENGINE_NAME = "kpibook"

_INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
_ENGINE_CLASS_NAMES = ("InProcessEngine",)


class _DeferredEngine:
    """Stands in for :class:`InProcessEngine` while papermill imports this module.

    papermill loads its engine entry points while it is itself being imported. When this module
    is imported first, it imports papermill, which loads this (half-imported) module through the
    entry point; papermill gets this stand-in, replaced by the real class in :func:`register`.
    """

    @classmethod
    def execute_notebook(cls, *args: Any, **kwargs: Any) -> Any:
        return InProcessEngine.execute_notebook(*args, **kwargs)

    @classmethod
    def nb_kernel_name(cls, *args: Any, **kwargs: Any) -> Any:
        return InProcessEngine.nb_kernel_name(*args, **kwargs)

    @classmethod
    def nb_language(cls, *args: Any, **kwargs: Any) -> Any:
        return InProcessEngine.nb_language(*args, **kwargs)


def __getattr__(name: str) -> Any:
    if name in _ENGINE_CLASS_NAMES:  # only reached while this module is half-imported
        return _DeferredEngine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


import entrypoints  # noqa: E402  (papermill's own entry-point reader)
import nbformat  # noqa: E402
from ipykernel import zmqshell  # noqa: E402
from ipykernel.compiler import XCachingCompiler  # noqa: E402
from ipykernel.ipkernel import IPythonKernel  # noqa: E402
from IPython.core.error import StdinNotImplementedError, UsageError  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from jupyter_client.session import Session  # noqa: E402
from nbclient.exceptions import CellExecutionError, DeadKernelError  # noqa: E402
from nbformat import NotebookNode  # noqa: E402
from papermill.engines import Engine, NotebookExecutionManager, papermill_engines  # noqa: E402
from papermill.exceptions import PapermillException  # noqa: E402
from papermill.log import logger  # noqa: E402
from traitlets.config import Config  # noqa: E402

Message = dict[str, Any]


# ---------------------------------------------------------------------------------------------
# From shell messages to cell outputs
# ---------------------------------------------------------------------------------------------


class _Outputs:
    """The socket of the in-process shell: turns its messages into the current cell's outputs.

    Mirrors nbclient's ``process_message``/``output``/``clear_output`` so that displays,
    ``display_id`` updates and ``clear_output(wait=True)`` end up exactly as with a kernel.
    Messages that arrive while no cell runs are dropped, as nbclient drops messages whose
    parent is not the running cell.
    """

    def __init__(self, nb: NotebookNode, on_output: Callable[[NotebookNode], None]) -> None:
        self.nb = nb
        self.cell: NotebookNode | None = None
        self.index: int | None = None
        self.streams: list[_KernelStream] = []
        self._on_output = on_output
        self._display_ids: dict[str, dict[int, list[int]]] = {}
        self._clear_before_next_output = False
        self.lock = threading.RLock()

    def begin(self, cell: NotebookNode, index: int) -> None:
        with self.lock:
            self.cell, self.index = cell, index
            self._clear_before_next_output = False

    def end(self) -> None:
        with self.lock:
            for stream in self.streams:
                stream.flush()
            self.cell = self.index = None

    def flush_due(self, now: float) -> None:
        """Send the buffers whose kernel flush timer would have fired by ``now``, oldest first."""
        with self.lock:
            due = [
                s
                for s in self.streams
                if s.pending_since is not None
                and now - s.pending_since >= _KernelStream.flush_interval
            ]
            for stream in sorted(due, key=lambda s: s.pending_since or 0.0):
                stream.send_buffer()

    def __call__(self, msg: Message) -> None:
        with self.lock:
            self._process(msg)

    def _process(self, msg: Message) -> None:
        msg_type, content = msg["msg_type"], msg["content"]
        transient = content.get("transient")
        display_id = transient.get("display_id") if transient else None
        if display_id and msg_type in {"execute_result", "display_data", "update_display_data"}:
            self._update_display_id(display_id, msg)
        cell, index = self.cell, self.index
        if cell is None or index is None:
            return
        if "execution_count" in content:
            cell["execution_count"] = content["execution_count"]
        if msg_type == "clear_output":
            if content.get("wait"):
                self._clear_before_next_output = True
            else:
                cell.outputs[:] = []
                self._clear_display_id_mapping(index)
        elif msg_type.startswith("comm") or msg_type in ("execute_input", "update_display_data"):
            return
        else:
            self._output(cell, index, msg, display_id)

    def _output(self, cell: NotebookNode, index: int, msg: Message, display_id: str | None) -> None:
        try:
            out = nbformat.v4.output_from_msg(msg)
        except ValueError:
            logger.error("unhandled iopub msg: %s", msg["msg_type"])
            return
        if self._clear_before_next_output:
            cell.outputs[:] = []
            self._clear_display_id_mapping(index)
            self._clear_before_next_output = False
        if display_id:
            self._display_ids.setdefault(display_id, {}).setdefault(index, []).append(
                len(cell.outputs)
            )
        cell.outputs.append(out)
        self._on_output(out)

    def _update_display_id(self, display_id: str, msg: Message) -> None:
        if display_id not in self._display_ids:
            return
        if msg["msg_type"] == "update_display_data":
            msg = {
                **msg,
                "msg_type": "display_data",
                "header": {**msg["header"], "msg_type": "display_data"},
            }
        out = nbformat.v4.output_from_msg(msg)
        for cell_index, output_indices in self._display_ids[display_id].items():
            outputs = self.nb["cells"][cell_index]["outputs"]
            for output_index in output_indices:
                outputs[output_index]["data"] = out["data"]
                outputs[output_index]["metadata"] = out["metadata"]

    def _clear_display_id_mapping(self, index: int) -> None:
        for cell_map in self._display_ids.values():
            if index in cell_map:
                cell_map[index] = []


class _CaptureSession(Session):
    """A jupyter_client Session whose ``send`` hands the message to ``stream`` (an ``_Outputs``).

    The content goes through the session's JSON packer and back, as on the wire, so outputs hold
    exactly the types a kernel's messages would (lists, not tuples; string keys).
    """

    def send(
        self,
        stream: Any,
        msg_or_type: Message | str,
        content: Any = None,
        parent: Any = None,
        ident: Any = None,
        buffers: Any = None,
        track: bool = False,
        header: Any = None,
        metadata: Any = None,
    ) -> Message:
        if isinstance(msg_or_type, dict):
            msg = dict(msg_or_type)
        else:
            msg = self.msg(msg_or_type, content, parent=parent, header=header, metadata=metadata)
        msg["content"] = self.unpack(self.pack(msg["content"]))
        if callable(stream):
            stream(msg)
        return msg


class _KernelStream(io.TextIOBase):
    """``sys.stdout``/``sys.stderr`` as ipykernel's ``OutStream`` makes them.

    Text is buffered and becomes one ``stream`` output when flushed: before a display, at the
    end of the cell, or when the kernel's 0.2 s flush timer would have fired (checked at the
    next write or flush, as this process has no I/O thread). After the run the stream writes
    to the stream it replaced, so handlers that kept a reference still work.
    """

    flush_interval = 0.2

    def __init__(
        self, name: str, outputs: _Outputs, session: _CaptureSession, fallback: Any
    ) -> None:
        super().__init__()
        self.name = name
        self.pending_since: float | None = None
        self._outputs, self._session, self._fallback = outputs, session, fallback
        self._buffer: list[str] = []
        self._detached = False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "UTF-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise io.UnsupportedOperation("fileno")

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text)}")
        if self._detached:
            return self._fallback.write(text) if self._fallback is not None else len(text)
        with self._outputs.lock:
            now = time.monotonic()
            self._outputs.flush_due(now)
            if not self._buffer:
                self.pending_since = now
            self._buffer.append(text)
        return len(text)

    def flush(self) -> None:
        if self._detached:
            if self._fallback is not None:
                self._fallback.flush()
            return
        with self._outputs.lock:
            self._outputs.flush_due(time.monotonic())
            self.send_buffer()

    def send_buffer(self) -> None:
        text, self._buffer, self.pending_since = "".join(self._buffer), [], None
        if text:
            self._session.send(self._outputs, "stream", {"name": self.name, "text": text})

    def detach_to_fallback(self) -> None:
        """Flush what is left and write to the replaced stream from now on."""
        self.flush()
        self._detached = True


# ---------------------------------------------------------------------------------------------
# The shell and the process around it
# ---------------------------------------------------------------------------------------------


class _NoKernel:
    """What the shell sees as its kernel: there is no event loop to stop or GUI to run."""

    eventloop = None


class ZMQInteractiveShell(zmqshell.ZMQInteractiveShell):
    """ipykernel's shell, its messages delivered in-process instead of over ZeroMQ.

    It keeps the class name: code decides it runs in a notebook kernel by testing
    ``get_ipython().__class__.__name__ == "ZMQInteractiveShell"``, "zmq" in the type's name
    (pandas' display defaults) or a ``kernel`` attribute (pandas, tqdm).
    """

    def enable_gui(self, gui: Any = None) -> None:
        if gui not in (None, "inline"):
            raise UsageError(f"no GUI event loop ({gui!r}) when a notebook runs in-process")
        self.active_eventloop = gui


def _raw_input(prompt: object = "") -> str:
    """``input()`` in a papermill kernel: there is no frontend to answer."""
    raise StdinNotImplementedError(
        "raw_input was called, but this frontend does not support input requests."
    )


def _getpass(prompt: str = "Password: ", stream: Any = None) -> str:
    raise StdinNotImplementedError(
        "getpass was called, but this frontend does not support input requests."
    )


@contextmanager
def _restored_process_state() -> Iterator[None]:
    """Put back what the shell and its set-up change in the interpreter (not what cells change)."""
    saved_sys = {
        k: getattr(sys, k) for k in ("stdin", "stdout", "stderr", "displayhook", "excepthook")
    }
    saved_builtins = dict(builtins.__dict__)
    saved_getpass = getpass.getpass
    saved_environ = dict(os.environ)
    saved_path, saved_argv = list(sys.path), sys.argv
    saved_main = sys.modules.get("__main__")
    saved_filters = list(warnings.filters)
    try:
        yield
    finally:
        for key, value in saved_sys.items():
            setattr(sys, key, value)
        for key in set(builtins.__dict__) - set(saved_builtins):
            del builtins.__dict__[key]
        for key, value in saved_builtins.items():
            if builtins.__dict__.get(key, _MISSING) is not value:
                builtins.__dict__[key] = value
        getpass.getpass = saved_getpass
        for key in set(os.environ) - set(saved_environ):
            del os.environ[key]
        for key, value in saved_environ.items():
            if os.environ.get(key) != value:
                os.environ[key] = value
        sys.path[:] = saved_path
        sys.argv = saved_argv
        if saved_main is not None:
            sys.modules["__main__"] = saved_main
        cast(list[Any], warnings.filters)[:] = saved_filters  # a list (typeshed: Sequence)
        warnings._filters_mutated()  # type: ignore[attr-defined]


_MISSING = object()


def _kernel_sys_path_and_argv() -> None:
    """``sys.path`` and ``sys.argv`` as in a kernel that nbclient started.

    ipykernel's launcher drops the script directory, then IPython inserts '' (the working
    directory) before site-packages; the arguments name the launcher and a connection file.
    """
    launcher = importlib.util.find_spec("ipykernel_launcher")
    sys.argv = [
        launcher.origin if launcher and launcher.origin is not None else "ipykernel_launcher.py",
        "-f",
        os.path.join(tempfile.gettempdir(), "kernel-in-process.json"),
        "--HistoryManager.hist_file=:memory:",
    ]
    if sys.path and sys.path[0] in ("", os.getcwd()):  # as ipykernel_launcher does
        del sys.path[0]
    if "" in sys.path or sys.flags.safe_path:  # IPython's InteractiveShellApp.init_path
        return
    for index, path in enumerate(sys.path):
        if os.path.basename(path) in {"site-packages", "dist-packages"}:
            sys.path.insert(index, "")
            return
    sys.path.insert(0, "")


@contextmanager
def _pandas_as_in_a_kernel() -> Iterator[None]:
    """``display.max_columns`` as pandas sets it when imported in a kernel (20, not 0).

    pandas chooses it at import time (``config_init.is_terminal``): imported in a parent that
    had no shell, it chose 0, "fit the terminal", which changes wide DataFrames' reprs. A pandas
    imported later, inside a cell, sees this shell and needs nothing.
    """
    key = "display.max_columns"
    pd = sys.modules.get("pandas")
    if pd is None:  # importing pandas here would make the choice this avoids
        yield
        return
    try:
        from pandas._config import config as pd_config

        registered = pd_config._registered_options[key]
    except (ImportError, KeyError, AttributeError):
        registered = None
    if registered is None or registered.defval != 0:
        yield
        return
    value = pd.get_option(key)
    pd_config._registered_options[key] = registered._replace(defval=20)
    if value == 0:
        pd.set_option(key, 20)
    try:
        yield
    finally:
        pd_config._registered_options[key] = registered
        pd.set_option(key, value)


def _matplotlib_as_in_a_kernel(shell: InteractiveShell) -> None:
    """The inline backend as default, as ``IPKernelApp`` makes it with ``MPLBACKEND``.

    A matplotlib imported later reads the variable, and matplotlib-inline hooks into this shell
    when pyplot first loads it, as in a kernel. A matplotlib imported earlier (preloaded) did
    not see the variable: its backend is switched here, unless one was chosen on purpose.
    """
    os.environ.setdefault("MPLBACKEND", _INLINE_BACKEND)
    mpl = sys.modules.get("matplotlib")
    if mpl is None:
        return
    current = mpl.get_backend(auto_select=False)
    wanted = os.environ["MPLBACKEND"]
    if current is None and wanted != _INLINE_BACKEND:
        mpl.rcParams["backend"] = wanted
        return
    if current not in (None, "inline", _INLINE_BACKEND):
        return
    from IPython.core.pylabtools import activate_matplotlib
    from matplotlib_inline import backend_inline
    from matplotlib_inline.config import InlineBackend

    InlineBackend.clear_instance()  # it holds the previous shell, if any
    vars(backend_inline.configure_inline_support).pop("current_backend", None)
    activate_matplotlib(_INLINE_BACKEND)
    backend_inline.configure_inline_support(shell, _INLINE_BACKEND)


@contextmanager
def _fresh_shell(outputs: _Outputs, *, shut_down: bool = True) -> Iterator[ZMQInteractiveShell]:
    """A new shell as ipykernel builds one, its I/O going to ``outputs``; torn down after
    (IPython's own exit, unless not ``shut_down``: see :class:`InProcessEngine`)."""
    if InteractiveShell.initialized():
        raise PapermillException(
            f"engine {ENGINE_NAME!r} cannot run inside an IPython session: it would replace "
            f"its shell; run it in a child process (helpers.run.workers.run_forked)"
        )
    with ExitStack() as stack:
        stack.enter_context(_restored_process_state())
        session = _CaptureSession()  # a random key, as any Session: no insecure-signing warning
        config = Config()
        config.HistoryManager.hist_file = ":memory:"  # as nbclient starts kernels
        shell = ZMQInteractiveShell.instance(
            config=config, kernel=_NoKernel(), compiler_class=XCachingCompiler
        )
        atexit.unregister(shell.atexit_operations)
        stack.callback(ZMQInteractiveShell.clear_instance)
        if shut_down:
            stack.callback(_shut_down, shell)
        for publisher in (shell.displayhook, shell.display_pub):
            publisher.session = session
            publisher.pub_socket = outputs
        jupyter_session = os.environ.get("JPY_SESSION_NAME")
        if jupyter_session:
            shell.user_ns["__session__"] = jupyter_session
        streams = [
            _KernelStream("stdout", outputs, session, sys.stdout),
            _KernelStream("stderr", outputs, session, sys.stderr),
        ]
        outputs.streams = streams
        for stream in streams:
            stack.callback(stream.detach_to_fallback)
        sys.stdout, sys.stderr = streams
        builtins.input = _raw_input
        getpass.getpass = _getpass
        _kernel_sys_path_and_argv()
        stack.enter_context(_pandas_as_in_a_kernel())
        _matplotlib_as_in_a_kernel(shell)
        yield shell


def _shut_down(shell: InteractiveShell) -> None:
    """What IPython does at exit for this shell: history closed, namespace released."""
    try:
        shell.atexit_operations()
    except Exception:  # noqa: BLE001 - tearing down must not hide the run's own result
        logger.debug("in-process shell shutdown failed", exc_info=True)


# ---------------------------------------------------------------------------------------------
# Running the cells
# ---------------------------------------------------------------------------------------------


def _timestamp() -> str:
    """nbclient's message timestamp format."""
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class _CellRunner:
    """Runs one code cell the way nbclient's ``execute_cell`` drives a kernel."""

    def __init__(
        self,
        shell: ZMQInteractiveShell,
        outputs: _Outputs,
        *,
        allow_errors: bool,
        skip_cells_with_tag: str,
    ) -> None:
        self.shell, self.outputs = shell, outputs
        self.allow_errors, self.skip_tag = allow_errors, skip_cells_with_tag

    def execute_cell(self, cell: NotebookNode, index: int) -> None:
        if cell.cell_type != "code" or not cell.source.strip():
            return
        tags = cell.metadata.get("tags", [])
        if self.skip_tag in tags:
            return
        shell = self.shell
        timing = {"iopub.status.busy": _timestamp()}
        cell.outputs = []
        cell["execution_count"] = shell.execution_count
        timing["iopub.execute_input"] = _timestamp()
        self.outputs.begin(cell, index)
        try:
            result = shell.run_cell(cell.source, store_history=True, silent=False)
        finally:
            self.outputs.end()
        timing["shell.execute_reply"] = timing["iopub.status.idle"] = _timestamp()
        cell["metadata"]["execution"] = timing
        if shell.exit_now:  # exit() in a cell ends a kernel: nbclient sees it die
            raise DeadKernelError("Kernel died")
        displayhook_error = getattr(shell, "_last_traceback_during_displayhook", False)
        if result.success and not displayhook_error:
            return
        error = result.error_before_exec or result.error_in_exec
        reply = {
            "status": "error",
            "traceback": shell._last_traceback or [],
            "ename": type(error).__name__,
            "evalue": str(error),
        }
        if not (self.allow_errors or "raises-exception" in tags):
            raise CellExecutionError.from_cell_and_msg(cell, reply)


def _is_python(nb: NotebookNode) -> bool:
    kernelspec = nb.metadata.get("kernelspec", {})
    language = kernelspec.get("language") or nb.metadata.get("language_info", {}).get("name")
    return language in (None, "python")


class InProcessEngine(Engine):
    """papermill engine: the notebook's code cells run in this process, in a fresh shell.

    Use ``engine_name=ENGINE_NAME`` (registered when this module is imported, or through the
    ``papermill.engine`` entry point). Accepts papermill's ``log_output``, ``stdout_file`` and
    ``stderr_file``, and nbclient's ``allow_errors`` and ``skip_cells_with_tag``; kernel start
    and per-cell timeouts do not apply. ``shut_down_shell=False`` skips IPython's exit (history
    closed, namespace cleared, which frees every object the notebook made) for a process that
    ends right after the run, as a forked report does: its exit frees them at no cost.
    """

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: NotebookExecutionManager,
        kernel_name: str | None,
        log_output: bool = False,
        stdout_file: Any = None,
        stderr_file: Any = None,
        allow_errors: bool = False,
        skip_cells_with_tag: str = "skip-execution",
        shut_down_shell: bool = True,
        **kwargs: Any,
    ) -> NotebookNode:
        nb = nb_man.nb
        if not _is_python(nb):
            raise PapermillException(
                f"engine {ENGINE_NAME!r} runs Python notebooks only (kernel {kernel_name!r})"
            )

        def on_output(output: NotebookNode) -> None:
            nb_man.autosave_cell()
            if log_output or stdout_file or stderr_file:
                _log_output(output, log_output, stdout_file, stderr_file)

        outputs = _Outputs(nb, on_output)
        with _fresh_shell(outputs, shut_down=shut_down_shell) as shell:
            runner = _CellRunner(
                shell, outputs, allow_errors=allow_errors, skip_cells_with_tag=skip_cells_with_tag
            )
            for index, cell in enumerate(nb.cells):  # papermill_execute_cells
                try:
                    nb_man.cell_start(cell, index)
                    runner.execute_cell(cell, index)
                except CellExecutionError as ex:
                    nb_man.cell_exception(nb.cells[index], cell_index=index, exception=ex)
                    break
                finally:
                    nb_man.cell_complete(nb.cells[index], cell_index=index)
        nb.metadata["language_info"] = dict(IPythonKernel.language_info)
        return nb


def _log_output(output: NotebookNode, log_output: bool, stdout_file: Any, stderr_file: Any) -> None:
    """papermill's ``log_output_message``: echo outputs to the log and/or files."""
    if output.output_type == "stream":
        content = "".join(output.text)
        target = stdout_file if output.name == "stdout" else stderr_file
        if log_output:
            (logger.info if output.name == "stdout" else logger.warning)(content)
        if target:
            target.write(content)
            target.flush()
    elif log_output and "data" in output and "text/plain" in output.data:
        logger.info("".join(output.data["text/plain"]))


def register() -> None:
    """Register the engine with papermill as :data:`ENGINE_NAME` and under its entry points."""
    papermill_engines.register(ENGINE_NAME, InProcessEngine)
    for entry in entrypoints.get_group_all("papermill.engine"):
        if entry.module_name == __name__ and entry.object_name in _ENGINE_CLASS_NAMES:
            papermill_engines.register(entry.name, InProcessEngine)


register()
