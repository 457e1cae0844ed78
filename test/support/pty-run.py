"""Run a command in a pseudo-terminal and type into it: keys in, screen out.

usage: python3 pty-run.py STEPS_JSON CMD ARGS...
STEPS_JSON is a list of [text_to_wait_for, key_to_send] pairs: each waits until the screen
output so far contains the text (10 s at most), then sends the key. Prints everything the
command wrote to the terminal, and exits with its exit status.
"""
import json, os, pty, select, sys, time

steps = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])

out = b''
def read_until(text, since, timeout=10.0):
    """Read until `text` is in what was written from offset `since` on; False on timeout or end."""
    global out
    end = time.time() + timeout
    while text.encode() not in out[since:]:
        left = end - time.time()
        if left <= 0:
            sys.stderr.write('timed out waiting for %r\n' % text)
            return False
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            out += chunk
    return True

since = 0
for wait, key in steps:
    # Only output after the previous key counts: the same text may be on the screen before it.
    read_until(wait, since)
    since = len(out)
    os.write(fd, key.encode())

while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
