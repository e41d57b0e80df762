"""Running one untrusted notebook in a box: limits, isolation, and killing it all.

Two isolation levels (see the README's threat model):

``bwrap``
    bubblewrap (Debian package ``bubblewrap``, no Docker, no daemon) puts the run in
    new user, PID, network, IPC and UTS namespaces with a file-system view built
    from an allow-list: the Python installation and the cosmodrome package and
    data read-only, the submission's own scratch directory read-write, an empty
    /tmp. Other submissions, the gradebook, the teacher's home and the network do
    not exist inside. All capabilities are dropped; killing the box kills every
    process in its PID namespace.
``rlimits``
    Resource limits, a scrubbed environment, a scratch working directory and a
    process-tree kill only. Student code can still read what the grading user
    can read and reach the network. Used only when the teacher asks for it.

Both levels apply the same resource limits (``Limits``) to the run through
``setrlimit`` in the child before it starts: address space, file size, open
files, CPU seconds, processes, no core dumps; the wall-clock limits are enforced
from outside by the grader.
"""

import os
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from .. import _check


@dataclass(frozen=True)
class Limits:
    """What one submission may use. Wall times in seconds, sizes in bytes."""

    cell_timeout_s: float = 60.0
    notebook_timeout_s: float = 300.0
    memory_bytes: int = 3 * 2**30
    file_size_bytes: int = 64 * 2**20
    processes: int = 64
    output_bytes: int = 2 * 2**20
    submission_bytes: int = 20 * 2**20
    open_files: int = 256

    def __post_init__(self):
        _check.in_range("cell_timeout_s", self.cell_timeout_s, 1, 3600)
        _check.in_range("notebook_timeout_s", self.notebook_timeout_s, 5, 6 * 3600)
        _check.in_range("memory_bytes", self.memory_bytes, 512 * 2**20, 64 * 2**30)
        _check.in_range("file_size_bytes", self.file_size_bytes, 2**20, 16 * 2**30)
        _check.in_range("processes", self.processes, 8, 4096)
        _check.in_range("output_bytes", self.output_bytes, 2**14, 2**30)
        _check.in_range("submission_bytes", self.submission_bytes, 2**16, 2**30)
        _check.in_range("open_files", self.open_files, 64, 65536)

    def as_dict(self):
        return asdict(self)


ISOLATION_LEVELS = ("auto", "bwrap", "rlimits")
#: Size of the box's private /tmp (memory-backed).
TMP_BYTES = 256 * 2**20


@lru_cache(maxsize=None)
def bwrap_path():
    """Path of a bubblewrap that works on this machine (as the user runs use), or None."""
    exe = shutil.which("bwrap")
    if not exe:
        return None
    try:
        probe = subprocess.run([exe, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent",
                                "--dev", "/dev", "--proc", "/proc", "true"],
                               capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return exe if probe.returncode == 0 else None


def resolve_isolation(level):
    """The isolation level to use for ``level`` ("auto" picks bwrap, and refuses to
    fall back silently to the weaker level)."""
    _check.lookup("isolation", level, {k: k for k in ISOLATION_LEVELS})
    if level == "rlimits":
        return "rlimits"
    if bwrap_path():
        return "bwrap"
    how = ("install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and make sure user "
           "namespaces are enabled, or pass --isolation rlimits to grade with resource limits only "
           "(student code could then read your files and use the network)")
    if level == "bwrap":
        raise RuntimeError(f"isolation 'bwrap' is not available on this machine: {how}")
    raise RuntimeError(f"no sandbox found for grading untrusted notebooks: {how}")


def _read_only_paths():
    """What the run needs to see: the Python installation, the environment's
    site-packages (including editable installs' source folders), cosmodrome's data."""
    from .._data import data_dir

    import site

    paths = {"/usr", "/etc/ld.so.cache", "/etc/localtime",
             sys.base_prefix, sys.prefix, sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]}
    # site-packages only, not sys.path: that can hold the current folder, which may be
    # where the teacher keeps the submissions and the gradebook
    paths.update(site.getsitepackages())
    paths.add(str(Path(__file__).resolve().parents[2]))      # cosmodrome's package root (src/ when editable)
    paths.add(str(data_dir().resolve()))
    real = set()
    for p in paths:
        p = os.path.realpath(p)
        if os.path.exists(p):
            real.add(p)
    # Bind each tree once: drop paths inside another bound path.
    keep = sorted(real, key=len)
    out = []
    for p in keep:
        if not any(p == q or p.startswith(q.rstrip("/") + "/") for q in out):
            out.append(p)
    return out


