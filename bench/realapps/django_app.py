"""A real Django app from PyPI, installed into its own venv under the bench cache and served on loopback.

Each app gets ``.bench-cache/realapps/<name>/``: ``venv/`` (``python -m venv`` + ``pip install`` of a
pinned spec), ``site/`` (the project: generated once, migrated, seeded with a user and data), and
``pristine.sqlite3`` (the database right after seeding: every case starts from a copy of it). A stamp
file per stage makes re-runs skip what is already there. Everything runs as a subprocess with an
argument list and a timeout; the app's own ORM (``manage.py shell -c``) answers what its state is.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.realapps.cases import Case

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".bench-cache" / "realapps"
PIP_TIMEOUT_S = 900
MANAGE_TIMEOUT_S = 300
START_TIMEOUT_S = 60

Progress = Callable[[str], None]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_checked(args: list[str], *, cwd: Path | None = None, timeout: float, what: str) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr)[-3000:]
        raise RuntimeError(f"{what} failed (exit {done.returncode}):\n{tail}")
    return done.stdout


@dataclass
class DjangoApp:
    """What differs per app is in the subclass: the pip spec, how the project is made and seeded,
    which settings module it uses, and its cases."""

    name: str
    pip_spec: tuple[str, ...]
    version_of: str  # the distribution whose version the report names
    settings_module: str
    preamble: str = ""  # imports that ``query`` expressions and the seed code use
    user: str = "alice"
    password: str = "Homebody-bench-9"
    email: str = "alice@example.com"
    port: int = 0
    server: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    # -- where things are --------------------------------------------------------------------------
    @property
    def root(self) -> Path:
        return CACHE / self.name

    @property
    def python(self) -> Path:
        return self.root / "venv" / "bin" / "python"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def db(self) -> Path:
        return self.site / "db.sqlite3"

    @property
    def pristine(self) -> Path:
        return self.root / "pristine.sqlite3"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- to override -------------------------------------------------------------------------------
    def make_project(self) -> None:
        raise NotImplementedError

    def seed_code(self) -> str:
        """Python run in ``manage.py shell`` after ``migrate``: the user and the data the cases need."""
        raise NotImplementedError

    def cases(self) -> list[Case]:
        raise NotImplementedError

    # -- install -----------------------------------------------------------------------------------
    def install(self, say: Progress) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = self.root / "installed.stamp"
        if not (stamp.exists() and stamp.read_text() == " ".join(self.pip_spec)):
            say(f"{self.name}: creating a venv and installing {' '.join(self.pip_spec)} (a few minutes)")
            t0 = time.monotonic()
            if not self.python.exists():
                run_checked([sys.executable, "-m", "venv", str(self.root / "venv")], timeout=120, what="venv")
            pip = [str(self.python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *self.pip_spec]
            run_checked(pip, timeout=PIP_TIMEOUT_S, what=f"pip install {' '.join(self.pip_spec)}")
            stamp.write_text(" ".join(self.pip_spec))
            say(f"{self.name}: installed in {time.monotonic() - t0:.0f} s")
        else:
            say(f"{self.name}: venv cached ({self.root / 'venv'})")
        if not self.pristine.exists():
            say(f"{self.name}: making the project, migrating and seeding the database")
            t0 = time.monotonic()
            if self.site.exists():
                shutil.rmtree(self.site)
            self.make_project()
            self.manage("migrate", "--noinput", "-v0")
            self.shell(self.preamble + "\n" + self.seed_code())
            shutil.copyfile(self.db, self.pristine)
            say(f"{self.name}: project ready in {time.monotonic() - t0:.0f} s")

    def version(self) -> str:
        code = f"import importlib.metadata as m; print(m.version({self.version_of!r}))"
        return run_checked([str(self.python), "-c", code], timeout=60, what="version").strip()

    # -- the app's own tools -----------------------------------------------------------------------
    def manage(self, *args: str, timeout: float = MANAGE_TIMEOUT_S) -> str:
        cmd = [str(self.python), "manage.py", *args, f"--settings={self.settings_module}"]
        return run_checked(cmd, cwd=self.site, timeout=timeout, what=f"manage.py {args[0]}")

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code)

    def query(self, expression: str) -> object:
        """Evaluate ``expression`` with the app's ORM (Django set up, models importable) and return its
        value as JSON would carry it."""
        code = f"import json\n{self.preamble}\nprint('RESULT=' + json.dumps({expression}))"
        out = self.shell(code)
        line = [ln for ln in out.splitlines() if ln.startswith("RESULT=")][-1]
        return json.loads(line.removeprefix("RESULT="))

    # -- serve -------------------------------------------------------------------------------------
    def reset(self, settings: str | None = None) -> None:
        """Stop the server, put the seeded database back, start again (under ``settings`` where given,
        else the app's own settings module): the known state for a case."""
        self.stop()
        shutil.copyfile(self.pristine, self.db)
        self.start(settings)

    def start(self, settings: str | None = None) -> None:
        if not self.port:
            self.port = free_port()
        log = (self.root / "server.log").open("ab")
        cmd = [str(self.python), "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"]
        cmd.append(f"--settings={settings or self.settings_module}")
        self.server = subprocess.Popen(cmd, cwd=self.site, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"{self.name} server exited ({self.server.returncode}); see {log.name}")
            try:
                with urllib.request.urlopen(self.base_url + "/", timeout=5):
                    return
            except urllib.error.HTTPError:
                return  # it answers: a 404 or a redirect to sign in is an answer
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} server did not answer on {self.base_url} in {START_TIMEOUT_S} s")

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.terminate()
        try:
            self.server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait(timeout=10)
        self.server = None
