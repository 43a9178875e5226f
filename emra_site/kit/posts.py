"""The suggested post that goes with each card, and `kit/publicaciones.csv` for scheduling tools.

A post is the card's summary, the address of the page it promotes and the edition's hashtags
(`hashtags` in edition.yml), at most 280 characters as X counts them (the strictest of the networks
the plan names: any link counts as 23 characters, https://docs.x.com/fundamentals/counting-characters).
A summary that would make it longer is cut at a word boundary with «…», never in the middle of a
word, a link or a hashtag; `check` lists the posts it had to cut. Without the site's address (no
--site-url) the link's 23 characters are kept free, so `check` cuts exactly what the published build cuts.
"""

from __future__ import annotations

import csv
import io
import posixpath
from dataclasses import dataclass

from ..i18n import gettext
from ..layout import LAYOUT
from .cards import SIZES, Card

MAX_POST = 280
LINK_LENGTH = 23  # what X counts for any link (t.co)
ELLIPSIS = "…"


@dataclass(frozen=True)
class Post:
    """A card's post: its `text`, and the summary's length before cutting (`full`; equal when not cut)."""

    card: Card
    text: str
    full: int
    length: int  # as X counts it: the link as LINK_LENGTH characters

    @property
    def shortened(self) -> bool:
        return self.length < self.full


def post_for(card: Card, hashtags: tuple[str, ...], url: str | None) -> Post:
    """The post of `card`: summary, link (when the site's address is known) and hashtags, ≤ 280 characters."""
    tail = " ".join(x for x in (url, " ".join(hashtags)) if x)
    tail_length = 1 + LINK_LENGTH + (len(" ".join(hashtags)) + 1 if hashtags else 0)  # the link, known or not
    room = MAX_POST - tail_length
    summary = card.summary.strip()
    full = len(summary) + tail_length
    if len(summary) > room:
        cut = summary[: max(room - len(ELLIPSIS), 0)]
        if " " in cut and not summary[len(cut)].isspace():
            cut = cut[: cut.rindex(" ")]  # at a word boundary: never half a word
        summary = cut.rstrip(" ,;:.") + ELLIPSIS
    return Post(card, f"{summary} {tail}" if tail else summary, full, len(summary) + tail_length)


def card_file(card: Card, size: tuple[int, int]) -> str:
    """A card's PNG, relative to the kit folder (`layout.SiteLayout.card_file` names it)."""
    return posixpath.relpath(LAYOUT.card_file(card.id, size), LAYOUT.KIT_DIR)


COLUMNS = ("tarjeta", "tipo", "imagen_1200x630", "imagen_1080x1350", "texto_alternativo", "texto_publicacion",
           "caracteres", "acortado", "enlace")


def posts_csv(posts: list[Post], page_url) -> bytes:
    """`publicaciones.csv`: one row per card, `;`-separated, UTF-8 with BOM and CRLF, so Excel opens it
    as is (the project's downloads follow the same rule). `page_url(card)` gives the card's link or ''.

    The headers and the card kinds are names, the same in every language (like the data downloads');
    the texts and «acortado» (sí/no) are in the active language."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for post in posts:
        c = post.card
        writer.writerow((c.id, c.kind, card_file(c, SIZES[0]), card_file(c, SIZES[1]), c.alt, post.text,
                         post.length, gettext("sí") if post.shortened else gettext("no"), page_url(c)))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def shortened_lines(posts: list[Post]) -> list[str]:
    """`check`'s report of the posts cut to 280 characters: which card, and by how much."""
    cut = [p for p in posts if p.shortened]
    if not cut:
        return [f"  Kit de prensa: {len(posts)} textos de publicación, ninguno pasa de {MAX_POST} caracteres"]
    lines = [(f"  Kit de prensa: {len(cut)} de {len(posts)} textos de publicación se acortaron a {MAX_POST} caracteres "
             "(revise su resumen en publicaciones.csv, o acorte la descripción de la que salen):")]
    lines += [f"    {p.card.id}: {p.full} → {p.length} caracteres" for p in cut]
    return lines
