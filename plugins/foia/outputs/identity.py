"""The publishing body, configured once under ``extra: body:`` in mkdocs.yml: its name,
short name, logo, colours, contact details and footer links. The header, footer and legal
pages read it through the templates; the feed, the data package and each decision's
JSON-LD read it here. A value of the wrong shape is an error naming its key."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
OGL_NAME = "OGL-UK-3.0"
OGL_TITLE = "Open Government Licence v3.0"
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


class IdentityError(ValueError):
    """A value under extra.body has the wrong shape; the message names the key."""


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Identity:
    name: str
    short_name: str
    url: str | None = None  # the body's own website
    logo: str | None = None  # site path of the logo image
    logo_alt: str = ""
    primary_colour: str | None = None  # "#rrggbb": header, links and buttons
    accent_colour: str | None = None
    email: str | None = None
    address: tuple[str, ...] = ()
    phone: str | None = None
    links: tuple[Link, ...] = field(default_factory=tuple)  # extra footer links

    @property
    def licence_url(self) -> str:
        return OGL_URL

    @property
    def licence_title(self) -> str:
        return OGL_TITLE

    def organisation(self) -> dict[str, Any]:
        """schema.org GovernmentOrganization of the body."""
        org: dict[str, Any] = {"@type": "GovernmentOrganization", "name": self.name}
        if self.short_name != self.name:
            org["alternateName"] = self.short_name
        if self.url:
            org["url"] = self.url
        if self.email:
            org["email"] = self.email
        return org


def _text(body: Mapping[str, Any], key: str, *, required: bool = False, where: str = "extra.body") -> str | None:
    value = body.get(key)
    if value is None or value == "":
        if required:
            raise IdentityError(f"{where}.{key} is required")
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise IdentityError(f"{where}.{key} must be text, got {type(value).__name__}")
    return str(value).strip()


def from_extra(extra: Mapping[str, Any] | None, site_name: str = "Decisions") -> Identity:
    """The body from a config's ``extra`` mapping; without one, the site name stands in."""
    body = (extra or {}).get("body")
    if body is None:
        return Identity(name=site_name, short_name=site_name)
    if not isinstance(body, Mapping):
        raise IdentityError("extra.body must be a mapping of the body's name, logo, colours and contact details")
    known = {"name", "short_name", "url", "logo", "logo_alt", "colours", "contact", "links"}
    if unknown := sorted(set(body) - known):
        raise IdentityError(f"extra.body.{unknown[0]} is not a known key (known: {', '.join(sorted(known))})")
    name = _text(body, "name", required=True)
    assert name is not None
    colours = body.get("colours") or {}
    contact = body.get("contact") or {}
    if not isinstance(colours, Mapping):
        raise IdentityError("extra.body.colours must be a mapping (primary, accent)")
    if not isinstance(contact, Mapping):
        raise IdentityError("extra.body.contact must be a mapping (email, address, phone)")
    for key in ("primary", "accent"):
        value = colours.get(key)
        if value is not None and not (isinstance(value, str) and _COLOUR.match(value)):
            raise IdentityError(f"extra.body.colours.{key} must be a colour written #rrggbb, got {value!r}")
    address = contact.get("address") or ()
    if not address:
        address = ()
    elif isinstance(address, str):
        address = tuple(line.strip() for line in address.split(",") if line.strip())
    elif isinstance(address, list) and all(isinstance(line, str) for line in address):
        address = tuple(address)
    else:
        raise IdentityError("extra.body.contact.address must be text or a list of lines")
    links = []
    for i, item in enumerate(body.get("links") or []):
        if not (isinstance(item, Mapping) and isinstance(item.get("title"), str) and isinstance(item.get("url"), str)):
            raise IdentityError(f"extra.body.links[{i}] must have a title and a url")
        links.append(Link(item["title"], item["url"]))
    return Identity(
        name=name,
        short_name=_text(body, "short_name") or name,
        url=_text(body, "url"),
        logo=_text(body, "logo"),
        logo_alt=_text(body, "logo_alt") or "",
        primary_colour=colours.get("primary"),
        accent_colour=colours.get("accent"),
        email=_text(contact, "email", where="extra.body.contact"),
        address=address,
        phone=_text(contact, "phone", where="extra.body.contact"),
        links=tuple(links),
    )
