"""Reader comments on the web: the form on every guide page (honeypot, issue time, CSRF,
limits), the advice for a warning sign, the API, the JSON twin and the Atom feed, and the
moderators' pages behind a sign-in."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from upperback import KnowledgeBase
from upperback.store import Store
from upperback.store.comments import (
    add_comment,
    comment,
    comments,
    set_moderator,
    set_status,
)
from upperback.web import WebSettings, create_app
from upperback.web import comments_views as views

from .flows import csrf_token

PAGE = "/causes/poor_posture"
PASSWORD = "correct horse battery"
EMERGENCY_TEXT = "I have chest pain right now"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """No wait between showing a form and sending it (the wait has tests of its own)."""
    monkeypatch.setattr(views, "MIN_SECONDS", 0.0)


@pytest.fixture
def store(settings: WebSettings, client: TestClient) -> Iterator[Store]:
    """The app's database, opened beside it (after the app has made it)."""
    client.get("/")
    opened = Store.open(settings.db_url)
    yield opened
    opened.close()


def form_fields(html: str) -> dict[str, str]:
    """The hidden fields of a page's comment form."""
    form = html[html.index('id="comment-form"'):]
    return {name: re.search(rf'name="{name}" value="([^"]*)"', form).group(1)  # type: ignore[union-attr]
            for name in ("csrf_token", "page", "issued")}


def post(client: TestClient, on: str = PAGE, **fields: str) -> Response:
    """Send the comment form of a guide page as a browser does."""
    data = form_fields(client.get(on).text) | {"name": "Sam", "text": "Heat helped.",
                                                 "website": ""} | fields
    return client.post("/comments", data=data)


def approve_all(store: Store) -> None:
    for item in comments(store, pending_only=True):
        set_status(store, item.id, "approved")


# -- the form on every guide page ------------------------------------------------------------


def guide_pages(kb: KnowledgeBase) -> list[str]:
    return ["/", PAGE, f"/relief/{next(iter(kb.relief))}"]


@pytest.mark.parametrize("which", range(3))
def test_every_kind_of_guide_page_ends_with_the_comments_and_their_form(
    client: TestClient, kb: KnowledgeBase, which: int
) -> None:
    page = guide_pages(kb)[which]
    html = client.get(page).text
    assert html.index('id="comments"') > html.index("Sources")
    fields = form_fields(html)
    assert fields["page"] == page and fields["csrf_token"] and fields["issued"]
    assert "Please enter your comment" in html and "Please enter your name here" in html
    assert 'name="website"' in html and "Leave this empty" in html
    assert "No comments yet." in html


def test_the_honeypot_is_hidden_by_the_stylesheet_not_by_inline_style(client: TestClient
                                                                      ) -> None:
    html = client.get("/").text
    assert 'class="comment-trap"' in html and "style=" not in html
    css = client.get(re.search(r'href="(/static/app\.css\?v=[^"]+)"', html).group(1)).text  # type: ignore[union-attr]
    assert ".comment-trap { display: none; }" in css
    assert "white-space: pre-line" in css


def test_a_comment_sent_at_once_is_sent_back_with_its_text_kept(client: TestClient) -> None:
    response = post(client, name="Sam", text="Heat helped <b>me</b>")
    assert response.status_code == 422
    assert "That was very quick" in response.text
    assert "Heat helped &lt;b&gt;me&lt;/b&gt;</textarea>" in response.text
    assert 'value="Sam"' in response.text


