"""``creditlab room [DIR]``: a course server for a training room, on one machine (JupyterHub).

Trainees only need a browser: they open ``http://<trainer's machine>:8000/``, type their name
and the room password, and get their own JupyterLab on their own copy of the course. Every
check, QCM and questionnaire they validate lands in their folder; the trainer's login opens the
trainer view, which reads the whole room.

Layout of the room folder ``DIR``::

    DIR/trainees/<slug>/      one copy of the course per trainee (notebooks/, exercises/, datasets/)
    DIR/trainees/<slug>/resultats/<slug>.jsonl   the trainee's results (CREDITLAB_RESULTS)
    DIR/formateur/            the trainer's copy; notebooks/trainer_view.ipynb reads DIR/trainees
    DIR/.hub/                 JupyterHub's files: configuration, room.json (passwords, mode 600),
                              database, cookie secret; DIR/.homes/<user>/ the servers' HOME

``<slug>`` is the trainee's name without accents, in lower case, other characters as ``-``
(``"Zoé N'Diaye"`` → ``zoe-n-diaye``), the JupyterHub user name and the results file name.

How it works: :class:`RoomAuthenticator` (a small JupyterHub authenticator: a name, from the
trainees list when one is given, and the room password; the trainer has their own password)
and :class:`RoomSpawner` (JupyterHub's ``SimpleLocalProcessSpawner``: every trainee's
JupyterLab runs as the same system account as the hub, in the trainee's folder, with
``CREDITLAB_TRAINEE`` and ``CREDITLAB_RESULTS`` set so that results are recorded without any
``session(...)`` call; their ``CREDITLAB_ROOM_`` copies make ``session(None)``, at the top of
the exercise notebooks, keep recording).

Security limit, plainly: all trainees' servers run under **one system account**. JupyterLab
shows each trainee only their folder, but any trainee's Python code can read and change the
other trainees' folders and anything that account can reach. Use it for a training room on a
machine (or a throwaway virtual machine) that holds nothing else, on the room's network, for
the time of the course; traffic is plain HTTP (passwords included). It is not a shared
production server (for that: JupyterHub with system accounts or containers, and HTTPS).
"""

from __future__ import annotations

import asyncio
import csv
import functools
import hmac
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import creditlab.exercises as ex
from creditlab.course import copy_course
from creditlab.exceptions import InputError

__all__ = ["Room", "prepare_room", "read_trainees", "remember_name", "room_results", "run_room",
           "slug",
           "configure", "hub_classes", "TRAINER", "TRAINER_VIEW"]

#: The trainer's login name (and folder) by default.
TRAINER = "formateur"
#: The notebook the trainer's login opens, relative to the trainer's folder.
TRAINER_VIEW = "notebooks/trainer_view.ipynb"
#: The notebook a trainee's login opens.
FIRST_NOTEBOOK = "notebooks/00_prise_en_main.ipynb"
#: Not copied into the trainees' folders: the example group's results would be read as theirs.
_NOT_FOR_TRAINEES = ("datasets", "course_results_example")

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o",
                            "Ø": "O"})
_HEADERS = {"nom", "noms", "name", "names", "stagiaire", "stagiaires", "trainee", "trainees",
            "prénom", "prenom", "prénom nom", "prenom nom"}


