import os
import sys
import sysconfig

# 1 on a free-threaded build (python3.13t, python3.14t); else 0 or None.
free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
# sys._is_gil_enabled() exists from 3.13 on; before it, the GIL is
# always on. On a free-threaded build it may be on again: PYTHON_GIL=1,
# or a C extension that did not declare it can run without it.
if hasattr(sys, "_is_gil_enabled"):
    gil = sys._is_gil_enabled()
else:
    gil = True
if hasattr(os, "sched_getaffinity"):
    cpus = len(os.sched_getaffinity(0))  # Linux: the CPUs we may use
else:
    cpus = os.cpu_count()

version = f"{sys.version_info.major}.{sys.version_info.minor}"
print(f"Python {version}, free-threaded build: {free_threaded}")
print(f"GIL enabled: {gil}")
print(f"CPUs this process may use: {cpus}")
at_once = 1 if gil else cpus
print(f"threads that can run Python code at once: {at_once}")