def test_a_comment_sent_after_a_few_seconds_is_taken(client: TestClient, store: Store,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    fields = form_fields(client.get(PAGE).text)
    real = time.time
    monkeypatch.setattr(views, "clock", lambda: real() + views.MIN_SECONDS + 0.5)
    response = client.post("/comments", data=fields | {"name": "Sam", "text": "Hi"})
    assert response.status_code == 200
    assert len(comments(store)) == 1


@pytest.mark.usefixtures("later")
def test_a_comment_waits_for_a_moderator_and_is_not_shown_until_then(
    client: TestClient, store: Store
) -> None:
    response = post(client, text="Heat helped.\nA short walk too.")
    assert response.status_code == 200
    assert "Thank you for your comment" in response.text
    assert "A moderator will read your comment before it is shown on its page." in response.text
    [kept] = comments(store)
    assert (kept.page, kept.name, kept.text, kept.status) == (
        PAGE, "Sam", "Heat helped.\nA short walk too.", "pending")
    assert "Heat helped." not in client.get(PAGE).text
    approve_all(store)
    html = client.get(PAGE).text
    assert f'id="comment-{kept.id}"' in html
    assert '<p class="comment-text">Heat helped.\nA short walk too.</p>' in html


@pytest.mark.usefixtures("later")
def test_a_filled_honeypot_looks_like_success_but_nothing_is_kept(
    client: TestClient, store: Store
) -> None:
    trapped = post(client, website="http://spam.example")
    sent = post(client)
    assert trapped.status_code == sent.status_code == 200
    assert _page_text(trapped.text) == _page_text(sent.text)
    assert len(comments(store)) == 1


def _page_text(html: str) -> str:
    return re.sub(r'value="[^"]*"', "", html)


@pytest.mark.usefixtures("later")
def test_a_form_without_its_csrf_token_is_refused_and_nothing_kept(
    client: TestClient, store: Store
) -> None:
    response = post(client, csrf_token="forged")
    assert response.status_code == 403
    assert comments(store) == []


@pytest.mark.usefixtures("later")
@pytest.mark.parametrize(("issued", "said"), [
    ("", "out of date"), ("forged.token", "out of date"), ("other-page", "out of date")])
def test_a_form_whose_issue_time_is_missing_forged_or_for_another_page_is_sent_back(
    client: TestClient, store: Store, issued: str, said: str
) -> None:
    if issued == "other-page":
        issued = form_fields(client.get("/").text)["issued"]
    response = post(client, issued=issued)
    assert response.status_code == 422
    assert said in response.text
    assert comments(store) == []


def test_a_form_left_open_too_long_is_sent_back(client: TestClient,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    fields = form_fields(client.get(PAGE).text)
    real = time.time
    monkeypatch.setattr(views, "clock", lambda: real() + views.FORM_LIFETIME + 60)
    response = client.post("/comments", data=fields | {"name": "Sam", "text": "Hi"})
    assert response.status_code == 422 and "out of date" in response.text


@pytest.mark.usefixtures("later")
@pytest.mark.parametrize(("fields", "field", "said"), [
    ({"name": ""}, "name", "Please enter your name."),
    ({"name": "n" * 81}, "name", "Your name is 81 characters long. The most is 80."),
    ({"text": "   "}, "text", "Please enter your comment."),
    ({"text": "t" * 2001}, "text", "Your comment is 2001 characters long. The most is 2000."),
    ({"text": "bell \x07"}, "text", "text holds a control character."),
])
def test_a_bad_name_or_comment_shows_the_form_again_with_the_field_marked(
    client: TestClient, store: Store, fields: dict[str, str], field: str, said: str
) -> None:
    response = post(client, **fields)
    assert response.status_code == 422
    assert said in response.text
    assert f'id="comment-{field}" name="{field}"' in response.text
    marked = re.search(rf'<(?:input|textarea)[^>]*id="comment-{field}"[^>]*>', response.text)
    assert marked is not None and 'aria-invalid="true"' in marked.group(0)
    assert comments(store) == []


@pytest.mark.usefixtures("later")
def test_line_breaks_typed_in_the_form_count_as_one_character(
    client: TestClient, store: Store
) -> None:
    text = ("x" * 99 + "\r\n") * 20  # 2,000 characters as typed, 2,020 as the browser sends
    assert post(client, text=text).status_code == 200
    assert len(comments(store)[0].text) == 1999  # trimmed at the end


@pytest.mark.usefixtures("later")
def test_a_comment_for_a_page_that_is_not_in_the_guide_is_refused(
    client: TestClient, store: Store
) -> None:
    response = post(client, page="/diary")
    assert response.status_code == 404
    assert "no such page in the guide" in response.text
    assert comments(store) == []


def test_an_approved_comment_s_markup_is_shown_as_text(client: TestClient, store: Store
                                                       ) -> None:
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    set_status(store, add_comment(store, PAGE, "<b>Eve</b>", payload).id, "approved")
    html = client.get(PAGE).text
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in html


def test_a_database_that_cannot_be_opened_leaves_the_guide_page_working(tmp_path: Any
                                                                        ) -> None:
    (tmp_path / "not-a-db").write_text("this is not a database")
    app = create_app(WebSettings(db_url=f"sqlite:///{tmp_path / 'not-a-db'}",
                                 secret_key="k", testing=True))
    with TestClient(app) as broken:
        response = broken.get(PAGE)
    assert response.status_code == 200
    assert "The comments cannot be shown right now." in response.text


# -- the advice for a warning sign ----------------------------------------------------------


@pytest.mark.usefixtures("later")
def test_a_comment_that_describes_an_emergency_shows_how_to_get_help_at_once(
    client: TestClient, store: Store, kb: KnowledgeBase
) -> None:
    response = post(client, text=EMERGENCY_TEXT)
    assert response.status_code == 200
    html = response.text
    emergency = kb.guide.levels["emergency"]
    assert "<title>Get help now" in html
    assert html.index(emergency.headline) < html.index("Thank you for your comment")
    for phone in kb.guide.phone_numbers.emergency:
        assert f'href="tel:{phone.number}"' in html
    assert comments(store)[0].held_for == "warning_sign"


@pytest.mark.usefixtures("later")
def test_an_urgent_sign_shows_the_urgent_advice(client: TestClient, kb: KnowledgeBase) -> None:
    html = post(client, text="I have a fever and my back hurts").text
    assert kb.guide.levels["urgent"].headline in html
    assert 'href="tel:' not in html
    assert 'href="/check"' in html


def test_the_advice_is_shown_even_when_the_form_is_sent_back(client: TestClient,
                                                             kb: KnowledgeBase) -> None:
    response = post(client, text=EMERGENCY_TEXT)  # too quick: sent back
    assert response.status_code == 422
    assert kb.guide.levels["emergency"].headline in response.text
    assert 'href="tel:911"' in response.text


@pytest.mark.usefixtures("later")
def test_a_comment_with_contact_details_warns_its_author_and_is_held(
    client: TestClient, store: Store
) -> None:
    html = post(client, text="Email me at sam@example.com").text
    assert "has an e-mail address or a phone number in it" in html
    assert comments(store)[0].held_for == "contact_details"


# -- limits ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("later")
def test_a_sixth_comment_in_ten_minutes_is_refused_with_retry_after(
    client: TestClient, store: Store
) -> None:
    for n in range(views.COMMENT_LIMIT):
        assert post(client, text=f"comment {n}").status_code == 200
    refused = post(client, text="one more")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= views.COMMENT_WINDOW
    assert "one more</textarea>" in refused.text and "Nothing was saved." in refused.text
    assert len(comments(store)) == views.COMMENT_LIMIT


@pytest.mark.usefixtures("later")
def test_the_form_and_the_api_count_together(client: TestClient) -> None:
    for n in range(views.COMMENT_LIMIT - 1):
        assert post(client, text=f"comment {n}").status_code == 200
    assert api_post(client).status_code == 202
    refused = api_post(client)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_comments"
    assert "Retry-After" in refused.headers


@pytest.mark.usefixtures("later")
def test_the_comment_cap_holds_even_on_a_server_without_write_caps(tmp_path: Any) -> None:
    settings = WebSettings(db_url=f"sqlite:///{tmp_path / 'd.db'}", secret_key="k",
                           testing=True, writes_per_minute=None, diary_writes_per_minute=None)
    with TestClient(create_app(settings)) as free:
        codes = [api_post(free).status_code for _ in range(views.COMMENT_LIMIT + 1)]
    assert codes == [202] * views.COMMENT_LIMIT + [429]


# -- the API --------------------------------------------------------------------------------


def api_post(client: TestClient, **fields: Any) -> Response:
    return client.post("/api/v1/comments",
                       json={"page": PAGE, "name": "Sam", "text": "Heat helped."} | fields)


def test_the_api_takes_a_comment_for_moderation(client: TestClient, store: Store) -> None:
    response = api_post(client)
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending" and body["guidance"] is None and body["warnings"] == []
    assert comment(store, body["id"]) is not None
    assert client.get("/api/v1/comments", params={"page": PAGE}).json() == []


def test_the_api_gives_the_emergency_advice_in_its_answer(client: TestClient,
                                                          kb: KnowledgeBase) -> None:
    body = api_post(client, text=EMERGENCY_TEXT).json()
    emergency = kb.guide.levels["emergency"]
    assert body["guidance"]["triage"] == "emergency"
    assert body["guidance"]["headline"] == emergency.headline
    assert body["guidance"]["emergency_steps"] == list(emergency.steps)


def test_the_api_warns_about_a_phone_number(client: TestClient, store: Store) -> None:
    body = api_post(client, text="call me on 07700 900123").json()
    assert [w["code"] for w in body["warnings"]] == ["contact_details"]
    found = comment(store, body["id"])
    assert found is not None and found.held_for == "contact_details"


@pytest.mark.parametrize(("fields", "field"), [
    ({"page": "/diary"}, "page"), ({"page": "/causes/nope"}, "page"),
    ({"name": ""}, "name"), ({"text": "x" * 2001}, "text"), ({"name": "n" * 81}, "name"),
])
def test_the_api_refuses_a_bad_field_naming_it_and_what_is_allowed(
    client: TestClient, fields: dict[str, str], field: str
) -> None:
    response = api_post(client, **fields)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == field and error["allowed"]
    assert set(error) == {"code", "message", "field", "allowed"}


@pytest.mark.parametrize("body", [{"page": PAGE, "name": "Sam"},
                                  {"page": PAGE, "name": 3, "text": "x"},
                                  {"page": PAGE, "name": "Sam", "text": "x", "extra": 1}])
def test_the_api_refuses_a_body_of_the_wrong_shape_in_its_error_shape(
    client: TestClient, body: dict[str, Any]
) -> None:
    response = client.post("/api/v1/comments", json=body)
    assert response.status_code == 422
    assert set(response.json()["error"]) == {"code", "message", "field", "allowed"}


def test_the_api_lists_only_the_approved_comments_of_a_page(client: TestClient,
                                                           store: Store) -> None:
    shown = add_comment(store, PAGE, "Sam", "shown")
    add_comment(store, PAGE, "Bob", "waiting")
    set_status(store, add_comment(store, "/", "Cy", "elsewhere").id, "approved")
    set_status(store, shown.id, "approved")
    listed = client.get("/api/v1/comments", params={"page": PAGE}).json()
    assert [(c["id"], c["name"], c["text"]) for c in listed] == [(shown.id, "Sam", "shown")]
    assert set(listed[0]) == {"id", "page", "name", "text", "created"}


def test_the_api_list_refuses_a_page_that_is_not_in_the_guide(client: TestClient) -> None:
    response = client.get("/api/v1/comments", params={"page": "/diary"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "page"


def test_the_openapi_document_has_the_comments_and_their_pages(client: TestClient,
                                                               kb: KnowledgeBase) -> None:
    document = client.get("/api/v1/openapi.json").json()
    post_op = document["paths"]["/api/v1/comments"]["post"]
    assert "202" in post_op["responses"] and "429" in post_op["responses"]
    schemas = document["components"]["schemas"]
    assert set(schemas["CommentIn"]["properties"]["page"]["enum"]) == (
        {"/"} | {f"/causes/{c}" for c in kb.causes} | {f"/relief/{m}" for m in kb.relief})
    assert schemas["CommentIn"]["properties"]["name"]["maxLength"] == 80
    assert schemas["CommentIn"]["properties"]["text"]["maxLength"] == 2000
    assert {"CommentAcceptedOut", "CommentOut", "GuidanceOut"} <= set(schemas)
    assert "/moderate" not in document["paths"] and "/comments" not in document["paths"]


# -- the list page, its JSON twin and the feed -------------------------------------------------


def test_a_page_s_comment_list_has_a_json_twin(client: TestClient, store: Store) -> None:
    set_status(store, add_comment(store, PAGE, "Sam", "Heat\nhelped").id, "approved")
    html = client.get("/comments", params={"page": PAGE}).text
    assert '<link rel="alternate" type="application/json" href="/comments.json?page=' in html
    assert "Heat\nhelped" in html and 'id="comment-form"' in html
    twin = client.get("/comments.json", params={"page": PAGE}).json()
    assert [(c["name"], c["text"]) for c in twin] == [("Sam", "Heat\nhelped")]
    assert twin == client.get("/api/v1/comments", params={"page": PAGE}).json()


@pytest.mark.parametrize("path", ["/comments?page=/diary", "/comments", "/comments.atom?page=x"])
def test_a_list_of_a_page_not_in_the_guide_is_not_found(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_json_twin_refuses_a_page_not_in_the_guide_as_json(client: TestClient) -> None:
    response = client.get("/comments.json", params={"page": "/diary"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "page"


def test_the_feed_is_valid_atom_of_the_approved_comments_only(client: TestClient,
                                                             store: Store) -> None:
    shown = add_comment(store, PAGE, "Sam <s>", "Heat & rest\nhelped \ufffe")
    set_status(store, shown.id, "approved")
    add_comment(store, PAGE, "Bob", "waiting")
    response = client.get("/comments.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Sam <s>"
    assert entry.findtext(f"{ATOM}content") == "Heat & rest\nhelped "
    assert entry.findtext(f"{ATOM}id", "").startswith("urn:uuid:")
    link = entry.find(f"{ATOM}link")
    assert link is not None and link.get("href") == f"http://testserver{PAGE}#comment-{shown.id}"
    assert "waiting" not in response.text and "Bob" not in response.text
    # Nothing about anyone beyond what they made public.
    assert "pending" not in response.text and "held" not in response.text


def test_a_page_s_feed_has_only_that_page(client: TestClient, store: Store) -> None:
    for page in (PAGE, "/"):
        set_status(store, add_comment(store, page, "Sam", f"on {page}").id, "approved")
    answer = client.get("/comments.atom", params={"page": "/", "utm": "x"})
    feed = ElementTree.fromstring(answer.content)
    assert [e.findtext(f"{ATOM}content") for e in feed.findall(f"{ATOM}entry")] == ["on /"]
    assert feed.findtext(f"{ATOM}id") == "http://testserver/comments.atom?page=%2F"


def test_an_empty_feed_is_still_valid_atom(client: TestClient) -> None:
    feed = ElementTree.fromstring(client.get("/comments.atom").content)
    assert feed.findall(f"{ATOM}entry") == [] and feed.findtext(f"{ATOM}updated")


# -- moderation -----------------------------------------------------------------------------


@pytest.fixture
def moderator(store: Store) -> str:
    set_moderator(store, "sam", PASSWORD)
    return "sam"


def sign_in(client: TestClient, name: str = "sam", password: str = PASSWORD) -> Response:
    token = csrf_token(client.get("/moderate/login").text)
    return client.post("/moderate/login", data={"csrf_token": token, "name": name,
                                                "password": password}, follow_redirects=False)


def test_the_moderation_page_asks_a_stranger_to_sign_in(client: TestClient) -> None:
    response = client.get("/moderate", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/moderate/login")


@pytest.mark.usefixtures("moderator")
@pytest.mark.parametrize(("name", "password"), [("sam", "wrong password"),
                                                ("nobody", PASSWORD)])
def test_a_wrong_name_or_password_is_refused_alike(client: TestClient, name: str,
                                                   password: str) -> None:
    response = sign_in(client, name, password)
    assert response.status_code == 422
    assert "The name or the password is not right." in response.text
    assert "upperback_moderator" not in response.headers.get("set-cookie", "")


@pytest.mark.usefixtures("moderator")
def test_signing_in_sets_a_strict_http_only_session_cookie(client: TestClient) -> None:
    response = sign_in(client)
    assert (response.status_code, response.headers["location"]) == (303, "/moderate")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("upperback_moderator=")
    for part in ("HttpOnly", "SameSite=strict", "Path=/moderate", "Max-Age=43200"):
        assert part.lower() in cookie.lower()
    assert "secure" not in cookie.lower()  # plain http: a Secure cookie would never return


@pytest.mark.usefixtures("moderator")
def test_over_https_the_session_cookie_is_secure(app: Any) -> None:
    with TestClient(app, base_url="https://testserver") as secure:
        assert "secure" in sign_in(secure).headers["set-cookie"].lower()


@pytest.mark.usefixtures("moderator")
def test_the_database_keeps_only_a_hash_of_the_session_token(client: TestClient,
                                                             store: Store) -> None:
    sign_in(client)
    token = client.cookies["upperback_moderator"]
    with store.reading() as session:
        from sqlalchemy import text

        kept = [row[0] for row in session.execute(text("SELECT token_hash FROM "
                                                       "moderator_sessions"))]
    assert len(kept) == 1 and token not in kept[0] and len(kept[0]) == 64


@pytest.mark.usefixtures("moderator")
def test_a_moderator_sees_the_waiting_comments_and_why_they_were_held(
    client: TestClient, store: Store
) -> None:
    add_comment(store, PAGE, "Ann", "chest pain", "warning_sign")
    add_comment(store, "/", "Bob", "<b>call me</b>", "contact_details")
    sign_in(client)
    html = client.get("/moderate").text
    assert "Signed in as <strong>sam</strong>" in html
    assert "It describes a warning sign." in html
    assert "It has an e-mail address or a phone number in it." in html
    assert "&lt;b&gt;call me&lt;/b&gt;" in html
    assert html.count('action="/moderate/comments/') == 6
    assert html.count('name="csrf_token"') == 7  # the six buttons and signing out


@pytest.mark.usefixtures("moderator")
@pytest.mark.parametrize(("action", "status"), [("approve", "approved"),
                                                ("reject", "rejected"), ("delete", None)])
def test_each_button_approves_rejects_or_deletes(client: TestClient, store: Store,
                                                 action: str, status: str | None) -> None:
    waiting = add_comment(store, PAGE, "Ann", "Heat helped.")
    sign_in(client)
    token = csrf_token(client.get("/moderate").text)
    response = client.post(f"/moderate/comments/{waiting.id}/{action}",
                           data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    found = comment(store, waiting.id)
    assert (found.status if found else None) == status
    shown_on_page = "Heat helped." in client.get(PAGE).text
    assert shown_on_page == (status == "approved")


@pytest.mark.usefixtures("moderator")
def test_a_button_without_the_csrf_token_changes_nothing(client: TestClient,
                                                         store: Store) -> None:
    waiting = add_comment(store, PAGE, "Ann", "Heat helped.")
    sign_in(client)
    response = client.post(f"/moderate/comments/{waiting.id}/approve", data={})
    assert response.status_code == 403
    assert comment(store, waiting.id).status == "pending"  # type: ignore[union-attr]


def test_a_stranger_s_button_press_changes_nothing(client: TestClient, store: Store) -> None:
    waiting = add_comment(store, PAGE, "Ann", "Heat helped.")
    token = csrf_token(client.get("/moderate/login").text)
    response = client.post(f"/moderate/comments/{waiting.id}/approve",
                           data={"csrf_token": token}, follow_redirects=False)
    assert response.headers["location"] == "/moderate/login"
    assert comment(store, waiting.id).status == "pending"  # type: ignore[union-attr]


@pytest.mark.usefixtures("moderator")
@pytest.mark.parametrize("path", ["/moderate/comments/" + "0" * 32 + "/approve",
                                  "/moderate/comments/nope/delete",
                                  "/moderate/comments/" + "0" * 32 + "/publish"])
def test_an_unknown_comment_or_action_is_not_found(client: TestClient, path: str) -> None:
    sign_in(client)
    token = csrf_token(client.get("/moderate").text)
    assert client.post(path, data={"csrf_token": token}).status_code == 404


@pytest.mark.usefixtures("moderator")
def test_signing_out_ends_the_session_for_good(client: TestClient) -> None:
    sign_in(client)
    token = client.cookies["upperback_moderator"]
    form = csrf_token(client.get("/moderate").text)
    response = client.post("/moderate/logout", data={"csrf_token": form},
                           follow_redirects=False)
    assert response.headers["location"] == "/moderate/login?out=1"
    client.cookies.set("upperback_moderator", token, path="/moderate")  # kept by an attacker
    assert client.get("/moderate", follow_redirects=False).status_code == 303


@pytest.mark.usefixtures("moderator")
def test_failed_sign_ins_are_slowed_with_retry_after(client: TestClient) -> None:
    for _ in range(views.LOGIN_LIMIT):
        assert sign_in(client, password="wrong password").status_code == 422
    refused = sign_in(client)  # even the right password waits
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many tries to sign in." in refused.text
