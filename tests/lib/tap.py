"""Run the unittest TestCases of a module and report them as TAP version 13.

Usage, at the end of a test file:

    if __name__ == "__main__":
        tap.main()

What goes to standard output is the TAP stream and nothing else:

    TAP version 13
    ok 1 - Class.test_name
    not ok 2 - Class.test_other
    # Traceback (most recent call last):
    # ...
    ok 3 - Class.test_skipped # SKIP reason
    1..3

The plan comes last so that the count is exact even when a fixture fails:
an error in setUpModule/setUpClass (for example the stack failing to start)
or in tearDownClass/tearDownModule is reported as one `not ok` line of its
own; a module that collects no test at all reports one `not ok` line rather
than a silent `1..0`.  While the tests run, file descriptor 1 points at
standard error, so whatever a test, a library or a child process (engine,
nginx, PostgreSQL) prints cannot corrupt the TAP stream; those lines end up
in the log that automake's tap-driver keeps.

Exit status: 0 when the stream is complete (every result, failures included,
has been reported and the plan printed); the test outcome is in the TAP
lines, which is where automake's tap-driver.sh counts it (without
--ignore-exit it would turn any non-zero status into an extra ERROR result
and make the counts wrong).  Non-zero only when the runner itself breaks or
is interrupted (then the stream ends with `Bail out!`).  Set the environment
variable TAP_EXIT_FAILURE=1 to exit 1 when any test failed, which is handy
when running a file by hand or from a plain shell loop.

Optional arguments on the command line select tests by substring of
`Class.test_name`, e.g. `python3 tests/e2e/test_login.py rule_length`.
"""

import faulthandler
import os
import signal
import sys
import traceback
import unittest

__all__ = ["main", "TapResult"]


def _test_name(test):
    """`Class.test_method` for a test, the description for a fixture error."""
    if isinstance(test, unittest.TestCase):
        if type(test).__name__ == "_ErrorHolder":
            # "setUpClass (module.Class)" and the like
            return test.description
        return "%s.%s" % (type(test).__name__, test._testMethodName)
    return str(test)


def _escape(text):
    """A TAP description must not contain '#' (it starts a directive)."""
    return " ".join(str(text).replace("#", "\\#").split())


def _comment(text):
    """Every line of text as a TAP comment line."""
    return "".join("# %s\n" % line for line in str(text).rstrip("\n").splitlines())


