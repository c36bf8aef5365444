"""Calls to the service's HTTP API that tests arrange their cases with (signed test clients)."""

from __future__ import annotations

import threading

from tests.support.processes import run_threads
from tests.support.signed import SignedHttpClient

API = "/api/v1"


def create_opp(client, source_url="https://blog.example.org/post", **fields) -> dict:
    """POST an opportunity and return its JSON (asserting 201)."""
    r = client.post(f"{API}/opportunities", json={"source_url": source_url, **fields})
    assert r.status_code == 201, r.json
    return r.json


def create_template(
    client, name="Intro", subject="Hi {{domain}}", body="Hello,\n\nI saw {{url}}."
) -> dict:
    """POST a template and return its JSON (asserting 201)."""
    r = client.post(f"{API}/templates", json={"name": name, "subject": subject, "body": body})
    assert r.status_code == 201, r.json
    return r.json


def preview(client, subject: str, body: str, opportunity_id: int | None = None):
    """POST a draft to /templates/preview (filled from a card with `opportunity_id`)."""
    draft = {"subject": subject, "body": body}
    if opportunity_id is not None:
        draft["opportunity_id"] = opportunity_id
    return client.post(f"{API}/templates/preview", json=draft)


def make_sequence(client, template_ids, name="Drip", **step_extra) -> dict:
    """POST a sequence of one step per template and return its JSON (asserting 201)."""
    return sequence_of(client, [{"template_id": t, **step_extra} for t in template_ids], name)


def sequence_of(client, steps: list[dict], name="Drip") -> dict:
    """POST a sequence of these steps and return its JSON (asserting 201)."""
    r = client.post(f"{API}/sequences", json={"name": name, "steps": steps})
    assert r.status_code == 201, r.json
    return r.json


def enroll(client, opportunity_id, sequence_id, to="editor@blog.example.org"):
    """POST an enrollment; the response, whatever it is."""
    return client.post(
        f"{API}/opportunities/{opportunity_id}/sequence",
        json={"sequence_id": sequence_id, "to": to},
    )


def settings(client, **values) -> None:
    """PATCH the calling site's settings (asserting 200)."""
    r = client.patch(f"{API}/site", json=values)
    assert r.status_code == 200, r.json


def site_values(client, *names) -> tuple:
    """The site's settings of these names, in order (GET /site)."""
    site = client.get(f"{API}/site").json
    return tuple(site[name] for name in names)


def column_ids(client, status, q=None) -> list[int]:
    """Ids of one board column, in order."""
    r = client.get(f"{API}/board", query={"q": q} if q else None)
    assert r.status_code == 200, r.json
    return [c["id"] for c in r.json["columns"][status]]


def send(client, opp_id, to="editor@blog.example.org", **body):
    """POST a manual email (a literal subject and body unless a template is named)."""
    payload = {"to": to, **body}
    if "template_id" not in payload and "subject" not in payload:
        payload.update(subject="Hello {{domain}}", body="I liked {{url}}.")
    return client.post(f"{API}/opportunities/{opp_id}/emails", json=payload)


def sent_email(client, to="editor@blog.example.org", source_url=None, **fields) -> dict:
    """Create a card and send one email to it; return the email JSON."""
    opp = create_opp(client, source_url=source_url or f"https://{to.split('@')[1]}/p", **fields)
    r = send(client, opp["id"], to=to)
    assert r.status_code == 201, r.json
    return r.json


def email_json(client, email: dict) -> dict:
    """An email as its card's history shows it now."""
    history = client.get(f"{API}/opportunities/{email['opportunity_id']}/emails").json
    return next(e for e in history if e["id"] == email["id"])


def assert_error(response, code, message_part=None) -> dict:
    """The documented error shape with the expected status."""
    assert response.status_code == code, (response.status_code, response.get_data(as_text=True))
    body = response.get_json()
    assert body is not None, response.get_data(as_text=True)
    assert body["code"] == code
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    if message_part is not None:
        assert message_part.lower() in body["message"].lower(), body["message"]
    return body


def parallel_sends(base_url: str, site_key, jobs) -> list:
    """POST one email per (opportunity id, address) job from threads released together
    (real sockets, one signed client each); the responses in job order."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, opp_id, to):
        http = SignedHttpClient(base_url, site_key)
        barrier.wait()
        results[i] = http.post(
            f"{API}/opportunities/{opp_id}/emails",
            json={"to": to, "subject": "Hi", "body": "Hello {{url}}"},
        )

    run_threads(run, [(i, *job) for i, job in enumerate(jobs)])
    return results
