"""Signing in at /me through the real handlers, with a cookie jar as a browser keeps one."""

from __future__ import annotations

import re
from urllib.parse import urlencode

SIGNIN_LINK = re.compile(r"https://intros\.example\.org/me/signin/[A-Za-z0-9_\-]+")
SAME_SITE = {"sec-fetch-site": "same-origin"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


class Browser:
    def __init__(self, world, source_ip: str = "198.51.100.7"):
        self.world, self.source_ip, self.cookie = world, source_ip, None

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None):
        sent = {**SAME_SITE, **(headers or {})}
        if self.cookie:
            sent["cookie"] = self.cookie
        body = b""
        if data is not None:
            sent.update(FORM)
            body = urlencode(data).encode()
        path, _, query = path.partition("?")
        answer = self.world.gateway.request(
            method, path, query=query, headers=sent, body=body, source_ip=self.source_ip
        )
        if "set-cookie" in answer.headers:
            pair = answer.headers["set-cookie"].split(";", 1)[0]
            self.cookie = None if pair.endswith("=") else pair
        return answer

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, data: dict | None = None, **kwargs):
        return self.request("POST", path, data or {}, **kwargs)

    def csrf(self, path: str = "/me") -> str:
        return re.search(r'name="csrf" value="([^"]+)"', self.get(path).text).group(1)

    def sign_in(self, email: str):
        self.post("/me", {"email": email})
        self.world.deliver()  # the notifier mails the link, off the request's path
        link = signin_links(self.world, email)[-1]
        return self.post(link.removeprefix("https://intros.example.org"))


def signin_links(world, email: str) -> list[str]:
    return [u for m in world.mail_to(email) for u in SIGNIN_LINK.findall(m["text"])]