class TapResult(unittest.TestResult):
    """A TestResult that writes one TAP line per test as soon as it ends."""

    def __init__(self, stream):
        super().__init__()
        self.stream = stream
        self.count = 0
        self.failed = 0
        self._current = None  # the test between startTest and stopTest
        self._state = None

    # -- output ------------------------------------------------------------

    def _emit(self, ok, name, directive=None, details=()):
        self.count += 1
        line = "%s %d - %s" % ("ok" if ok else "not ok", self.count, _escape(name))
        if directive:
            line += " # " + directive
        out = [line + "\n"]
        for d in details:
            out.append(_comment(d))
        self.stream.write("".join(out))
        self.stream.flush()
        if not ok and not (directive or "").startswith("TODO"):
            self.failed += 1

    def _format(self, err, test):
        # unittest's own formatter leaves out the frames of unittest itself
        return self._exc_info_to_string(err, test).rstrip("\n")

    # -- the test's life cycle -----------------------------------------------

    def startTest(self, test):
        super().startTest(test)
        self._current = test
        self._state = {"ok": True, "directive": None, "details": []}

    def stopTest(self, test):
        super().stopTest(test)
        if self._current is test and self._state is not None:
            s = self._state
            if _interrupted:
                s["ok"] = False
                s["details"].append("interrupted by signal %d" % _interrupted[0])
            self._emit(s["ok"], _test_name(test), s["directive"], s["details"])
        self._current = None
        self._state = None

    def _outside(self, test):
        """True for errors not inside a started test (class/module fixtures)."""
        return self._current is None or test is not self._current

    def addSuccess(self, test):
        super().addSuccess(test)

    def addError(self, test, err):
        super().addError(test, err)
        self._bad(test, "error", err)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._bad(test, "failure", err)

    def _bad(self, test, kind, err):
        text = self._format(err, test)
        if self._outside(test):
            self._emit(False, _test_name(test), None, ["%s in a fixture:" % kind, text])
            return
        self._state["ok"] = False
        self._state["details"].append(text)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        if self._outside(test):
            self._emit(True, _test_name(test), "SKIP " + _escape(reason))
            return
        self._state["directive"] = "SKIP " + _escape(reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._state["ok"] = False
        self._state["directive"] = "TODO expected failure"
        self._state["details"].append(self._format(err, test))

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        # "ok ... # TODO" is an XPASS, which tap-driver counts as a failure.
        self._state["directive"] = "TODO unexpected success"

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is None:
            return
        if issubclass(err[0], unittest.SkipTest):
            return
        self._state["ok"] = False
        self._state["details"].append(
            "subtest %s:\n%s" % (subtest._subDescription(), self._format(err, test)))


def _select(suite, patterns):
    """A suite holding only the tests whose name contains one of patterns."""
    if not patterns:
        return suite
    out = unittest.TestSuite()
    for t in _iter_tests(suite):
        if any(p in _test_name(t) for p in patterns):
            out.addTest(t)
    return out


def _iter_tests(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from _iter_tests(t)
        else:
            yield t


def _classes(suite):
    """The TestCase classes of suite, in order (taken before the run: a suite
    drops its tests as it runs them)."""
    out = []
    for t in _iter_tests(suite):
        if t is not None and type(t) not in out:
            out.append(type(t))
    return out


def _class_cleanups(classes):
    """Run the class and module cleanups of classes (after an interrupt, so
    that stacks registered with addClassCleanup stop)."""
    for cls in classes:
        try:
            cls.doClassCleanups()
        except Exception:  # noqa: BLE001 - best effort while bailing out
            traceback.print_exc()
    try:
        unittest.case.doModuleCleanups()
    except Exception:  # noqa: BLE001
        traceback.print_exc()


_interrupted = []


def _on_signal(signum, frame):
    _interrupted.append(signum)
    raise KeyboardInterrupt("signal %d" % signum)


def main(module="__main__", argv=None):
    """Run the tests of module (default: the __main__ module) and print TAP.

    Never returns: exits with the status documented at the top of this file.
    """
    if argv is None:
        argv = sys.argv[1:]
    if isinstance(module, str):
        module = sys.modules[module]

    # Keep the real stdout for TAP only; everything else that writes to
    # fd 1 (print, subprocesses) goes to stderr from here on.
    sys.stdout.flush()
    tap = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8", errors="replace")
    os.dup2(2, 1)
    faulthandler.enable(file=sys.stderr)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    tap.write("TAP version 13\n")
    result = TapResult(tap)
    classes = []
    status = 0
    try:
        loader = unittest.TestLoader()
        suite = _select(loader.loadTestsFromModule(module), argv)
        classes = _classes(suite)
        for err in getattr(loader, "errors", []):
            result._emit(False, "loading tests", None, [err])
        if suite.countTestCases() == 0 and result.count == 0:
            result._emit(False, "no tests found in %s%s" % (
                getattr(module, "__file__", module),
                (" matching " + " ".join(argv)) if argv else ""))
        else:
            suite.run(result)
    except KeyboardInterrupt as e:
        tap.write("Bail out! interrupted (%s)\n" % (e or "SIGINT"))
        tap.flush()
        _class_cleanups(classes)
        os._exit(130)
    except BaseException:  # noqa: BLE001 - the runner itself broke
        traceback.print_exc()
        tap.write("Bail out! the TAP runner failed: %s\n" % _escape(sys.exc_info()[1]))
        tap.flush()
        _class_cleanups(classes)
        os._exit(2)

    tap.write("1..%d\n" % result.count)
    tap.flush()
    if result.failed and os.environ.get("TAP_EXIT_FAILURE") == "1":
        status = 1
    sys.stderr.flush()
    sys.exit(status)