def slug(name: str) -> str:
    """The user and file name of a trainee: ``"Zoé N'Diaye"`` → ``"zoe-n-diaye"``.

    The same rule as ``creditlab.exercises.trainee_slug`` (results files), so that the folder
    ``trainees/<slug>/`` and the file ``<slug>.jsonl`` have the same stem.
    """
    ascii_name = unicodedata.normalize("NFKD", str(name).translate(_LIGATURES)) \
        .encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def read_trainees(path: str | os.PathLike) -> dict[str, str]:
    """The trainees of the room from a CSV file: one name per line, first column.

    A first line ``nom`` / ``stagiaire`` / ``name`` (a header) is skipped; blank lines too.
    Accepts ``,`` or ``;`` as separator, UTF-8 (with or without BOM).

    Returns
    -------
    dict slug → name as written

    Raises
    ------
    InputError
        File missing or empty, a name without letters or digits, two names with the same
        slug, or a name that is the trainer's.
    """
    file = Path(path)
    if not file.is_file():
        raise InputError("--trainees", "a CSV file with one trainee name per line", str(path),
                         "check the path of the file (for example stagiaires.csv)")
    text = file.read_text(encoding="utf-8-sig")
    dialect = ";" if text.count(";") > text.count(",") else ","
    names: dict[str, str] = {}
    for n, row in enumerate(csv.reader(text.splitlines(), delimiter=dialect), start=1):
        name = " ".join(row[0].split()) if row else ""
        if not name or (n == 1 and name.lower() in _HEADERS):
            continue
        key = slug(name)
        if not key:
            raise InputError(f"--trainees line {n}", "a name with letters or digits", name,
                             "write the trainee's first name (and last name)")
        if key in names:
            raise InputError(f"--trainees line {n}", "names that differ once accents and case "
                             "are removed", f"{name!r} and {names[key]!r}",
                             "add the last name or an initial to one of them")
        if key == TRAINER:
            raise InputError(f"--trainees line {n}", f"a trainee name other than {TRAINER!r}",
                             name, f"{TRAINER!r} is the trainer's login")
        names[key] = name
    if not names:
        raise InputError("--trainees", "at least one trainee name", f"no name in {file}",
                         "write one name per line")
    return names


@dataclass(frozen=True)
class Room:
    """A prepared room: its folder, addresses and logins. :meth:`command` starts it."""

    folder: Path
    ip: str
    port: int
    hub_port: int
    proxy_port: int
    password: str
    trainer_password: str
    trainees: dict

    @property
    def hub_dir(self) -> Path:
        return self.folder / ".hub"

    @property
    def config_file(self) -> Path:
        return self.hub_dir / "jupyterhub_config.py"

    def url(self, host: str | None = None) -> str:
        """The address trainees type (``host`` defaults to the address the hub listens on,
        or this machine's address on the network when it listens on every interface)."""
        listening = self.ip if self.ip not in ("", "0.0.0.0", "::") else None
        return f"http://{host or listening or _lan_address()}:{self.port}/"

    def command(self) -> list[str]:
        """The JupyterHub command, run from :attr:`hub_dir`."""
        return [sys.executable, "-m", "jupyterhub", "-f", str(self.config_file)]

    def describe(self) -> str:
        """What the trainer reads out to the room (French)."""
        names = (", ".join(self.trainees.values()) if self.trainees
                 else "n'importe quel prénom et nom")
        return "\n".join([
            f"Salle de formation : {self.folder}",
            f"Les stagiaires ouvrent dans leur navigateur : {self.url()}",
            f"  nom : leur prénom et nom ({names})",
            f"  mot de passe de la salle : {self.password}",
            f"Formateur : nom « {TRAINER} », mot de passe : {self.trainer_password} "
            "(ouvre la vue formateur)",
            "Arrêt : Ctrl+C. Les dossiers des stagiaires restent dans "
            f"{self.folder / 'trainees'}.",
        ])


def _lan_address() -> str:
    """This machine's address on the local network (no packet is sent), else its name."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
    except OSError:
        return socket.gethostname()


def _password() -> str:
    """A room password easy to read out: 3 groups of 4 lower-case letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"   # no l/1, o/0, i
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