def command(argv, scratch, env, isolation):
    """The argv that runs ``argv`` in the box for ``scratch`` with environment ``env``."""
    if isolation == "rlimits":
        return list(argv)
    cmd = [bwrap_path(), "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
           "--cap-drop", "ALL", "--hostname", "grader",
           # the empty /tmp first: anything bound below (a project cloned under /tmp, the
           # scratch folder) is mounted on top of it, in order
           "--dev", "/dev", "--proc", "/proc", "--size", str(TMP_BYTES), "--tmpfs", "/tmp"]
    for p in _read_only_paths():
        cmd += ["--ro-bind", p, p]
    for p in ("/bin", "/lib", "/lib32", "/lib64", "/sbin"):   # merged-/usr systems link these
        if os.path.islink(p):
            cmd += ["--symlink", os.readlink(p), p]
        elif os.path.isdir(p):
            cmd += ["--ro-bind", p, p]
    cmd += ["--bind", str(scratch), str(scratch), "--chdir", str(scratch)]
    for k, v in env.items():
        cmd += ["--setenv", k, v]
    return cmd + ["--"] + list(argv)


def scrubbed_env(scratch, extra):
    """The whole environment a run gets: nothing of the teacher's but what is listed."""
    scratch = str(scratch)
    env = {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": scratch,
        "TMPDIR": os.path.join(scratch, "tmp"),
        "LANG": "C.UTF-8",
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": os.path.join(scratch, ".mpl"),
        "IPYTHONDIR": os.path.join(scratch, ".ipython"),
        "JUPYTER_RUNTIME_DIR": os.path.join(scratch, ".runtime"),
        "JUPYTER_CONFIG_DIR": os.path.join(scratch, ".jupyter"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    if os.environ.get("COSMODROME_DATA"):
        env["COSMODROME_DATA"] = os.environ["COSMODROME_DATA"]
    env.update(extra)
    for d in ("tmp", ".mpl", ".ipython", ".runtime", ".jupyter"):
        os.makedirs(os.path.join(scratch, d), exist_ok=True)
    return env


def _user_process_count():
    uid, n = os.getuid(), 0
    for pid in os.listdir("/proc"):
        try:
            if pid.isdigit() and os.stat(f"/proc/{pid}").st_uid == uid:
                n += 1
        except OSError:
            pass
    return n


class Cgroups:
    """A run's own pids and memory control groups (cgroup v1 or v2), where this
    process may create them (as root, or in a delegated v2 subtree). They cap the
    processes and the memory of the whole run, and kill all of it reliably."""

    def __init__(self, limits, token):
        self.dirs = []
        settings = {"pids": [("pids.max", limits.processes)],
                    "memory": [("memory.limit_in_bytes", limits.memory_bytes), ("memory.max", limits.memory_bytes)]}
        for ctrl, values in settings.items():
            base = self._base(ctrl)
            if base is None:
                continue
            path = os.path.join(base, f"cosmodrome-{token}")
            try:
                os.mkdir(path)
                ok = False
                for name, value in values:
                    if os.path.exists(os.path.join(path, name)):
                        with open(os.path.join(path, name), "w") as f:
                            f.write(str(value))
                        ok = True
                if ok:
                    self.dirs.append((ctrl, path))
                else:
                    os.rmdir(path)
            except OSError:
                try:
                    os.rmdir(path)
                except OSError:
                    pass

    @staticmethod
    def _base(ctrl):
        try:
            with open("/proc/self/cgroup") as f:
                lines = [ln.rstrip("\n").split(":", 2) for ln in f]
        except OSError:
            return None
        for _, ctrls, rel in lines:
            if ctrl in ctrls.split(","):
                base = f"/sys/fs/cgroup/{ctrl}{rel}"
                return base if os.access(base, os.W_OK) else None
        for _, ctrls, rel in lines:   # cgroup v2: controllers the parent hands down
            if ctrls == "":
                for root in ("/sys/fs/cgroup", "/sys/fs/cgroup/unified"):
                    base = root + rel
                    try:
                        with open(os.path.join(base, "cgroup.subtree_control")) as f:
                            if ctrl in f.read().split() and os.access(base, os.W_OK):
                                return base
                    except OSError:
                        continue
        return None

    @property
    def kinds(self):
        return [c for c, _ in self.dirs]

    def enter(self):
        """Move the calling process into the groups (called in the child before exec)."""
        for _, path in self.dirs:
            with open(os.path.join(path, "cgroup.procs"), "w") as f:
                f.write("0")

    def kill_and_remove(self):
        for _, path in self.dirs:
            for _ in range(50):
                try:
                    with open(os.path.join(path, "cgroup.procs")) as f:
                        pids = [int(x) for x in f.read().split()]
                except OSError:
                    break
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                time.sleep(0.02)
            for _ in range(50):
                try:
                    os.rmdir(path)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)
        self.dirs = []


def _apply_limits(limits, cgroups):
    # RLIMIT_NPROC counts every process of the user (and root is exempt): with a pids
    # cgroup the group caps the run; otherwise the run may add ``processes`` to what
    # the user already runs.
    nproc = None if "pids" in cgroups.kinds else _user_process_count() + limits.processes

    def preexec():
        os.setsid()
        cgroups.enter()
        cpu = int(limits.notebook_timeout_s) + 30
        caps = [(resource.RLIMIT_AS, limits.memory_bytes), (resource.RLIMIT_FSIZE, limits.file_size_bytes),
                (resource.RLIMIT_NOFILE, limits.open_files), (resource.RLIMIT_CPU, cpu),
                (resource.RLIMIT_CORE, 0)]
        if nproc is not None:
            caps.append((resource.RLIMIT_NPROC, nproc))
        for res, value in caps:
            soft, hard = resource.getrlimit(res)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(res, (value, value))
    return preexec


def _kill_tree(proc, token):
    """Kill the run's session and every process that still carries the run's token
    in its environment (children that left the session, at the rlimits level)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    needle = f"COSMODROME_RUN_TOKEN={token}".encode()
    for _ in range(3):
        found = False
        for pid in os.listdir("/proc"):
            if not pid.isdigit() or int(pid) == os.getpid():
                continue
            try:
                with open(f"/proc/{pid}/environ", "rb") as f:
                    env = f.read()
            except OSError:
                continue
            if needle in env.split(b"\0"):
                found = True
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except OSError:
                    pass
        if not found:
            break


def run(argv, scratch, env, limits, isolation, wall_s, log_bytes=65536):
    """Run ``argv`` boxed; returns (returncode, or None if killed at ``wall_s``; log text).

    A negative return code -N means the run was killed by signal N."""
    token = os.urandom(8).hex()
    env = dict(env, COSMODROME_RUN_TOKEN=token)
    log_path = os.path.join(scratch, ".runner.log")
    cgroups = Cgroups(limits, token)
    try:
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(command(argv, scratch, env, isolation), cwd=scratch,
                                    env=env if isolation == "rlimits" else {"PATH": env["PATH"]},
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                    preexec_fn=_apply_limits(limits, cgroups), close_fds=True)
            try:
                rc = proc.wait(timeout=wall_s)
            except subprocess.TimeoutExpired:
                rc = None
            finally:
                _kill_tree(proc, token)
                cgroups.kill_and_remove()
                proc.wait()
    finally:
        cgroups.kill_and_remove()
    with open(log_path, "rb") as f:
        text = f.read(log_bytes).decode("utf-8", "replace")
    return rc, text
