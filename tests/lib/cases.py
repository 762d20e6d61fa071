"""cases.py -- notifications and alerts through the generic pages, for the end-to-end suites:
start a case of a definition, fire its transitions with their inputs (repeated fields for
countries and authorities, a file when asked), read its page model, and count what the database
holds of it (so that a refused firing can be shown to have written nothing)."""

import re


def csrf(b):
    return b.get("/").html().csrf()


def start(b, definition):
    """Starts a case of the newest version of definition as b's user; its instance id."""
    r = b.post(f"/workflows/{definition}/start", {"csrf": csrf(b)})
    assert r.status == 303, (r.status, r.text[-800:])
    return int(re.fullmatch(r"/instances/(\d+)", r.location_path).group(1))


def model(b, iid, query=""):
    """The page model of /instances/ID (?format=xml), or None when b may not see it."""
    r = b.get_xml(f"/instances/{iid}{query}")
    return r.xml() if r.status == 200 else None


def rev(b, iid):
    m = model(b, iid)
    return m.find("instance").get("rev") if m is not None else "0"


def events(b, iid):
    m = model(b, iid)
    t = m.find("transitions") if m is not None else None
    return {x.get("event") for x in t} if t is not None else set()


def fire(b, iid, event, fields=(), file=None, revision=None):
    """POSTs the transition with fields (a list of (name, value), names repeated for several
    values); file = (input name, file name, bytes), or a list of them, sends them as
    multipart.  The response."""
    parts = [("csrf", csrf(b)), ("rev", revision or rev(b, iid)), ("next", f"/instances/{iid}")]
    parts += list(fields)
    path = f"/instances/{iid}/fire/{event}"
    if file is None:
        return b.post(path, parts)
    boundary = "----imiflowcases"
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                    .encode() for k, v in parts)
    for name, filename, content in [file] if isinstance(file, tuple) else file:
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                 f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n').encode()
        body += content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return b.post_raw(path, body, content_type=f"multipart/form-data; boundary={boundary}")


def footprint(stack, iid):
    """What the database holds of a case: history rows, participants (and their states), form
    versions, comments (and withdrawals), the state and revision."""
    return stack.psql(
        "SELECT (SELECT count(*) FROM wf_history WHERE instance_id = $1),"
        " (SELECT string_agg(role || ':' || authority_id || ':' || state, ',' ORDER BY role,"
        "   authority_id) FROM wf_participants WHERE instance_id = $1),"
        " (SELECT count(*) FROM wf_form_versions WHERE instance_id = $1),"
        " (SELECT count(*) || '/' || count(withdrawn_seq) FROM wf_comments WHERE instance_id = $1),"
        " i.state, i.rev FROM wf_instances i WHERE i.id = $1", iid)[0]


def participants(stack, iid, role):
    """{authority id: participant state} of the role."""
    return {int(a): s for a, s in stack.psql(
        "SELECT authority_id, state FROM wf_participants WHERE instance_id = $1 AND role = $2",
        iid, role)}


def state(stack, iid):
    return stack.psql("SELECT state FROM wf_instances WHERE id = $1", iid)[0][0]
