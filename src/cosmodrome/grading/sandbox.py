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

import fcntl
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import cache
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
#: Memory a run's cgroup allows on top of one process's limit (the runner and its helpers).
RUN_MEMORY_HEADROOM = 512 * 2**20
#: Size of the box's private /tmp (memory-backed).
TMP_BYTES = 256 * 2**20


@cache
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
        if os.geteuid() == 0:
            raise RuntimeError(
                "isolation 'rlimits' is refused when grading as root: root is exempt from the process "
                "limit, and a student's process could move itself out of the run's control groups and "
                "outlive grading; grade as an unprivileged user, or use the bwrap sandbox")
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
    import site

    from .._data import data_dir

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
    out: list[str] = []
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

    def __init__(self, limits, group):
        self.dirs = []
        self.stats = {"oom_kills": None, "process_limit_hits": None}
        # The whole run's memory: the per-process limit (RLIMIT_AS, which gives a clean
        # MemoryError) plus room for the runner, so one greedy process meets its own
        # limit first and the group stops only a run of several; no swap, so a run at
        # the limit is stopped instead of crawling on until its time runs out.
        whole = limits.memory_bytes + RUN_MEMORY_HEADROOM
        settings = {"pids": [("pids.max", limits.processes)],
                    "memory": [("memory.limit_in_bytes", whole), ("memory.memsw.limit_in_bytes", whole),
                               ("memory.max", whole), ("memory.swap.max", 0)]}
        for ctrl, values in settings.items():
            base = self._base(ctrl)
            if base is None:
                continue
            path = os.path.join(base, group)
            try:
                os.mkdir(path)
                ok = False
                for name, value in values:
                    if os.path.exists(os.path.join(path, name)):
                        try:
                            with open(os.path.join(path, name), "w") as f:
                                f.write(str(value))
                        except OSError:
                            continue            # e.g. swap accounting switched off: the rest still holds
                        ok = ok or not name.startswith(("memory.memsw", "memory.swap"))
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

    def read_stats(self):
        """How often the memory group killed a process for memory, and how often a
        fork was refused at the pids limit (None where there is no such group)."""
        for ctrl, path in self.dirs:
            if ctrl == "memory":
                counts = _counters(path, ("memory.events", "memory.oom_control"))
                self.stats["oom_kills"] = counts.get("oom_kill", 0)
            elif ctrl == "pids":
                self.stats["process_limit_hits"] = _counters(path, ("pids.events",)).get("max", 0)
        return dict(self.stats)

    def kill_and_remove(self):
        _kill_and_remove([path for _, path in self.dirs])
        self.dirs = []


def _counters(path, files):
    """``name value`` lines of a cgroup's event files, as {name: int}."""
    out = {}
    for name in files:
        try:
            with open(os.path.join(path, name)) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 2 and parts[1].isdigit():
                        out[parts[0]] = int(parts[1])
        except OSError:
            continue
    return out


def _kill_and_remove(paths):
    """Kill every process in the cgroups ``paths``, then remove the groups."""
    for path in paths:
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


#: What a grading run's scratch folder is called (in the temporary folder), and
#: the file in it that a live run holds locked: a folder whose marker is not
#: locked was left by a run that was killed (kill -9), and is removed by the next.
SCRATCH_PREFIX = "cosmodrome-grade-"
MARKER = ".cosmodrome-grader.lock"


@dataclass(frozen=True)
class Session:
    """One grading run's scratch folder (``root``) and its id, which names its cgroups:
    the grader's process id and start time, so a later run can tell whether the
    grader that made a cgroup is still alive, whatever its temporary folder."""

    root: str
    run_id: str


def _process_start(pid):
    """The start time (clock ticks since boot) of process ``pid``, or None if there is none."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def _own_run_id():
    return f"{os.getpid()}.{_process_start(os.getpid())}"


def _run_alive(run_id):
    pid, _, start = run_id.partition(".")
    return pid.isdigit() and str(_process_start(int(pid))) == start


def _cgroup_name(run_id, token):
    return f"cosmodrome-{run_id}-{token}"


def _cgroup_bases():
    return [b for b in (Cgroups._base("pids"), Cgroups._base("memory")) if b]


def remove_leftovers(temp_dir=None):
    """Remove what killed grading runs left behind: scratch folders in ``temp_dir``
    whose marker no live run holds, and cgroups named for a grader process that no
    longer runs (their processes are killed first). Only this grader's own kind,
    by its marker and names; returns what was removed."""
    temp_dir = temp_dir or tempfile.gettempdir()
    removed = []
    for name in sorted(os.listdir(temp_dir)):
        path = os.path.join(temp_dir, name)
        if not name.startswith(SCRATCH_PREFIX):
            continue
        try:
            st = os.lstat(path)
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
                continue
            fd = os.open(os.path.join(path, MARKER), os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue                                  # a live run holds it
        finally:
            os.close(fd)
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    for base in _cgroup_bases():
        try:
            names = os.listdir(base)
        except OSError:
            continue
        for name in names:
            m = re.fullmatch(r"cosmodrome-(\d+\.\d+)-[0-9a-f]{16}", name)
            if m and not _run_alive(m.group(1)):
                _kill_and_remove([os.path.join(base, name)])
                removed.append(os.path.join(base, name))
    return removed


@contextmanager
def session(temp_dir=None):
    """A grading run's scratch folder (in ``temp_dir``, by default the temporary
    folder), held by a locked marker until the run ends, made after what earlier
    killed runs left there has been removed."""
    remove_leftovers(temp_dir)
    root = tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=temp_dir)
    os.chmod(root, 0o711)
    fd = os.open(os.path.join(root, MARKER), os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield Session(root, _own_run_id())
    finally:
        shutil.rmtree(root, ignore_errors=True)
        os.close(fd)


@dataclass(frozen=True)
class Outcome:
    """How a boxed run ended. ``returncode`` is None if it was stopped at the wall-clock
    limit (-N: killed by signal N); ``log`` is the start of what it printed, read
    from a file the grader opened before the run; ``oom_kills`` and
    ``process_limit_hits`` count what the run's cgroups saw (None: no such cgroup)."""

    returncode: object
    log: str
    oom_kills: object = None
    process_limit_hits: object = None


def run(argv, scratch, env, limits, isolation, wall_s, *, run_id=None, pass_fds=(), log_bytes=65536):
    """Run ``argv`` boxed; returns an ``Outcome``. The run's output goes to an unlinked
    temporary file (no path the run could replace); ``pass_fds`` are handed to it."""
    token = os.urandom(8).hex()
    env = dict(env, COSMODROME_RUN_TOKEN=token)
    cgroups = Cgroups(limits, _cgroup_name(run_id or _own_run_id(), token))
    stats = {}
    with tempfile.TemporaryFile() as log:
        try:
            proc = subprocess.Popen(command(argv, scratch, env, isolation), cwd=scratch,
                                    env=env if isolation == "rlimits" else {"PATH": env["PATH"]},
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=log, pass_fds=tuple(pass_fds),
                                    preexec_fn=_apply_limits(limits, cgroups), close_fds=True)
            try:
                rc = proc.wait(timeout=wall_s)
            except subprocess.TimeoutExpired:
                rc = None
            finally:
                _kill_tree(proc, token)
                stats = cgroups.read_stats()
                cgroups.kill_and_remove()
                proc.wait()
        finally:
            cgroups.kill_and_remove()
        data = os.pread(log.fileno(), log_bytes, 0)
    return Outcome(rc, data.decode("utf-8", "replace"), stats.get("oom_kills"), stats.get("process_limit_hits"))
