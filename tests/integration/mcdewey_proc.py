"""Shared by the integration tests that talk to the real binary (Python 3 standard library only):
ingest a copy of a fixture library, and run `mcdewey serve --port 0` reading the printed URL,
stopped with SIGTERM, then SIGKILL."""
import http.client
import os
import shutil
import subprocess
import threading
import urllib.parse


def copy_library(src_dir, dest):
    """Copies a fixture library to `dest` with its files writable (the checkout's may not be),
    so tests may change them or plant symlinks; returns `dest`."""
    shutil.copytree(src_dir, dest)
    for root, _, files in os.walk(dest):
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)
    return dest


def ingest_copy(binary, src_dir, tmp, name):
    """Copies `src_dir` below `tmp` (copy_library) and ingests it into `tmp/name`; returns the
    data dir. Exit status 1 is accepted: fixture libraries hold deliberately bad files."""
    lib = copy_library(src_dir, os.path.join(tmp, name + "-src"))
    data = os.path.join(tmp, name)
    p = subprocess.run([binary, "ingest", lib, "--data", data], capture_output=True, text=True, timeout=240)
    if p.returncode not in (0, 1):
        raise AssertionError(f"ingest failed ({p.returncode}): {p.stderr}")
    return data


class Server:
    """`mcdewey serve --data DATA --port 0 FLAGS...` on a free port."""

    def __init__(self, binary, data, *flags):
        self.proc = subprocess.Popen([binary, "serve", "--data", data, "--port", "0", *flags],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if "http://" not in line:
            self.proc.kill()
            raise AssertionError(f"serve did not start: {line} {self.proc.stderr.read()}")
        url = urllib.parse.urlparse(line[line.index("http://"):].split()[0])
        self.host, self.port = url.hostname, url.port
        # Drain stderr so that a chatty server never blocks on a full pipe.
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def send(self, method, path, body=None, headers=None):
        """One request on its own connection: (status, headers dict lower-cased, body bytes)."""
        c = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            c.close()
