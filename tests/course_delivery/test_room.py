"""``creditlab room``: the training-room server (JupyterHub, one folder per trainee).

The first tests need nothing but the package (folders, names, passwords, configuration). The
``room`` tests start the real hub once for the module (free ports, a temp room), log two
trainees in over HTTP, start their servers, run one cell in each through the Jupyter REST and
kernel websocket API, and read both results from the trainer's side. They skip with the reason
without JupyterHub or configurable-http-proxy (fail instead under CREDITLAB_REQUIRE_ROOM=1, as
on CI).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import stat
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from creditlab.cli import main
from creditlab.exceptions import InputError
from creditlab.room import (
    TRAINER,
    TRAINER_VIEW,
    prepare_room,
    read_trainees,
    remember_name,
    results_file,
    room_results,
    slug,
)

# ----------------------------------------------------------------------------- without a hub


def test_slug_drops_accents_case_and_punctuation():
    assert slug("Zoé N'Diaye") == "zoe-n-diaye"
    assert slug("  Marie   Claire ") == "marie-claire"
    assert slug("Œdipe Lætitia") == "oedipe-laetitia"
    assert slug("../../etc") == "etc"
    assert slug("!!!") == ""


def test_read_trainees_skips_the_header_and_reads_semicolons(tmp_path):
    f = tmp_path / "stagiaires.csv"
    f.write_text("\ufeffnom;service\nZoé N'Diaye;compta\n\nMarie  Claire;ADV\n", encoding="utf-8")
    assert read_trainees(f) == {"zoe-n-diaye": "Zoé N'Diaye", "marie-claire": "Marie Claire"}


@pytest.mark.parametrize(("text", "match"), [
    ("Zoé\nzoe\n", "differ once accents"),
    ("Formateur\n", "trainer"),
    ("nom\n", "at least one"),
    ("Alice\n???\n", "line 2"),
])
def test_read_trainees_refuses_what_would_mix_two_people(tmp_path, text, match):
    f = tmp_path / "n.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        read_trainees(f)


def test_read_trainees_names_a_missing_file(tmp_path):
    with pytest.raises(InputError, match="--trainees"):
        read_trainees(tmp_path / "absent.csv")


def test_prepare_room_lays_out_one_folder_per_trainee_and_the_trainer(tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("Alice Martin\nZoé N'Diaye\n", encoding="utf-8")
    room = prepare_room(tmp_path / "salle", trainees=names, password="secret-room",
                        port=8100)
    folder = tmp_path / "salle"
    assert (room.hub_port, room.proxy_port) == (8101, 8102)
    for key in ("alice-martin", "zoe-n-diaye"):
        mine = folder / "trainees" / key
        assert (mine / "notebooks" / "01_enjeux_credit_management.ipynb").is_file()
        assert (mine / "datasets" / "demo" / "invoices.csv").is_file()
        assert (mine / "resultats").is_dir()
        # the example group's results are not copied: they would be read as the trainee's
        assert not (mine / "datasets" / "course_results_example").exists()
        assert results_file(folder, key) == mine / "resultats" / f"{key}.jsonl"
    # the trainer's view reads the room's trainees folder
    view = json.loads((folder / TRAINER / TRAINER_VIEW).read_text(encoding="utf-8"))
    params = next(c for c in view["cells"] if "parameters" in c["metadata"].get("tags", []))
    assert params["source"].startswith(f"dossier = {str(folder / 'trainees')!r}")
    settings = folder / ".hub" / "room.json"
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600   # passwords inside
    data = json.loads(settings.read_text(encoding="utf-8"))
    assert data["password"] == "secret-room" and len(data["trainer_password"]) == 14
    assert data["trainees"] == {"alice-martin": "Alice Martin", "zoe-n-diaye": "Zoé N'Diaye"}
    assert "configure(c, " in room.config_file.read_text(encoding="utf-8")
    text = room.describe()
    assert "mot de passe de la salle : secret-room" in text and ":8100/" in text
    assert "Alice Martin, Zoé N'Diaye" in text


def test_prepare_room_keeps_a_trainees_work(tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("Alice\n", encoding="utf-8")
    prepare_room(tmp_path / "s", trainees=names)
    work = tmp_path / "s" / "trainees" / "alice" / "exercises" / "part1_enjeux.ipynb"
    work.write_text("my answers", encoding="utf-8")
    again = prepare_room(tmp_path / "s", trainees=names)
    assert work.read_text(encoding="utf-8") == "my answers"
    assert again.password != ""   # a new password each start unless one is given


@pytest.mark.parametrize(("option", "value"), [("password", "abc"),
                                               ("trainer_password", "12345")])
def test_short_passwords_are_refused(tmp_path, option, value):
    with pytest.raises(InputError, match="at least 6"):
        prepare_room(tmp_path / "s", **{option: value})


def test_cli_room_no_start_prints_what_to_tell_the_room(tmp_path, capsys):
    assert main(["room", str(tmp_path / "salle"), "--password", "salle-42",
                 "--port", "8200", "--no-start"]) == 0
    out = capsys.readouterr().out
    assert ":8200/" in out and "salle-42" in out and "n'importe quel prénom" in out
    assert "jupyterhub -f" in out


def test_room_results_reads_every_trainee_folder(tmp_path):
    room = tmp_path / "salle"
    for key, ok in (("alice", True), ("zoe-n-diaye", False)):
        f = room / "trainees" / key / "resultats" / f"{key}.jsonl"
        f.parent.mkdir(parents=True)
        f.write_text(json.dumps({"trainee": key, "exercise_id": "p1_jour_dso", "part": 1,
                                 "ok": ok, "timestamp": "2026-01-01T10:00:00",
                                 "kind": "exercise"}) + "\n", encoding="utf-8")
    got = room_results(room).set_index("trainee")["ok"]
    assert got.to_dict() == {"alice": True, "zoe-n-diaye": False}


def test_room_results_of_an_empty_room_is_empty(tmp_path):
    (tmp_path / "trainees").mkdir()
    assert len(room_results(tmp_path)) == 0


def test_authenticator_checks_names_and_passwords():
    pytest.importorskip("jupyterhub", reason="JupyterHub is not installed (extra 'room')")
    from creditlab.room import hub_classes

    auth_class, _ = hub_classes()
    auth = auth_class(room_password="room-pass", trainer_password="trainer-pass",
                      trainees={"zoe-n-diaye": "Zoé N'Diaye"})

    def login(name, password):
        return asyncio.run(auth.authenticate(None, {"username": name, "password": password}))

    assert login("zoé  n'diaye", "room-pass") == {"name": "zoe-n-diaye"}
    assert auth.display_names["zoe-n-diaye"] == "Zoé N'Diaye"   # as listed
    assert login("Zoé N'Diaye", "wrong") is None
    assert login("Bruno", "room-pass") is None                  # not on the list
    assert login("Formateur", "room-pass") is None              # trainer has their own
    assert login("formateur", "trainer-pass") == {"name": TRAINER, "admin": True}
    assert login("", "room-pass") is None
    free = auth_class(room_password="room-pass", trainer_password="trainer-pass")
    assert asyncio.run(free.authenticate(None, {"username": "Bruno", "password": "room-pass"})) \
        == {"name": "bruno"}


# ----------------------------------------------------------------------------- the real hub


def _absent(reason: str):
    if os.environ.get("CREDITLAB_REQUIRE_ROOM"):
        pytest.fail(f"CREDITLAB_REQUIRE_ROOM is set but {reason}")
    pytest.skip(reason)


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A running room with two listed trainees; yields (base url, room, passwords)."""
    for module, extra in (("jupyterhub", "room"), ("requests", "test"),
                          ("websocket", "test")):
        try:
            __import__(module)
        except ImportError:
            _absent(f"{module} is not installed (pip install 'creditlab[{extra}]')")
    if shutil.which("configurable-http-proxy") is None:
        _absent("configurable-http-proxy is not on the PATH (npm install -g "
                "configurable-http-proxy)")
    import requests

    root = tmp_path_factory.mktemp("room")
    names = root / "stagiaires.csv"
    names.write_text("nom\nAlice Martin\nZoé N'Diaye\n", encoding="utf-8")
    port, hub_port, proxy_port = _free_ports(3)
    room = prepare_room(root / "salle", trainees=names, password="salle-secret",
                        trainer_password="formateur-secret", ip="127.0.0.1", port=port,
                        hub_port=hub_port, proxy_port=proxy_port)
    log = (root / "hub.log").open("wb")
    proc = subprocess.Popen(room.command(), cwd=room.hub_dir, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if requests.get(f"{base}/hub/api/", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the hub did not start:\n" + (root / "hub.log").read_text()[-4000:])
        time.sleep(0.5)
    yield base, room, root / "hub.log"
    proc.terminate()   # JupyterHub stops the trainees' servers and the proxy on SIGTERM
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _login(base: str, name: str, password: str):
    """Log in through the hub's form as a browser does; returns the session, or None when
    the hub shows the login page again with its refusal."""
    import requests

    s = requests.Session()
    s.get(f"{base}/hub/login", timeout=10).raise_for_status()
    xsrf = s.cookies.get("_xsrf", path="/hub/")
    r = s.post(f"{base}/hub/login", data={"username": name, "password": password,
                                         "_xsrf": xsrf}, allow_redirects=False, timeout=30)
    if r.status_code != 302:
        assert r.status_code == 403 and "Invalid username or password" in r.text, r.text[:500]
        return None
    # the hub ties a new xsrf token to the logged-in session: API calls send that one
    s.headers["X-XSRFToken"] = s.cookies.get("_xsrf", path="/hub/")
    return s


def _start_server(base: str, session, user: str, log: Path) -> str:
    """Start the user's server with an API token of their own; returns the token."""
    r = session.post(f"{base}/hub/api/users/{user}/tokens",
                     json={"note": "test", "expires_in": 900}, timeout=30)
    r.raise_for_status()
    token = r.json()["token"]
    auth = {"Authorization": f"token {token}"}
    r = session.post(f"{base}/hub/api/users/{user}/server", headers=auth, timeout=30)
    assert r.status_code in (201, 202), r.text
    return token


def _wait_ready(base: str, user: str, token: str, log: Path, timeout: float = 150) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = requests.get(f"{base}/hub/api/users/{user}",
                            headers={"Authorization": f"token {token}"}, timeout=10).json()
        server = info.get("servers", {}).get("")
        if server and server.get("ready"):
            return
        time.sleep(1)
    pytest.fail(f"{user}'s server did not start:\n" + log.read_text()[-4000:])


def _run_cell(base: str, user: str, token: str, code: str,
              notebook: str = "exercises/part1_enjeux.ipynb") -> str:
    """Open a course notebook's session (as JupyterLab does when the trainee opens it), execute
    ``code`` in its kernel; returns the printed output."""
    import requests
    import websocket

    auth = {"Authorization": f"token {token}"}
    r = requests.post(f"{base}/user/{user}/api/sessions", headers=auth, timeout=60,
                      json={"path": notebook, "type": "notebook", "name": Path(notebook).name,
                            "kernel": {"name": "python3"}})
    r.raise_for_status()
    session_id, kernel = r.json()["id"], r.json()["kernel"]["id"]
    ws = websocket.create_connection(
        f"{base.replace('http', 'ws', 1)}/user/{user}/api/kernels/{kernel}/channels",
        header=[f"Authorization: token {token}"], timeout=120)
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "username": user, "session": uuid.uuid4().hex,
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
    printed, reply = [], None
    while reply is None:
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if kind == "stream":
            printed.append(msg["content"]["text"])
        elif kind == "error":
            printed.append("\n".join(msg["content"]["traceback"]))
        elif kind == "execute_reply":
            reply = msg["content"]
    ws.close()
    requests.delete(f"{base}/user/{user}/api/sessions/{session_id}", headers=auth, timeout=30)
    assert reply["status"] == "ok", "".join(printed)
    return "".join(printed)


# as in the exercise notebooks: session(None) first (it keeps the room's login)
CELL = """
import os
from creditlab.exercises import check, expected_answer, session
session(None)
answer = expected_answer("p1_jour_dso") if {right} else 1.0
feedback = check("p1_jour_dso", answer)
print(os.environ["CREDITLAB_TRAINEE"], "|", feedback.ok, "|", os.getcwd())
"""


TRAINEES = {"alice-martin": ("Alice Martin", True), "zoe-n-diaye": ("zoé n'diaye", False)}


@pytest.fixture(scope="module")
def trainees_worked(hub):
    """Both trainees log in (as typed: case and accents vary), start their servers at the same
    time and run the cell; returns {user: printed output}."""
    base, _, log = hub
    tokens = {}
    for user, (typed, _) in TRAINEES.items():
        session = _login(base, typed, "salle-secret")
        assert session is not None, f"{typed} could not log in"
        tokens[user] = _start_server(base, session, user, log)
    outputs = {}
    for user, (_, right) in TRAINEES.items():
        _wait_ready(base, user, tokens[user], log)
        outputs[user] = _run_cell(base, user, tokens[user], CELL.format(right=right))
    return outputs


@pytest.mark.room
def test_wrong_password_and_unlisted_names_are_refused(hub):
    base, _, _ = hub
    assert _login(base, "Alice Martin", "wrong-password") is None
    assert _login(base, "Bruno", "salle-secret") is None     # not on the list
    assert _login(base, TRAINER, "salle-secret") is None    # the room password is not enough


@pytest.mark.room
def test_two_trainees_log_in_run_a_cell_and_the_trainer_sees_both(hub, trainees_worked):
    _, room, _ = hub
    for user, (_, right) in TRAINEES.items():
        name, ok, cwd = (part.strip() for part in trainees_worked[user].split("|"))
        # the name as listed (not as typed), the check's verdict, the trainee's own folder
        assert name == room.trainees[user]
        assert ok == str(right)
        assert Path(cwd) == room.folder / "trainees" / user / "exercises"
    lines = [json.loads(x) for x in
             results_file(room.folder, "zoe-n-diaye").read_text("utf-8").splitlines()]
    assert [(x["trainee"], x["exercise_id"], x["ok"]) for x in lines] == \
        [("Zoé N'Diaye", "p1_jour_dso", False)]
    # the trainer's side: one collection of the room sees both trainees
    seen = room_results(room.folder)
    assert dict(zip(seen["trainee"], seen["ok"], strict=True)) == \
        {"Alice Martin": True, "Zoé N'Diaye": False}


@pytest.mark.room
def test_the_trainer_logs_in_to_the_trainer_view(hub, trainees_worked):
    base, room, log = hub
    session = _login(base, "Formateur", "formateur-secret")
    assert session is not None
    token = _start_server(base, session, TRAINER, log)
    _wait_ready(base, TRAINER, token, log)
    info = session.get(f"{base}/hub/api/users/{TRAINER}", timeout=10,
                       headers={"Authorization": f"token {token}"}).json()
    assert info["admin"] is True
    assert info["servers"][""]["url"] == f"/user/{TRAINER}/"
    # the trainer's server serves the trainer view, whose folder parameter is the room's
    import requests

    r = requests.get(f"{base}/user/{TRAINER}/api/contents/{TRAINER_VIEW}", timeout=30,
                     headers={"Authorization": f"token {token}"})
    r.raise_for_status()
    cells = r.json()["content"]["cells"]
    params = next(c for c in cells if "parameters" in c["metadata"].get("tags", []))
    assert str(room.folder / "trainees") in params["source"]
    # and from the trainer view's kernel, its parameter leads to both trainees' results
    out = _run_cell(base, TRAINER, token, params["source"] + TRAINER_CELL, TRAINER_VIEW)
    assert out.split("|") == ["Alice Martin", "Zoé N'Diaye\n"]


TRAINER_CELL = """
from pathlib import Path
from creditlab.room import room_results
print(*sorted(set(room_results(Path(dossier).parent)["trainee"])), sep="|")
"""


def test_session_none_keeps_the_room_login_but_stops_a_personal_session(tmp_path, monkeypatch):
    from creditlab.exercises import check, expected_answer, session

    room_file = tmp_path / "salle" / "trainees" / "zoe" / "resultats" / "zoe.jsonl"
    room_file.parent.mkdir(parents=True)
    for key in ("TRAINEE", "RESULTS"):
        monkeypatch.delenv(f"CREDITLAB_{key}", raising=False)
    monkeypatch.setenv("CREDITLAB_ROOM_TRAINEE", "Zoé")
    monkeypatch.setenv("CREDITLAB_ROOM_RESULTS", str(room_file))
    monkeypatch.chdir(tmp_path)
    session("alice")                     # a personal session in the same kernel ...
    assert session(None) == room_file    # ... ends, back to the room's login
    check("p1_jour_dso", expected_answer("p1_jour_dso"))
    line = json.loads(room_file.read_text(encoding="utf-8"))
    assert (line["trainee"], line["ok"]) == ("Zoé", True)
    monkeypatch.delenv("CREDITLAB_ROOM_TRAINEE")
    monkeypatch.delenv("CREDITLAB_ROOM_RESULTS")
    assert session(None) is None         # outside the room: records nothing
    check("p1_jour_dso", 1.0)
    assert len(room_file.read_text(encoding="utf-8").splitlines()) == 1


def test_run_room_names_what_is_missing(tmp_path, monkeypatch):
    import creditlab.room as room_module

    monkeypatch.setattr(room_module.shutil, "which", lambda name: None)
    if room_module._has_jupyterhub():
        with pytest.raises(InputError, match="configurable-http-proxy"):
            room_module.run_room(tmp_path / "s", password="salle-42")
    monkeypatch.setattr(room_module, "_has_jupyterhub", lambda: False)
    with pytest.raises(InputError, match=r"creditlab\[room\]"):
        room_module.run_room(tmp_path / "s", password="salle-42")
    assert not (tmp_path / "s").exists()   # nothing prepared when it cannot start
    monkeypatch.setattr(room_module.os, "name", "nt")
    with pytest.raises(InputError, match="Windows"):
        room_module.run_room(tmp_path / "s", password="salle-42")


def test_the_address_printed_is_the_one_listened_on(tmp_path):
    assert prepare_room(tmp_path / "a", ip="127.0.0.1", port=8300).url() == \
        "http://127.0.0.1:8300/"
    assert prepare_room(tmp_path / "b", port=8300).url("salle.local") == \
        "http://salle.local:8300/"


def test_stopping_the_command_stops_the_hub(tmp_path):
    """SIGTERM on `creditlab room` reaches the hub (a stand-in child here) and is waited for."""
    import signal
    import sys
    import textwrap

    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from creditlab.room import _run_hub
        hub = "import time; print('started', flush=True); time.sleep(60)"
        code = _run_hub([sys.executable, "-c", hub], Path({str(tmp_path)!r}))
        print("hub exit", code, flush=True)
    """), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert proc.stdout.readline().strip() == "started"   # the hub runs, the handler is set
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    assert out.strip() == f"hub exit {-signal.SIGTERM}"


def test_a_free_name_is_remembered_as_first_typed(tmp_path):
    assert remember_name(tmp_path, "Zoé N'Diaye") == "Zoé N'Diaye"
    assert remember_name(tmp_path, "zoé n'diaye") == "Zoé N'Diaye"   # next login, typed lower
    assert (tmp_path / ".nom").read_text(encoding="utf-8") == "Zoé N'Diaye\n"
