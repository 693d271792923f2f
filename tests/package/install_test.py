#!/usr/bin/env python3
"""`cmake --install` (what `make install` runs) into a prefix and into a DESTDIR.

Checks that every file lands under the prefix (or the DESTDIR), that the configuration and
the systemd unit go to P/etc and P/lib/systemd/system for a prefix P, and to /etc and
/lib/systemd/system under DESTDIR for the prefix /usr, that the unit's ExecStart names the
installed binary and configuration, that the man page documents the subcommands, and that
the installed binary runs with the installed configuration.

Usage: install_test.py --build BUILD_DIR
"""
import argparse
import gzip
import os
import shlex
import subprocess
import sys
import tempfile


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def install(build, prefix, destdir=None):
    env = dict(os.environ)
    env.pop("DESTDIR", None)
    if destdir:
        env["DESTDIR"] = destdir
    r = subprocess.run(["cmake", "--install", build, "--prefix", prefix], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"cmake --install --prefix {prefix} exited {r.returncode}:\n{r.stdout}{r.stderr}")
    files = []
    for line in r.stdout.splitlines():
        for word in ("-- Installing: ", "-- Up-to-date: "):
            if line.startswith(word):
                files.append(line[len(word):])
    return files


def unit_exec_start(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("ExecStart="):
                return shlex.split(line[len("ExecStart="):])
    fail(f"{path}: no ExecStart line")


def check_layout(root, under, bin_dir, etc_dir, unit_dir, share_dir, files):
    """root: the DESTDIR ('' without one); under: the directory every file must be in;
    the other dirs: as the installed system sees them (without the DESTDIR)."""
    expected = {
        f"{bin_dir}/newsdesk",
        f"{etc_dir}/newsdesk/newsdesk.toml",
        f"{unit_dir}/newsdesk.service",
        f"{share_dir}/man/man1/newsdesk.1.gz",
        f"{share_dir}/doc/newsdesk/README.md",
        f"{share_dir}/doc/newsdesk/copyright",
        f"{share_dir}/doc/newsdesk/changelog.gz",
    }
    installed = set(files)
    for path in expected:
        if root + path not in installed:
            fail(f"{root + path} not installed; installed: {sorted(installed)}")
        if not os.path.isfile(root + path):
            fail(f"{root + path} reported installed but missing")
    for path in installed:
        if not path.startswith(under + "/"):
            fail(f"{path} installed outside {under}")

    argv = unit_exec_start(f"{root}{unit_dir}/newsdesk.service")
    want = [f"{bin_dir}/newsdesk", "run", "--config", f"{etc_dir}/newsdesk/newsdesk.toml"]
    if argv != want:
        fail(f"ExecStart is {argv}, want {want}")

    with gzip.open(f"{root}{share_dir}/man/man1/newsdesk.1.gz", "rt", encoding="utf-8") as f:
        man = f.read()
    for needle in (".TH NEWSDESK", ".SH COMMANDS", "newsdesk run", "newsdesk ingest",
                   "\\-\\-listen", "/etc/newsdesk/newsdesk.toml"):
        if needle not in man:
            fail(f"man page lacks {needle!r}")
    return argv


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="nd-install-") as tmp:
        # A user's prefix: everything below it, /etc and /lib included.
        prefix = os.path.join(tmp, "prefix")
        files = install(args.build, prefix)
        check_layout("", prefix, f"{prefix}/bin", f"{prefix}/etc",
                     f"{prefix}/lib/systemd/system", f"{prefix}/share", files)
        version = subprocess.run([f"{prefix}/bin/newsdesk", "--version"], capture_output=True,
                                 text=True)
        if version.returncode != 0 or "newsdesk" not in version.stdout:
            fail(f"installed binary --version: {version.returncode} {version.stdout!r}")
        # The default configuration parses: `export` of an empty archive with it (the db
        # path is overridden, /var/lib/newsdesk is not ours).
        out = os.path.join(tmp, "site")
        r = subprocess.run([f"{prefix}/bin/newsdesk", "export", "--config",
                            f"{prefix}/etc/newsdesk/newsdesk.toml", "--db",
                            os.path.join(tmp, "empty.db"), "--out", out],
                           capture_output=True, text=True, cwd=tmp)
        if r.returncode != 0:
            fail(f"the installed default config does not work: {r.stderr.strip()}")

        # A package build: prefix /usr into DESTDIR; /etc and /lib outside /usr.
        destdir = os.path.join(tmp, "dest")
        files = install(args.build, "/usr", destdir)
        check_layout(destdir, destdir, "/usr/bin", "/etc", "/lib/systemd/system", "/usr/share", files)
        if os.path.exists(os.path.join(destdir, "usr", "etc")):
            fail("prefix /usr installed a /usr/etc")
    print("install_test: prefix and DESTDIR installs OK")


if __name__ == "__main__":
    main()
