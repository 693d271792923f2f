#!/usr/bin/env python3
"""The Debian package, installed on this machine and removed again.

Packages the current build directory with cpack (no rebuild) into a temporary directory,
installs the .deb with dpkg -i, checks the files, the conffile, the system user and its
state directory, starts the service (with systemd when it runs, else the unit's ExecStart
as the newsdesk user, as systemd would) on a free port, checks /healthz and that the
archive was created in /var/lib/newsdesk by the service user, stops it with SIGTERM, then
purges the package and checks that its files, /var/lib/newsdesk and the user are gone.
The package is purged even when a check fails.

Needs root (dpkg); without it, or when a newsdesk package or user already exists on the
machine (an operator's installation is never touched), it exits 77: ctest reports SKIP.
A lock file in /run/lock serialises concurrent runs from several build directories.

Usage: deb_test.py --build BUILD_DIR [--cpack CPACK]
"""
import argparse
import fcntl
import glob
import grp
import gzip
import os
import pwd
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

SKIP = 77
UNIT = "/lib/systemd/system/newsdesk.service"
CONFIG = "/etc/newsdesk/newsdesk.toml"
STATE = "/var/lib/newsdesk"
DROPIN_DIR = "/run/systemd/system/newsdesk.service.d"


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def skip(msg):
    print(f"SKIP: {msg}")
    sys.exit(SKIP)


def package_installed():
    r = run(["dpkg-query", "-W", "-f=${Status}", "newsdesk"])
    return r.returncode == 0 and "not-installed" not in r.stdout and r.stdout.strip() != ""