def prepare_room(folder: str | os.PathLike = "salle", *, trainees: str | os.PathLike |
                 None = None, password: str | None = None, trainer_password: str | None = None,
                 ip: str = "", port: int = 8000, hub_port: int | None = None,
                 proxy_port: int | None = None) -> Room:
    """Create the room folder: trainer's copy of the course, listed trainees' copies, the hub's
    configuration. Existing files are kept (a trainee's work is never overwritten).

    Parameters
    ----------
    folder : path
        The room folder.
    trainees : path, optional
        CSV of trainee names (:func:`read_trainees`); only they can log in. Without it, any
        name is accepted with the room password (folders are created at first login).
    password : str, optional
        The room password; generated (and printed) when not given.
    trainer_password : str, optional
        The trainer's password; generated when not given.
    ip, port : str, int
        Address the hub listens on ("" = every interface, so that the room's machines reach it)
        and its port. The hub's internal API and the proxy's API use ``hub_port`` and
        ``proxy_port`` on 127.0.0.1 (default ``port + 1`` and ``port + 2``).

    Raises
    ------
    InputError
        A password shorter than 6 characters, a port out of range, a bad trainees file.
    """
    names = read_trainees(trainees) if trainees is not None else {}
    for name, value in (("--password", password), ("--trainer-password", trainer_password)):
        if value is not None and len(value) < 6:
            raise InputError(name, "at least 6 characters", f"{len(value)} character(s)",
                             "choose a longer password, or leave it out to get one generated")
    ports = (port, hub_port or port + 1, proxy_port or port + 2)
    for p in ports:
        if not 1 <= int(p) <= 65535:
            raise InputError("--port", "a port between 1 and 65535 (and the two after it)",
                             p, "choose for example --port 8000")
    root = Path(folder).expanduser().resolve()
    room = Room(root, ip, *ports, password or _password(), trainer_password or _password(),
                names)
    room.hub_dir.mkdir(parents=True, exist_ok=True)
    trainer_folder(root)
    for key in names:
        trainee_folder(root, key)
    settings = room.hub_dir / "room.json"
    settings.write_text(json.dumps({
        "folder": str(root), "ip": ip, "port": room.port, "hub_port": room.hub_port,
        "proxy_port": room.proxy_port, "password": room.password,
        "trainer_password": room.trainer_password, "trainees": names,
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    settings.chmod(0o600)
    room.config_file.write_text(
        "# Written by `creditlab room`: the settings are in room.json next to this file.\n"
        "from creditlab.room import configure\n\n"
        f"configure(c, {str(settings)!r})  # noqa: F821\n", encoding="utf-8")
    return room


def trainer_folder(room: Path) -> Path:
    """The trainer's copy of the course, its trainer view reading ``room/trainees``."""
    folder = room / TRAINER
    copy_course(folder)
    view = folder / TRAINER_VIEW
    nb = json.loads(view.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            cell["source"] = (f"dossier = {str(room / 'trainees')!r}  "
                              "# les dossiers des stagiaires de la salle")
            cell["outputs"], cell["execution_count"] = [], None
            break
    else:   # pragma: no cover - the trainer view always has its parameters cell
        raise InputError(TRAINER_VIEW, "a cell tagged 'parameters'", "none",
                         "restore the trainer view notebook from the course")
    view.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return folder


def trainee_folder(room: Path, key: str) -> Path:
    """A trainee's copy of the course (kept if it exists), without the example results."""
    folder = room / "trainees" / key
    copy_course(folder)
    shutil.rmtree(folder.joinpath(*_NOT_FOR_TRAINEES), ignore_errors=True)
    (folder / "resultats").mkdir(exist_ok=True)
    return folder


def remember_name(folder: Path, name: str) -> str:
    """The trainee's name as first given, kept in ``folder/.nom``: a trainee who types
    "zoé n'diaye" the next morning, or logs in again after the hub restarted, stays
    "Zoé N'Diaye" in the results (one trainee, not two, in the trainer view)."""
    file = folder / ".nom"
    known = file.read_text(encoding="utf-8").strip() if file.is_file() else ""
    if known:
        return known
    file.write_text(name + "\n", encoding="utf-8")
    return name


def results_file(room: Path, key: str) -> Path:
    """Where a trainee's results are recorded."""
    return room / "trainees" / key / "resultats" / f"{key}.jsonl"


def room_results(room: str | os.PathLike):
    """Every result recorded in the room, one row per line (the trainer's side).

    Uses ``creditlab.exercises.collect`` (a whole group, damaged files skipped and listed)
    when the package has it; otherwise reads each trainee's ``resultats/`` folder with
    ``creditlab.exercises.load_results``. Returns a DataFrame with at least ``trainee,
    exercise_id, part, ok, timestamp, kind``; empty when nobody has answered yet.
    """
    trainees = Path(room) / "trainees"
    collect = getattr(ex, "collect", None)
    if collect is not None:
        return collect(trainees).attempts
    folders = sorted({p.parent for p in trainees.glob("*/resultats/*.jsonl")})
    if not folders:
        return pd.DataFrame(columns=["trainee", "exercise_id", "part", "ok", "timestamp",
                                     "kind"])
    return pd.concat([ex.load_results(f) for f in folders], ignore_index=True)


# --------------------------------------------------------------------------- JupyterHub side
def configure(c, settings: str | os.PathLike) -> None:
    """Fill JupyterHub's configuration ``c`` for the room described by ``settings``
    (room.json written by :func:`prepare_room`). Called by the generated config file."""
    s = json.loads(Path(settings).read_text(encoding="utf-8"))
    room = Path(s["folder"])
    hub = room / ".hub"
    c.JupyterHub.bind_url = f"http://{s['ip']}:{s['port']}/"
    c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{s['hub_port']}"
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s['proxy_port']}"
    c.ConfigurableHTTPProxy.pid_file = str(hub / "proxy.pid")
    c.JupyterHub.db_url = f"sqlite:///{hub / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(hub / "jupyterhub_cookie_secret")
    authenticator, spawner = hub_classes()
    c.JupyterHub.authenticator_class = authenticator
    c.JupyterHub.spawner_class = spawner
    c.RoomAuthenticator.room_password = s["password"]
    c.RoomAuthenticator.trainer_password = s["trainer_password"]
    c.RoomAuthenticator.trainees = s["trainees"]
    c.Authenticator.admin_users = {TRAINER}
    c.RoomSpawner.room = str(room)
    c.RoomSpawner.trainees = s["trainees"]
    c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        c.Spawner.args = ["--allow-root"]
    # a room's machine starts many servers at once: give them time
    c.Spawner.start_timeout = 180
    c.Spawner.http_timeout = 180


def _has_jupyterhub() -> bool:
    try:
        import jupyterhub  # noqa: F401 - optional: room
    except ImportError:
        return False
    return True


@functools.cache
def hub_classes() -> tuple[type, type]:
    """``(RoomAuthenticator, RoomSpawner)``, built on first use: JupyterHub (extra 'room') is
    imported only by the hub, never when the command line is built."""
    from jupyterhub.auth import Authenticator  # optional: room
    from jupyterhub.spawner import SimpleLocalProcessSpawner  # optional: room
    from traitlets import Dict, Unicode, default  # optional: room

    class RoomAuthenticator(Authenticator):
        """Name + room password for trainees, name ``formateur`` + its own password for the
        trainer (admin). With a trainees list only those names are accepted."""

        room_password = Unicode(config=True, help="password shared by the room's trainees")
        trainer_password = Unicode(config=True, help="the trainer's password")
        trainees = Dict(config=True, help="slug → name; empty: any name is accepted")
        display_names = Dict(help="slug → name as typed at login (this hub's run)")

        def check_allowed(self, username, authentication=None):
            return True   # authenticate() already checked the name against the list

        async def authenticate(self, handler, data):
            typed = " ".join(str(data.get("username", "")).split())
            password = str(data.get("password", ""))
            key = slug(typed)
            if not key:
                return None
            if key == TRAINER:
                ok = bool(self.trainer_password) and hmac.compare_digest(
                    password.encode(), self.trainer_password.encode())
                return {"name": TRAINER, "admin": True} if ok else None
            if self.trainees and key not in self.trainees:
                self.log.warning("room: %r is not on the trainees list", typed)
                return None
            if not (self.room_password and hmac.compare_digest(
                    password.encode(), self.room_password.encode())):
                return None
            self.display_names[key] = self.trainees.get(key, typed)
            return {"name": key}

    class RoomSpawner(SimpleLocalProcessSpawner):
        """The trainee's JupyterLab in ``room/trainees/<slug>`` (the trainer's in
        ``room/formateur``, opening the trainer view), all under the hub's system account."""

        room = Unicode(config=True, help="the room folder")
        trainees = Dict(config=True, help="slug → name of the listed trainees")

        @default("home_dir")
        def _default_home_dir(self):
            return str(Path(self.room) / ".homes" / self.user.name)

        def _is_trainer(self) -> bool:
            return self.user.name == TRAINER

        def _display_name(self) -> str:
            """The listed name, else the name as first typed (kept in the folder)."""
            if self.user.name in self.trainees:
                return self.trainees[self.user.name]
            auth = getattr(self, "authenticator", None)
            typed = getattr(auth, "display_names", {}).get(self.user.name)
            folder = Path(self.room) / "trainees" / self.user.name
            return remember_name(folder, typed or self.user.name)

        async def start(self):
            room = Path(self.room)
            if self._is_trainer():
                folder = await asyncio.to_thread(trainer_folder, room)
                self.default_url = f"/lab/tree/{TRAINER_VIEW}"
            else:
                folder = await asyncio.to_thread(trainee_folder, room, self.user.name)
                self.default_url = f"/lab/tree/{FIRST_NOTEBOOK}"
            self.notebook_dir = str(folder)
            return await super().start()

        def get_env(self):
            env = super().get_env()
            if not self._is_trainer():
                # recorded from the first check on; the ROOM_ copies survive the
                # session(None) cell at the top of the exercise notebooks
                name = self._display_name()
                path = str(results_file(Path(self.room), self.user.name))
                env["CREDITLAB_TRAINEE"] = env["CREDITLAB_ROOM_TRAINEE"] = name
                env["CREDITLAB_RESULTS"] = env["CREDITLAB_ROOM_RESULTS"] = path
            return env

    return RoomAuthenticator, RoomSpawner


# --------------------------------------------------------------------------- command line
def _proxy_found() -> bool:
    return shutil.which("configurable-http-proxy") is not None


def run_room(folder: str | os.PathLike = "salle", *, start: bool = True, **options) -> int:
    """Prepare the room (:func:`prepare_room`), print what to tell the room, start the hub."""
    if start:
        if os.name == "nt":
            raise InputError("creditlab room", "Linux or macOS (JupyterHub does not run on "
                             "Windows)", "Windows", "run the room on a Linux machine, a Linux "
                             "virtual machine or WSL; --no-start only prepares the folders")
        if not _has_jupyterhub():
            raise InputError("jupyterhub", "JupyterHub installed (extra 'room')",
                             "not installed", 'pip install "creditlab[room]"')
        if not _proxy_found():
            raise InputError("configurable-http-proxy", "JupyterHub's proxy on the PATH",
                             "not found", "install Node.js, then: npm install -g "
                             "configurable-http-proxy")
    room = prepare_room(folder, **options)
    print(room.describe())
    if not start:
        print(f"Démarrage : {' '.join(room.command())}")
        return 0
    return _run_hub(room.command(), room.hub_dir)


def _run_hub(cmd: list[str], cwd: Path) -> int:
    """Run the hub; Ctrl+C or SIGTERM on this command stops the hub (which stops the
    trainees' servers and the proxy) instead of leaving it running."""
    hub = subprocess.Popen(cmd, cwd=cwd)

    def stop(*_):
        hub.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return hub.wait()
    except KeyboardInterrupt:   # the hub got the same Ctrl+C: let it finish cleaning up
        return hub.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)


def add_parser(sub) -> None:
    """Register ``creditlab room`` on the CLI's subparsers."""
    p = sub.add_parser(
        "room", help="start a course server for a training room (JupyterHub)",
        description="One folder per trainee with their copy of the course; trainees log in "
                    "from a browser with their name and the room password; the trainer's "
                    f"login ({TRAINER!r}) opens the trainer view. All servers run under this "
                    "system account: use it on a machine dedicated to the course.")
    p.add_argument("dir", nargs="?", default="salle", help="room folder (default: salle)")
    p.add_argument("--trainees", metavar="CSV",
                   help="file of trainee names, one per line; only they can log in")
    p.add_argument("--password", help="room password (default: generated and printed)")
    p.add_argument("--trainer-password", help="trainer's password (default: generated)")
    p.add_argument("--ip", default="", help="address to listen on (default: every interface)")
    p.add_argument("--port", type=int, default=8000,
                   help="port trainees type in the address (default 8000; the hub also "
                        "uses the two next ports on 127.0.0.1)")
    p.add_argument("--no-start", action="store_true",
                   help="prepare the folders and the configuration only")
    p.set_defaults(handler=lambda a: run_room(
        a.dir, start=not a.no_start, trainees=a.trainees, password=a.password,
        trainer_password=a.trainer_password, ip=a.ip, port=a.port))
