#!/usr/bin/python3
"""test_keepalive.py -- nginx keeps its FastCGI connections to the engine open between
requests (nginx/imiflow.conf.in: upstream keepalive, fastcgi_keep_conn).  Each idle kept
connection holds an engine thread, so: many concurrent clients, in bursts that leave idle
connections behind, all get their answers (no thread is left waiting on an idle connection
while new ones queue), and SIGTERM stops the engine promptly although nginx still holds
connections to it."""

import http.client
import os
import signal
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import tap  # noqa: E402
from stack import Stack  # noqa: E402

CLIENTS = 24
REQUESTS = 10


class KeepaliveTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = Stack()
        cls.stack.start()
        cls.addClassCleanup(cls.stack.stop)

    def burst(self, keep_alive):
        """CLIENTS threads at once, REQUESTS each: the statuses, and the failures."""
        statuses, failures = [], []
        lock = threading.Lock()
        start = threading.Barrier(CLIENTS)

        def client():
            conn = None
            try:
                start.wait(10)
                for _ in range(REQUESTS):
                    if conn is None:
                        conn = http.client.HTTPConnection("127.0.0.1", self.stack.port,
                                                          timeout=10)
                    conn.request("GET", "/login")
                    r = conn.getresponse()
                    r.read()
                    with lock:
                        statuses.append(r.status)
                    if not keep_alive:
                        conn.close()
                        conn = None
            except Exception as e:  # a timeout is the failure this test looks for
                with lock:
                    failures.append(repr(e))
            finally:
                if conn is not None:
                    conn.close()
        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        return statuses, failures

    def test_1_concurrent_clients_in_bursts_all_get_answers(self):
        t0 = time.monotonic()
        for n in range(4):
            statuses, failures = self.burst(keep_alive=n % 2 == 0)
            self.assertEqual(failures, [], f"burst {n}")
            self.assertEqual(len(statuses), CLIENTS * REQUESTS, f"burst {n}")
            self.assertEqual(set(statuses), {200}, f"burst {n}")
            # Between bursts nginx's connections to the engine sit idle, each holding a thread.
            time.sleep(0.5)
        # A starved request waits for nginx's idle timeout (a minute), or times out above.
        self.assertLess(time.monotonic() - t0, 40)

    def test_2_sigterm_stops_the_engine_while_nginx_keeps_connections(self):
        s = self.stack
        statuses, failures = self.burst(keep_alive=True)
        self.assertEqual(failures, [])
        engine = s.engine.popen
        t0 = time.monotonic()
        engine.send_signal(signal.SIGTERM)
        engine.wait(20)
        self.assertEqual(engine.returncode, 0)
        self.assertLess(time.monotonic() - t0, 10, "nginx keeps idle connections for a minute")


if __name__ == "__main__":
    tap.main()