def user_exists(name):
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def group_exists(name):
    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthz(port, proc=None, seconds=60):
    url = f"http://127.0.0.1:{port}/healthz"
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise Failure(f"the service exited with {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except Exception as e:  # not listening yet
            last = e
            time.sleep(0.2)
    raise Failure(f"{url} did not answer in {seconds} s: {last}")


def exec_start():
    with open(UNIT, encoding="utf-8") as f:
        for line in f:
            if line.startswith("ExecStart="):
                return shlex.split(line[len("ExecStart="):])
    raise Failure(f"{UNIT}: no ExecStart")


def build_deb(cpack, build, out):
    r = run([cpack, "-G", "DEB", "--config", os.path.join(build, "CPackConfig.cmake"), "-B",
             out])
    check(r.returncode == 0, f"cpack exited {r.returncode}:\n{r.stdout}{r.stderr}")
    debs = glob.glob(os.path.join(out, "newsdesk_*.deb"))
    check(len(debs) == 1, f"cpack made {debs}")
    return debs[0]


def check_installed():
    for path in ("/usr/bin/newsdesk", CONFIG, UNIT, "/usr/share/man/man1/newsdesk.1.gz",
                 "/usr/share/doc/newsdesk/copyright"):
        check(os.path.isfile(path), f"{path} not installed")
    conffiles = run(["dpkg-query", "-W", "-f=${Conffiles}", "newsdesk"]).stdout
    check(CONFIG in conffiles, f"{CONFIG} is not a conffile: {conffiles!r}")
    check(user_exists("newsdesk"), "postinst did not create the user newsdesk")
    user = pwd.getpwnam("newsdesk")
    check(user.pw_uid < 1000, f"newsdesk is not a system user (uid {user.pw_uid})")
    check(group_exists("newsdesk"), "postinst did not create the group newsdesk")
    st = os.stat(STATE)
    check(st.st_uid == user.pw_uid, f"{STATE} is not owned by newsdesk")
    with open(UNIT, encoding="utf-8") as f:
        unit = f.read()
    for line in ("User=newsdesk", "StateDirectory=newsdesk", "NoNewPrivileges=yes",
                 "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                 "Restart=on-failure", "ExecReload=/bin/kill -HUP $MAINPID",
                 f"ExecStart=/usr/bin/newsdesk run --config {CONFIG}"):
        check(line in unit.splitlines(), f"{UNIT} lacks {line!r}")
    with gzip.open("/usr/share/man/man1/newsdesk.1.gz", "rt", encoding="utf-8") as f:
        check("newsdesk run" in f.read(), "the man page does not document `newsdesk run`")
    r = run(["/usr/bin/newsdesk", "--version"])
    check(r.returncode == 0 and "newsdesk" in r.stdout, f"newsdesk --version: {r.stdout!r}")


def serve_with_systemd(port):
    """Restarts the unit with --listen on `port` through a runtime drop-in."""
    os.makedirs(DROPIN_DIR, exist_ok=True)
    argv = exec_start() + ["--listen", f"127.0.0.1:{port}"]
    with open(os.path.join(DROPIN_DIR, "test-port.conf"), "w", encoding="utf-8") as f:
        f.write("[Service]\nExecStart=\nExecStart=" + shlex.join(argv) + "\n")
    run(["systemctl", "daemon-reload"])
    r = run(["systemctl", "restart", "newsdesk.service"])
    check(r.returncode == 0, f"systemctl restart newsdesk: {r.stderr.strip()}")
    status, body = wait_healthz(port)
    check(status == 200, f"/healthz answered {status}")
    r = run(["systemctl", "show", "-p", "User", "--value", "newsdesk.service"])
    check(r.stdout.strip() == "newsdesk", f"the service runs as {r.stdout.strip()!r}")
    r = run(["systemctl", "stop", "newsdesk.service"])
    check(r.returncode == 0, f"systemctl stop newsdesk: {r.stderr.strip()}")
    return body


def serve_without_systemd(port, procs):
    """Runs the unit's ExecStart as the unit's user in its working directory."""
    argv = exec_start() + ["--listen", f"127.0.0.1:{port}"]
    print("no systemd running: starting", shlex.join(argv), "as newsdesk")
    proc = subprocess.Popen(argv, cwd=STATE, user="newsdesk", group="newsdesk",
                            extra_groups=[], env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    procs.append(proc)
    status, body = wait_healthz(port, proc)
    check(status == 200, f"/healthz answered {status}")
    proc.send_signal(signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        raise Failure("the service did not stop within 60 s of SIGTERM")
    check(proc.returncode == 0 or proc.returncode == -signal.SIGTERM,
          f"the service exited with {proc.returncode} on SIGTERM:\n{out}")
    return body


def cleanup(procs):
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    dropin = os.path.join(DROPIN_DIR, "test-port.conf")
    if os.path.exists(dropin):
        os.remove(dropin)
        try:
            os.rmdir(DROPIN_DIR)
        except OSError:
            pass
        run(["systemctl", "daemon-reload"])
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return run(["dpkg", "--purge", "newsdesk"], env=env)


def check_purged():
    check(not package_installed(), "newsdesk is still installed after dpkg --purge")
    for path in ("/usr/bin/newsdesk", CONFIG, "/etc/newsdesk", UNIT, STATE,
                 "/usr/share/man/man1/newsdesk.1.gz", "/usr/share/doc/newsdesk",
                 "/etc/systemd/system/multi-user.target.wants/newsdesk.service"):
        check(not os.path.lexists(path), f"{path} is left after dpkg --purge")
    check(not user_exists("newsdesk"), "the user newsdesk is left after dpkg --purge")
    check(not group_exists("newsdesk"), "the group newsdesk is left after dpkg --purge")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True, help="configured and built build directory")
    ap.add_argument("--cpack", default="cpack")
    args = ap.parse_args()

    if os.geteuid() != 0:
        skip("installing a .deb needs root (CI runs as root); not root here")
    for tool in ("dpkg", "dpkg-deb", "dpkg-shlibdeps", "adduser"):
        if not run(["sh", "-c", f"command -v {tool}"]).stdout.strip():
            skip(f"{tool} is not installed (scripts/setup installs dpkg-dev and adduser)")

    lock_dir = "/run/lock" if os.path.isdir("/run/lock") else "/var/lock"
    lock = open(os.path.join(lock_dir, "newsdesk-deb-test.lock"), "w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # other build directories' runs wait their turn

    if package_installed():
        skip("a newsdesk package is already installed on this machine; not touching it")
    if user_exists("newsdesk") or group_exists("newsdesk") or os.path.exists(STATE):
        skip(f"a newsdesk user, group or {STATE} already exists; not touching it")

    procs = []
    with tempfile.TemporaryDirectory(prefix="nd-deb-") as tmp:
        deb = build_deb(args.cpack, args.build, tmp)
        print("built", os.path.basename(deb), os.path.getsize(deb), "bytes")
        failure = None
        try:
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            r = run(["dpkg", "-i", deb], env=env)
            check(r.returncode == 0, f"dpkg -i exited {r.returncode}:\n{r.stdout}{r.stderr}")
            check_installed()
            port = free_port()
            if os.path.isdir("/run/systemd/system"):
                body = serve_with_systemd(port)
            else:
                body = serve_without_systemd(port, procs)
            print("/healthz:", body.strip()[:200])
            db = os.path.join(STATE, "newsdesk.db")
            check(os.path.isfile(db), f"the service did not create {db}")
            check(os.stat(db).st_uid == pwd.getpwnam("newsdesk").pw_uid,
                  f"{db} is not owned by the service user")
        except Failure as e:
            failure = str(e)
        finally:
            purge = cleanup(procs)
        if failure:
            print(f"FAIL: {failure}", file=sys.stderr)
            return 1
        try:
            check(purge.returncode == 0, f"dpkg --purge exited {purge.returncode}:\n"
                                         f"{purge.stdout}{purge.stderr}")
            check_purged()
        except Failure as e:
            print(f"FAIL: {e}", file=sys.stderr)
            return 1
    print("deb_test: installed, served /healthz, purged cleanly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
